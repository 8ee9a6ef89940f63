import { writeOutputFile } from '../../export/outputFile.js';
import { HoptraceError } from '../../model/errors.js';
import { RULE_NAMES, type RuleName, type TraceResult } from '../../model/trace.js';
import { parseTraceOptions } from '../../trace/traceOptions.js';
import type { RuleComparison } from '../../trace/compare.js';
import { traceCase } from '../../trace/traceCase.js';
import type { CrawlTracer } from '../../fetch/crawl.js';
import type { FetchCase } from '../../fetch/storeFetched.js';
import { resolveTransferIds } from '../../store/transferRefs.js';
import { caseFilePath, onPostgres, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { checkDistinctOutputs, checkOutputFile } from '../outputPath.js';
import { parsePositiveInteger } from '../parse.js';
import { formatTraceSummary, untilWarning } from './traceSummary.js';
import type { TraceCliOptions } from '../commands/trace.js';

/**
 * The options that configure the crawl, and the crawls each belongs to. Given without --fetch, or
 * with the crawl of the other chain, they were ignored: a user could believe a fetch ran.
 */
const CRAWL_OPTIONS: Record<string, readonly ('evm' | 'tron')[]> = {
  rpc: ['evm'],
  api: ['tron'],
  maxAccounts: ['evm', 'tron'],
  token: ['evm', 'tron'],
  fromBlock: ['evm'],
  toBlock: ['evm'],
  confirmations: ['evm'],
  concurrency: ['evm'],
};

/** Refuses a crawl option given (on the command line: `given`) without the crawl it belongs to. */
export function checkCrawlOptions(fetch: string | undefined, given: (key: string) => boolean): void {
  for (const [key, crawls] of Object.entries(CRAWL_OPTIONS)) {
    if (!given(key)) continue;
    const flag = '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
    const belongs = crawls.map((crawl) => `--fetch ${crawl}`).join(' or ');
    if (fetch === undefined)
      throw new HoptraceError(`${flag} configures a live fetch, and no --fetch was given: nothing would be fetched`, {
        hint: `add ${belongs}, or leave ${flag} out to trace what the case holds`,
      });
    if (!(crawls as readonly string[]).includes(fetch))
      throw new HoptraceError(`${flag} is not an option of --fetch ${fetch}`, { hint: `it belongs to ${belongs}` });
  }
}

export async function runTrace(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  if (!(RULE_NAMES as readonly string[]).includes(options.rule)) {
    throw new HoptraceError(`unknown rule ${JSON.stringify(options.rule)}`, { hint: `use one of ${RULE_NAMES.join(', ')}` });
  }
  if (options.compare !== undefined && !options.report)
    throw new HoptraceError('--compare needs --report FILE', { hint: 'or use hoptrace compare SEED… for the comparison alone' });
  // Checked before the trace runs: a list of only the trace's own rule would give a "comparison" of one.
  if (options.compare !== undefined) {
    const { parseRuleList } = await import('./compare.js');
    if (parseRuleList(options.compare, '--compare').every((rule) => rule === options.rule))
      throw new HoptraceError(`--compare ${options.compare}: names no rule but the trace's own (--rule ${options.rule}): nothing to compare`, {
        hint: `name another rule: --compare ${RULE_NAMES.filter((rule) => rule !== options.rule).join(',')}`,
      });
  }
  if (options.out !== undefined) checkOutputFile(options.out, '--out', ['.json']);
  if (options.report !== undefined) {
    checkOutputFile(options.report, '--report');
    (await import('../../report/writeReport.js')).reportFormatOf(options.report);
    if (options.out !== undefined) checkDistinctOutputs({ path: options.out, option: '--out' }, { path: options.report, option: '--report' });
  }
  if (onPostgres(globals)) return (await import('./postgres.js')).runTracePg(globals, seeds, options);
  const result = await withCase(
    globals,
    async (db, path) => {
      const traceOptions = parseTraceOptions(db, options);
      if (options.fetch === undefined) return traceCase({ db, casePath: path, seeds, options: traceOptions });
      const tracer: CrawlTracer = {
        names: async (seed) => resolveTransferIds(db, seed).length > 0,
        trace: async () => traceCase({ db, casePath: path, seeds, options: traceOptions }),
      };
      const { sqliteFetchCase } = await import('../../fetch/fetchCaseSqlite.js');
      return crawl(sqliteFetchCase(db), tracer, seeds, options);
    },
    options.fetch === undefined ? 'existing' : 'create',
  ); // --fetch brings data in: it may start a case
  // The JSON text is made only when it is written: a text summary of a large trace needs none of it.
  const json = options.out || options.json ? JSON.stringify(result, null, 2) + '\n' : '';
  if (options.out) writeOutputFile(options.out, json, 'trace');
  if (options.json) process.stdout.write(json);
  else process.stdout.write(formatTraceSummary(result));
  if (options.out && !options.json) process.stderr.write(`trace written to ${options.out} (case ${caseFilePath(globals)})\n`);
  process.stderr.write(untilWarning(result));
  if (options.report)
    await writeTraceReport(globals, result, options, async (rules) => {
      const { traceUnderRules } = await import('./compare.js');
      return withCase(globals, async (db, path) => traceUnderRules(db, path, seeds, rules, options));
    });
  return result;
}

/**
 * `trace --report FILE [--compare RULES]`: the report of `result`, names from the case; `traceUnder`
 * traces the same seeds under the other rules --compare names (on a case file or PostgreSQL).
 */
export async function writeTraceReport(
  globals: GlobalOptions,
  result: TraceResult,
  options: TraceCliOptions,
  traceUnder: (rules: RuleName[]) => Promise<TraceResult[]>,
): Promise<void> {
  const report = options.report!;
  const { reportFormatOf, writeReport } = await import('../../report/writeReport.js');
  let comparison: RuleComparison | undefined;
  if (options.compare !== undefined) {
    const { parseRuleList } = await import('./compare.js');
    const { compareTraces } = await import('../../trace/compare.js');
    const others = parseRuleList(options.compare, '--compare').filter((rule) => rule !== result.rule);
    comparison = compareTraces([result, ...(await traceUnder(others))]);
  }
  const { readCaseNames } = await import('./report.js');
  writeOutputFile(
    report,
    writeReport(result, reportFormatOf(report), {
      timestamp: options.timestamp === false ? null : new Date().toISOString(),
      names: await readCaseNames(globals, result),
      ...(comparison ? { comparison } : {}),
    }),
    'report',
  );
  process.stderr.write(`report written to ${report}\n`);
}

/**
 * `trace --fetch`: fetch what the traced money reaches, round by round, then report the final
 * trace; into a case file or, from ./postgresFetch.ts, a PostgreSQL case.
 */
export async function crawl(store: FetchCase, tracer: CrawlTracer, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  const { openCrawlFetcher } = await import('./fetch.js');
  const { crawlTrace } = await import('../../fetch/crawl.js');
  const { fetcher, close } = await openCrawlFetcher(store, options.fetch ?? '', options);
  try {
    const maxAccounts = parsePositiveInteger(options.maxAccounts ?? '200', '--max-accounts');
    const crawled = await crawlTrace({
      tracer,
      seeds,
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
