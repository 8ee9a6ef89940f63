import { HoptraceError } from '../model/errors.js';
import type { TraceOptions, TraceResult } from '../model/trace.js';
import type { PgCase } from '../store/pg/pgCase.js';
import { RecordingLedger, resolveSeedIdsPg, selectExplorerExportsPg, TraceWorkingSet } from '../store/pg/traceWorkingSet.js';
import type { Db } from '../store/caseStore.js';
import { seedHintPg } from '../store/pg/seedHintPg.js';
import { traceLedger } from './engine.js';
import { traceCase } from './traceCase.js';

/**
 * `hoptrace trace` on a PostgreSQL case: the seeds are resolved there, the part of the case the
 * trace reads is fetched into a working set, and traceCase runs over it — the same engine and result as on
 * a case file. The result names the database (without password) as its case; a database has no
 * file to hash, so `case.sha256` is null and the audit log's head hash pins the content.
 */
export async function traceCasePg(handle: PgCase, seeds: readonly string[], options: TraceOptions): Promise<TraceResult> {
  if (seeds.length === 0)
    throw new HoptraceError('no seed given', { hint: 'name a victim payment: a tx hash, a bank reference, account:IDENT or transfer:ID' });
  const seedIds: number[] = [];
  for (const seed of seeds) {
    const ids = await resolveSeedIdsPg(handle.client, seed);
    if (ids.length === 0)
      throw new HoptraceError(`seed ${JSON.stringify(seed)} matches no transfer in the case`, {
        file: handle.location,
        hint: await seedHintPg(handle.client, seed),
      });
    seedIds.push(...ids);
  }
  const { db, degrees } = await loadWorkingSet(handle, seedIds, options);
  try {
    const result = traceCase({
      db,
      casePath: null,
      seeds,
      options,
      explorerExports: await selectExplorerExportsPg(handle.client),
      ledger: new RecordingLedger(db, degrees),
    });
    result.case.path = handle.location;
    return result;
  } finally {
    db.close();
  }
}

/**
 * Fetches, round by round, every account the trace reads: run the engine over what is loaded,
 * fetch the accounts it named that are missing (one frontier), again. A run that names no missing
 * account got, for every question, the answer the whole case gives: its trace is the trace. A
 * trace of N hops takes about N + 1 rounds.
 */
async function loadWorkingSet(handle: PgCase, seedIds: readonly number[], options: TraceOptions): Promise<{ db: Db; degrees: ReadonlyMap<number, number> }> {
  const set = new TraceWorkingSet(handle.client);
  try {
    await set.addSeeds(seedIds);
    for (;;) {
      const ledger = new RecordingLedger(set.db, set.degrees);
      traceLedger(
        ledger,
        seedIds.map((id) => ledger.transfer(id)!),
        options,
      );
      const histories = new Set([...ledger.histories].filter((id) => !set.loaded.has(id)));
      const tags = [...ledger.tagsOf].filter((id) => !set.tagged.has(id));
      const degrees = [...ledger.degreesOf].filter((id) => !set.degrees.has(id));
      if (histories.size === 0 && tags.length === 0 && degrees.length === 0) break;
      await set.addHistories(histories);
      await set.addTags(tags);
      await set.addDegrees(degrees);
    }
    await set.finish();
    return { db: set.db, degrees: set.degrees };
  } catch (error) {
    set.db.close();
    throw error;
  }
}
