import type { ReadItem } from '../../adapters/types.js';
import { HoptraceError } from '../model/errors.js';
import type { TransferRecord } from '../model/types.js';
import type { AuditEntryInput } from '../store/auditLog.js';
import { describeConflict } from '../ingest/ingestSource.js';
import type { SourceMeta, TransferConflict } from '../store/sourceWriter.js';
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
 * The case a fetch reads its state from and stores into: a case file (./fetchCaseSqlite.ts) or
 * a PostgreSQL case (./fetchCasePg.ts). The fetchers and storeFetched below are the same code on
 * both, so both store the same rows (docs/postgresql.md, "Fetching into PostgreSQL").
 */
export interface FetchCase {
  /** A checkpoint's value (src/store/fetchState.ts), undefined when the key was never stored. */
  readCheckpoint<T>(key: string): Promise<T | undefined>;
  /** Block timestamps (Unix seconds) already stored, for the blocks asked. */
  readBlockTimes(rail: string, blocks: readonly number[]): Promise<Map<number, number>>;
  /** Runs `work` in one write transaction: all of it is stored or none of it. */
  inWriteTransaction<T>(work: (batch: FetchBatch) => Promise<T>): Promise<T>;
}

/** The writes of one stored batch, inside its transaction. */
export interface FetchBatch {
  /** Whether a source with these bytes, adapter and options is stored. */
  isStored(sha256: string, adapter: string, options: string): Promise<boolean>;
  openSource(meta: SourceMeta): Promise<FetchSourceWriter>;
  writeBlockTimes(rail: string, times: ReadonlyMap<number, number>): Promise<void>;
  writeCheckpoint(key: string, value: unknown): Promise<void>;
  appendLog(input: AuditEntryInput): Promise<void>;
}

/** One response's source, written in the batch's transaction (logged once for the batch, not per source). */
export interface FetchSourceWriter {
  addTransfer(record: TransferRecord): Promise<unknown>;
  addSkipped(): void;
  addNote(message: string): void;
  /** After the last item: the transfers that contradict another source's. */
  conflicts(): Promise<TransferConflict[]>;
  commit(): Promise<{ rows: number; duplicates: number }>;
  /** After a failure, before the transaction rolls back. */
  abort(): Promise<void>;
}

/**
 * Stores fetched responses as sources, with the block times they needed and the checkpoint that
 * says they are stored, in one transaction: a fetch killed at any point leaves either all of it
 * or none of it, and the next run starts where the checkpoint says.
 */
export function storeFetched(
  store: FetchCase,
  responses: readonly FetchedResponse[],
  checkpoint: { key: string; value: unknown },
  blockTimes?: { rail: string; times: ReadonlyMap<number, number> },
): Promise<StoredFetch> {
  return store.inWriteTransaction(async (batch) => {
    const stored: StoredFetch = { sources: 0, inserted: 0, duplicates: 0, alreadyStored: 0 };
    // One log entry per stored batch: the answers it kept (a batch of answers already stored, or
    // of empty pages, changes only the checkpoint and is not logged).
    const inputs: { path: string; sha256: string }[] = [];
    for (const response of responses) {
      if (response.items.length === 0) continue;
      if (await batch.isStored(response.body.sha256, response.adapter, response.options)) {
        stored.alreadyStored++;
        continue;
      }
      const writer = await batch.openSource({
        path: response.path,
        sha256: response.body.sha256,
        size: response.body.bytes,
        adapter: response.adapter,
        options: response.options,
      });
      try {
        for (const item of response.items) {
          if (item.kind === 'transfer') await writer.addTransfer(item.record);
          else if (item.kind === 'skipped') writer.addSkipped();
          else if (item.kind === 'note') writer.addNote(item.message);
          else if (item.kind === 'reject')
            throw new HoptraceError(`item ${item.line}: ${item.reason}`, {
              file: response.path,
              hint: `the answer to ${response.options} is not what the API documents; nothing of this range was stored`,
            });
        }
        const conflict = (await writer.conflicts())[0];
        if (conflict)
          throw new HoptraceError(`item ${conflict.line}: ${describeConflict(conflict)}`, {
            file: response.path,
            hint: 'the node and a stored source disagree about this transfer; nothing of this range was stored',
          });
        const summary = await writer.commit();
        inputs.push({ path: response.path, sha256: response.body.sha256 });
        stored.sources++;
        stored.inserted += summary.rows;
        stored.duplicates += summary.duplicates;
      } catch (error) {
        await writer.abort();
        throw error;
      }
    }
    if (blockTimes) await batch.writeBlockTimes(blockTimes.rail, blockTimes.times);
    await batch.writeCheckpoint(checkpoint.key, checkpoint.value);
    if (inputs.length > 0)
      await batch.appendLog({
        action: `fetch ${responses[0]?.adapter.slice('fetch:'.length) ?? ''}`.trim(),
        inputs,
        changes: { sources: stored.sources, transfers: stored.inserted, duplicates: stored.duplicates },
      });
    return stored;
  });
}
