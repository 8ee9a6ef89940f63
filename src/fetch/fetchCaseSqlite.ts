import { appendLog } from '../store/auditLog.js';
import { beginImmediate, type Db } from '../store/caseStore.js';
import { readBlockTimes, readCheckpoint, writeBlockTimes, writeCheckpoint } from '../store/fetchState.js';
import { SourceWriter } from '../store/sourceWriter.js';
import { findSourceByContent } from '../store/sources.js';
import type { FetchBatch, FetchCase } from './storeFetched.js';

/** A case file as the fetchers' store (./storeFetched.ts): each batch in one IMMEDIATE transaction. */
export function sqliteFetchCase(db: Db): FetchCase {
  const batch: FetchBatch = {
    isStored: async (sha256, adapter, options) => findSourceByContent(db, sha256, adapter, options) !== undefined,
    openSource: async (meta) => {
      // 'caller': the batch's transaction holds every source, and the batch logs them as one entry.
      const writer = new SourceWriter(db, meta, 'caller');
      return {
        addTransfer: async (record) => writer.addTransfer(record),
        addSkipped: () => writer.addSkipped(),
        addNote: (message) => writer.addNote(message),
        conflicts: async () => writer.conflicts(),
        commit: async () => writer.commit(),
        abort: async () => undefined,
      };
    },
    writeBlockTimes: async (rail, times) => writeBlockTimes(db, rail, times),
    writeCheckpoint: async (key, value) => writeCheckpoint(db, key, value),
    appendLog: async (input) => {
      appendLog(db, input);
    },
  };
  return {
    readCheckpoint: async (key) => readCheckpoint(db, key),
    readBlockTimes: async (rail, blocks) => readBlockTimes(db, rail, blocks),
    inWriteTransaction: async (work) => {
      beginImmediate(db);
      try {
        const result = await work(batch);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
