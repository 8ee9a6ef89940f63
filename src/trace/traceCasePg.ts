import { HoptraceError } from '../model/errors.js';
import type { TraceOptions, TraceResult } from '../model/trace.js';
import type { PgCase } from '../store/pg/pgCase.js';
import { loadTraceWorkingSet, resolveSeedIdsPg, selectExplorerExportsPg } from '../store/pg/traceNeighbourhood.js';
import { traceCase } from './traceCase.js';

/**
 * `hoptrace trace` on a PostgreSQL case: the seeds are resolved there, the reachable part of the
 * case is read into a working set, and traceCase runs over it — the same engine and result as on
 * a case file. The result names the database (without password) as its case; a database has no
 * file to hash, so `case.sha256` is null and the audit log's head hash pins the content.
 */
export async function traceCasePg(handle: PgCase, seeds: readonly string[], options: TraceOptions): Promise<TraceResult> {
  if (seeds.length === 0) throw new HoptraceError('no seed given', { hint: 'name a victim payment: a tx hash, a bank reference, account:IDENT or transfer:ID' });
  const seedIds: number[] = [];
  for (const seed of seeds) {
    const ids = await resolveSeedIdsPg(handle.client, seed);
    if (ids.length === 0) throw new HoptraceError(`seed ${JSON.stringify(seed)} matches no transfer in the case`, { file: handle.location, hint: 'name a victim payment: a tx hash, a bank reference, account:IDENT or transfer:ID' });
    seedIds.push(...ids);
  }
  const limits = { ...(options.maxHops !== undefined ? { maxHops: options.maxHops } : {}), ...(options.until !== undefined ? { until: options.until } : {}), ...(options.stopAtDegree !== undefined ? { stopAtDegree: options.stopAtDegree } : {}) };
  const db = await loadTraceWorkingSet(handle.client, seedIds, limits);
  try {
    const result = traceCase({ db, casePath: null, seeds, options, explorerExports: await selectExplorerExportsPg(handle.client) });
    result.case.path = handle.location;
    return result;
  } finally {
    db.close();
  }
}
