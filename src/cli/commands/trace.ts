import { writeFileSync } from 'node:fs';
import { HoptraceError } from '../../model/errors.js';
import { RULE_NAMES, type RuleName, type TraceOptions, type TraceResult } from '../../model/trace.js';
import { selectCaseAssets } from '../../store/traceLedger.js';
import { parseMinAmount, type CaseAsset } from '../../trace/minAmount.js';
import { traceCase } from '../../trace/traceCase.js';
import type { Db } from '../../store/caseStore.js';
import { caseFilePath, onPostgres, withCase, type GlobalOptions } from '../context.js';
import { checkOutputFile } from '../outputPath.js';
import { parsePositiveInteger, parseTime } from '../parse.js';
import type { FetchCliOptions } from './fetch.js';
import { formatTraceSummary } from './traceSummary.js';

export interface TraceCliOptions extends FetchCliOptions {
  rule: string;
  maxHops?: string;
  minAmount?: string;
  until?: string;
  stopAtDegree?: string;
  json: boolean;
  out?: string;
  report?: string;
  timestamp?: boolean;
  fetch?: string;
  maxAccounts?: string;
  compare?: string;
}

export async function runTrace(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  if (!(RULE_NAMES as readonly string[]).includes(options.rule)) {
    throw new HoptraceError(`unknown rule ${JSON.stringify(options.rule)}`, { hint: `use one of ${RULE_NAMES.join(', ')}` });
  }
  if (options.compare !== undefined && !options.report) throw new HoptraceError('--compare needs --report FILE', { hint: 'or use hoptrace compare SEED… for the comparison alone' });
  if (onPostgres(globals)) return (await import('./postgres.js')).runTracePg(globals, seeds, options);
  if (options.out !== undefined) checkOutputFile(options.out, '--out', ['.json']);
  if (options.report !== undefined) {
    checkOutputFile(options.report, '--report');
    (await import('../../report/writeReport.js')).reportFormatOf(options.report);
  }
  const result = await withCase(globals, async (db, path) => {
    const traceOptions = parseTraceOptions(db, options);
    if (options.fetch === undefined) return traceCase({ db, casePath: path, seeds, options: traceOptions });
    return crawl(db, path, seeds, traceOptions, options);
  }, options.fetch === undefined ? 'existing' : 'create'); // --fetch brings data in: it may start a case
  const json = JSON.stringify(result, null, 2) + '\n';
  if (options.out) writeFileSync(options.out, json);
  if (options.json) process.stdout.write(json);
  else process.stdout.write(formatTraceSummary(result));
  if (options.out && !options.json) process.stderr.write(`trace written to ${options.out} (case ${caseFilePath(globals)})\n`);
  if (options.report) {
    const { reportFormatOf, writeReport } = await import('../../report/writeReport.js');
    let comparison;
    if (options.compare !== undefined) {
      const { parseRuleList, traceUnderRules } = await import('./compare.js');
      const { compareTraces } = await import('../../trace/compare.js');
      const others = parseRuleList(options.compare, '--compare').filter((rule) => rule !== result.rule);
      comparison = compareTraces([result, ...(await withCase(globals, async (db, path) => traceUnderRules(db, path, seeds, others, options)))]);
    }
    const { readCaseNames } = await import('./report.js');
    writeFileSync(options.report, writeReport(result, reportFormatOf(options.report), { timestamp: options.timestamp === false ? null : new Date().toISOString(), names: readCaseNames(globals, result), ...(comparison ? { comparison } : {}) }));
    process.stderr.write(`report written to ${options.report}\n`);
  }
  return result;
}

/** The trace options as the CLI (and the workbench's POST /api/trace) give them, as text. */
export function parseTraceOptions(db: Db, options: TraceLimitOptions & { rule: string }): TraceOptions {
  return { rule: options.rule as RuleName, ...parseTraceLimits(db, options) };
}

export interface TraceLimitOptions {
  maxHops?: string;
  minAmount?: string;
  until?: string;
  stopAtDegree?: string;
}

/** The limits `trace` and `compare` share, parsed at the edge (--min-amount in each asset's own units). */
export function parseTraceLimits(db: Db, options: TraceLimitOptions): Omit<TraceOptions, 'rule'> {
  return parseTraceLimitsFor(() => selectCaseAssets(db), options);
}

/** The same, with the case's assets from any backend (read only for --min-amount). */
export function parseTraceLimitsFor(assets: () => readonly CaseAsset[], options: TraceLimitOptions): Omit<TraceOptions, 'rule'> {
  const limits: Omit<TraceOptions, 'rule'> = {};
  if (options.maxHops !== undefined) limits.maxHops = parsePositiveInteger(options.maxHops, '--max-hops');
  if (options.until !== undefined) limits.until = parseTime(options.until, '--until');
  if (options.stopAtDegree !== undefined) limits.stopAtDegree = parsePositiveInteger(options.stopAtDegree, '--stop-at-degree');
  if (options.minAmount !== undefined) limits.minAmount = parseMinAmount(options.minAmount, assets());
  return limits;
}

/** `trace --fetch`: fetch what the traced money reaches, round by round, then report the final trace. */
async function crawl(db: Db, path: string, seeds: string[], traceOptions: TraceOptions, options: TraceCliOptions): Promise<TraceResult> {
  const { openCrawlFetcher } = await import('./fetch.js');
  const { crawlTrace } = await import('../../fetch/crawl.js');
  const { fetcher, close } = await openCrawlFetcher(db, options.fetch ?? '', options);
  try {
    const maxAccounts = parsePositiveInteger(options.maxAccounts ?? '200', '--max-accounts');
    const crawled = await crawlTrace({
      db,
      casePath: path,
      seeds,
      options: traceOptions,
      fetcher,
      maxAccounts,
      onRound: (round, fetching) => {
        if (!options.quiet) process.stderr.write(`hoptrace crawl: round ${round}: fetching ${fetching.length} account${fetching.length === 1 ? '' : 's'}\n`);
      },
    });
    if (!options.quiet) process.stderr.write(`hoptrace crawl: ${crawled.rounds} rounds, ${crawled.fetched.length} accounts fetched\n`);
    if (crawled.notFetched.length > 0) {
      process.stderr.write(
        `hoptrace crawl: --max-accounts ${maxAccounts} reached; ${crawled.notFetched.length} accounts holding traced money were not fetched, so money may have moved on from them: ${crawled.notFetched.slice(0, 10).join(', ')}${crawled.notFetched.length > 10 ? ', …' : ''}\n`,
      );
    }
    return crawled.result;
  } finally {
    close();
  }
}
