import type { CrawlTracer } from '../../fetch/crawl.js';
import { pgFetchCase } from '../../fetch/fetchCasePg.js';
import type { FetchCase } from '../../fetch/storeFetched.js';
import type { RuleName, TraceResult } from '../../model/trace.js';
import { selectCaseAssetsPg } from '../../store/pg/infoPg.js';
import type { PgCase } from '../../store/pg/pgCase.js';
import { resolveSeedIdsPg } from '../../store/pg/traceWorkingSet.js';
import { traceCasePg } from '../../trace/traceCasePg.js';
import { parseTraceLimitsFor } from '../../trace/traceOptions.js';
import type { TraceCliOptions } from '../commands/trace.js';
import type { GlobalOptions } from '../options.js';
import { waitNotice, withPgCase } from './postgres.js';
import { checkMayWrite, storesResults } from './postgresRead.js';
import { crawl } from './trace.js';

/**
 * `fetch evm`, `fetch tron` and `trace --fetch` on a PostgreSQL case (docs/postgresql.md,
 * "Fetching into PostgreSQL"): the same fetchers and crawl as on a case file, storing each batch
 * through ../../fetch/fetchCasePg.ts. What a fetch writes: sources and their rows, block times,
 * checkpoints, the audit log.
 */
const FETCH_WRITES: readonly [string, string][] = [
  ['sources', 'INSERT'],
  ['sources', 'UPDATE'],
  ['accounts', 'INSERT'],
  ['transfers', 'INSERT'],
  ['sightings', 'INSERT'],
  ['block_times', 'INSERT'],
  ['fetch_checkpoints', 'INSERT'],
  ['fetch_checkpoints', 'UPDATE'],
  ['meta', 'INSERT'],
  ['meta', 'UPDATE'],
  ['audit_log', 'INSERT'],
];

/** The case a fetch may start, opened for writing; a role that may not write is refused before anything is fetched. */
async function withPgFetchHandle<T>(globals: GlobalOptions, command: string, run: (store: FetchCase, handle: PgCase) => Promise<T>): Promise<T> {
  return withPgCase(globals, 'create', async (handle) => {
    await checkMayWrite(handle, FETCH_WRITES, storesResults(command));
    return run(
      pgFetchCase(handle, () => waitNotice(handle.location)),
      handle,
    );
  });
}

export function withPgFetchCase<T>(globals: GlobalOptions, command: string, run: (store: FetchCase) => Promise<T>): Promise<T> {
  return withPgFetchHandle(globals, command, (store) => run(store));
}

/** `trace --fetch` on PostgreSQL: each round's trace as `trace` runs on PostgreSQL (traceCasePg), over what the fetches stored. */
export function crawlOnPg(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  return withPgFetchHandle(globals, 'trace --fetch', async (store, handle) => {
    // The limits are read from the case before the crawl, as on a case file (parseTraceOptions).
    const assets = await selectCaseAssetsPg(handle.client);
    const traceOptions = { rule: options.rule as RuleName, ...parseTraceLimitsFor(() => assets, options) };
    const tracer: CrawlTracer = {
      names: async (seed) => (await resolveSeedIdsPg(handle.client, seed)).length > 0,
      trace: () => traceCasePg(handle, seeds, traceOptions),
    };
    return crawl(store, tracer, seeds, options);
  });
}
