import { writeFileSync } from 'node:fs';
import { parseAmount } from '../../model/amount.js';
import { HoptraceError } from '../../model/errors.js';
import { RULE_NAMES, type RuleName, type TraceOptions, type TraceResult } from '../../model/trace.js';
import { resolveTransferIds } from '../../store/transferRefs.js';
import { traceCase } from '../../trace/traceCase.js';
import type { Db } from '../../store/caseStore.js';
import { caseFilePath, withCase, type GlobalOptions } from '../context.js';
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
}

export async function runTrace(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  if (!(RULE_NAMES as readonly string[]).includes(options.rule)) {
    throw new HoptraceError(`unknown rule ${JSON.stringify(options.rule)}`, { hint: `use one of ${RULE_NAMES.join(', ')}` });
  }
  const result = await withCase(globals, async (db, path) => {
    const traceOptions: TraceOptions = { rule: options.rule as RuleName };
    if (options.maxHops !== undefined) traceOptions.maxHops = parsePositiveInteger(options.maxHops, '--max-hops');
    if (options.until !== undefined) traceOptions.until = parseTime(options.until, '--until');
    if (options.stopAtDegree !== undefined) traceOptions.stopAtDegree = parsePositiveInteger(options.stopAtDegree, '--stop-at-degree');
    if (options.minAmount !== undefined) {
      // --min-amount is in the seeds' asset units (USDT, EUR …): its decimals come from the first seed.
      const first = seeds.length > 0 ? resolveTransferIds(db, seeds[0]!)[0] : undefined;
      const decimals = first === undefined ? 6 : Number(db.prepare('SELECT decimals FROM transfers WHERE id = ?').pluck().get(first));
      try {
        traceOptions.minAmount = parseAmount(options.minAmount, decimals);
      } catch (error) {
        throw new HoptraceError(`--min-amount: ${(error as Error).message}`);
      }
    }
    if (options.fetch === undefined) return traceCase({ db, casePath: path, seeds, options: traceOptions });
    return crawl(db, path, seeds, traceOptions, options);
  });
  const json = JSON.stringify(result, null, 2) + '\n';
  if (options.out) writeFileSync(options.out, json);
  if (options.json) process.stdout.write(json);
  else process.stdout.write(formatTraceSummary(result));
  if (options.out && !options.json) process.stderr.write(`trace written to ${options.out} (case ${caseFilePath(globals)})\n`);
  if (options.report) {
    const { reportFormatOf, writeReport } = await import('../../report/writeReport.js');
    const { readCaseNames } = await import('./report.js');
    writeFileSync(options.report, writeReport(result, reportFormatOf(options.report), { timestamp: options.timestamp === false ? null : new Date().toISOString(), names: readCaseNames(globals, result) }));
    process.stderr.write(`report written to ${options.report}\n`);
  }
  return result;
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
