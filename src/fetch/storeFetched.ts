import type { ReadItem } from '../../adapters/types.js';
import { HoptraceError } from '../model/errors.js';
import { appendLog } from '../store/auditLog.js';
import { beginImmediate, type Db } from '../store/caseStore.js';
import { writeBlockTimes, writeCheckpoint } from '../store/fetchState.js';
import { describeConflict } from '../ingest/ingestSource.js';
import { SourceWriter } from '../store/sourceWriter.js';
import { findSourceByContent } from '../store/sources.js';
import type { RawBody } from './rawHttp.js';

/** One API response, decoded, with what its provenance records. */
export interface FetchedResponse {
  /** The endpoint (credentials removed) and request, as the source's path. */
  path: string;
  adapter: 'fetch:evm' | 'fetch:tron';
  /** What was asked (block range, topics, page …): stable JSON, part of the source's identity. */
  options: string;
  body: RawBody;
  items: readonly ReadItem[];
}

export interface StoredFetch {
  sources: number;
  inserted: number;
  duplicates: number;
  /** Responses already stored by an earlier run (same body, same request). */
  alreadyStored: number;
}

/**
 * Stores fetched responses as sources, with the block times they needed and the checkpoint that
 * says they are stored, in one transaction: a fetch killed at any point leaves either all of it
 * or none of it, and the next run starts where the checkpoint says.
 */
export function storeFetched(
  db: Db,
  responses: readonly FetchedResponse[],
  checkpoint: { key: string; value: unknown },
  blockTimes?: { rail: string; times: ReadonlyMap<number, number> },
): StoredFetch {
  const stored: StoredFetch = { sources: 0, inserted: 0, duplicates: 0, alreadyStored: 0 };
  // One log entry per stored batch: the answers it kept (a batch of answers already stored, or
  // of empty pages, changes only the checkpoint and is not logged).
  const inputs: { path: string; sha256: string }[] = [];
  beginImmediate(db);
  try {
    for (const response of responses) {
      if (response.items.length === 0) continue;
      if (findSourceByContent(db, response.body.sha256, response.adapter, response.options)) {
        stored.alreadyStored++;
        continue;
      }
      const writer = new SourceWriter(
        db,
        { path: response.path, sha256: response.body.sha256, size: response.body.bytes, adapter: response.adapter, options: response.options },
        'caller',
      );
      for (const item of response.items) {
        if (item.kind === 'transfer') writer.addTransfer(item.record);
        else if (item.kind === 'skipped') writer.addSkipped();
        else if (item.kind === 'note') writer.addNote(item.message);
        else if (item.kind === 'reject')
          throw new HoptraceError(`item ${item.line}: ${item.reason}`, {
            file: response.path,
            hint: `the answer to ${response.options} is not what the API documents; nothing of this range was stored`,
          });
      }
      const conflict = writer.conflicts()[0];
      if (conflict)
        throw new HoptraceError(`item ${conflict.line}: ${describeConflict(conflict)}`, {
          file: response.path,
          hint: 'the node and a stored source disagree about this transfer; nothing of this range was stored',
        });
      const summary = writer.commit();
      inputs.push({ path: response.path, sha256: response.body.sha256 });
      stored.sources++;
      stored.inserted += summary.rows;
      stored.duplicates += summary.duplicates;
    }
    if (blockTimes) writeBlockTimes(db, blockTimes.rail, blockTimes.times);
    writeCheckpoint(db, checkpoint.key, checkpoint.value);
    if (inputs.length > 0)
      appendLog(db, {
        action: `fetch ${responses[0]?.adapter.slice('fetch:'.length) ?? ''}`.trim(),
        inputs,
        changes: { sources: stored.sources, transfers: stored.inserted, duplicates: stored.duplicates },
      });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return stored;
}
