import { appendLogPg } from '../store/pg/auditLogPg.js';
import { PgSourceWriter } from '../store/pg/copySourceWriter.js';
import { isSourceStoredPg, readBlockTimesPg, readCheckpointPg, writeBlockTimesPg, writeCheckpointPg } from '../store/pg/fetchStatePg.js';
import { inWriteTransaction, type PgCase } from '../store/pg/pgCase.js';
import type { FetchBatch, FetchCase } from './storeFetched.js';

/**
 * A PostgreSQL case as the fetchers' store (./storeFetched.ts): each batch in one transaction
 * under the writer lock, each response's rows through COPY (PgSourceWriter, as `ingest usdt`),
 * so a batch gets the ids, duplicates and sightings a case file gives it (docs/postgresql.md,
 * "Fetching into PostgreSQL"). `onWait` tells the user this fetch waits for another writer.
 */
export function pgFetchCase(handle: PgCase, onWait?: () => void): FetchCase {
  const { client } = handle;
  const batch: FetchBatch = {
    isStored: (sha256, adapter, options) => isSourceStoredPg(client, sha256, adapter, options),
    openSource: async (meta) => {
      const writer = await PgSourceWriter.open(client, meta);
      return {
        addTransfer: (record) => writer.addTransfer(record),
        addSkipped: () => writer.addSkipped(),
        addNote: (message) => writer.addNote(message),
        conflicts: () => writer.store(),
        commit: () => writer.finish(false),
        abort: () => writer.abort(),
      };
    },
    writeBlockTimes: (rail, times) => writeBlockTimesPg(client, rail, times),
    writeCheckpoint: (key, value) => writeCheckpointPg(client, key, value),
    appendLog: async (input) => {
      await appendLogPg(client, input);
    },
  };
  return {
    readCheckpoint: (key) => readCheckpointPg(client, key),
    readBlockTimes: (rail, blocks) => readBlockTimesPg(client, rail, blocks),
    inWriteTransaction: (work) => inWriteTransaction(handle, () => work(batch), onWait),
  };
}
