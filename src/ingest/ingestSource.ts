import { AddressCache } from '../model/address.js';
import { HoptraceError, withFile } from '../model/errors.js';
import type { ReadContext, ReadItem } from '../../adapters/types.js';
import type { Db } from '../store/caseStore.js';
import { formatAmount } from '../model/amount.js';
import type { SourceInfo } from '../model/types.js';
import type { SourceBatch } from '../store/sourceBatch.js';
import { SourceWriter, type SourceSummary, type SourceWriterOptions, type TransferConflict } from '../store/sourceWriter.js';
import { ownSourceWriter, priorImport } from './priorImport.js';
import { digestFile } from './fileDigest.js';

export interface IngestSourceParams {
  db: Db;
  path: string;
  /** Adapter name stored with the source (`usdt:etherscan`, `bank:ing-de`, `tags:ofac` …). */
  adapter: string;
  /** The reading options that change what is stored, as stable JSON (part of the re-import key). */
  options: string;
  skipBad: boolean;
  read: (context: ReadContext) => AsyncIterable<ReadItem>;
  /** The same items a chunk at a time, when the adapter reads so (TransferAdapter.readBatches): taken instead of `read`. */
  readBatches?: (context: ReadContext) => AsyncIterable<readonly ReadItem[]>;
  onBytes?: (bytesRead: number, size: number) => void;
  /** Shared across the files of one command, so a counterparty is checksummed once. */
  addresses?: AddressCache;
  /** Build the transfers' indexes after the rows of a large file (SourceWriterOptions.deferIndexes). */
  deferIndexes?: SourceWriterOptions['deferIndexes'];
  /** Which indexes it may build after the rows (SourceWriterOptions.deferrable). */
  deferrable?: SourceWriterOptions['deferrable'];
}

/** `conflicts with transfer T from SOURCE:LINE (amount A vs B)`: this row's amount, then the stored one's. */
/** A bad row without --skip-bad: the file fails whole (docs/case-file.md), on either backend. */
export function rejectError(path: string, line: number, reason: string): HoptraceError {
  return new HoptraceError(reason, { file: path, line, hint: 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones' });
}

/** A row contradicting another source's transfer without --skip-bad: the file fails whole, on either backend. */
export function conflictError(path: string, line: number, reason: string): HoptraceError {
  return new HoptraceError(reason, {
    file: path,
    line,
    hint: 'nothing from this file was stored; check which copy is right (--skip-bad stores the other rows and records this one as rejected)',
  });
}

export function describeConflict(conflict: TransferConflict): string {
  return `conflicts with transfer ${conflict.transferId} from ${conflict.sourcePath}:${conflict.storedLine} (amount ${formatAmount(conflict.amount, conflict.decimals)} vs ${formatAmount(conflict.storedAmount, conflict.decimals)})`;
}

export type IngestSourceResult =
  | ({ status: 'imported'; path: string; sha256: string; size: number } & SourceSummary)
  | { status: 'already-imported'; path: string; sha256: string; size: number; existing: SourceInfo };

/**
 * Reads one source into the case file in one transaction. A bad row fails the whole source
 * (nothing of it is stored) unless `skipBad`, in which case each reject is stored with its line.
 * A file already imported with the same content, adapter and options is not read again.
 * In a `batch` (several files of one command loaded together), the source is written in the
 * batch's transaction instead (under a savepoint of its own if the batch has them), and stored
 * when the batch commits.
 */
export async function ingestSource(params: IngestSourceParams, batch?: SourceBatch): Promise<IngestSourceResult> {
  const { db, path } = params;
  const { sha256, size } = await digestFile(path);
  const existing = priorImport(db, path, sha256, params.adapter, params.options);
  if (existing) return { status: 'already-imported', path, sha256, size, existing };
  const meta = { path, sha256, size, adapter: params.adapter, options: params.options };
  const opened = batch
    ? batch.writer(meta)
    : ownSourceWriter(db, meta, { deferIndexes: params.deferIndexes ?? 'never', ...(params.deferrable ? { deferrable: params.deferrable } : {}) }, () =>
        priorImport(db, path, sha256, params.adapter, params.options),
      );
  if (!(opened instanceof SourceWriter)) return { status: 'already-imported', path, sha256, size, existing: opened.existing };
  const writer = opened;
  try {
    const context: ReadContext = {
      path,
      addresses: params.addresses ?? new AddressCache(),
      ...(params.onBytes ? { onBytes: (n: number) => params.onBytes?.(n, size) } : {}),
    };
    const take = (item: ReadItem): void => {
      switch (item.kind) {
        case 'transfer':
          writer.addTransfer(item.record);
          break;
        case 'tag':
          writer.addTag(item.record);
          break;
        case 'skipped':
          writer.addSkipped();
          break;
        case 'note':
          writer.addNote(item.message);
          break;
        case 'reject':
          if (!params.skipBad) throw rejectError(path, item.line, item.reason);
          writer.addReject(item.line, item.reason);
          break;
      }
    };
    if (params.readBatches) {
      for await (const items of params.readBatches(context)) for (const item of items) take(item);
    } else for await (const item of params.read(context)) take(item);
    for (const conflict of writer.conflicts()) {
      const reason = describeConflict(conflict);
      if (!params.skipBad) throw conflictError(path, conflict.line, reason);
      writer.rejectConflict(conflict, reason);
    }
    const summary = writer.commit();
    return { status: 'imported', path, sha256, size, ...summary };
  } catch (error) {
    writer.rollback();
    throw withFile(error, path);
  }
}
