import type { AddressCache } from '../src/model/address.js';
import type { AdapterItem } from '../src/model/types.js';

/**
 * What every transfer adapter receives. An adapter is a pure reader: it yields records with
 * their line and knows nothing of SQLite. Row-level problems are yielded as `reject` items so
 * the caller decides (fail the source, or store the reject with `--skip-bad`); file-level
 * problems (unknown shape, truncated JSON, bad encoding) are thrown as HoptraceError.
 */
export interface ReadContext {
  path: string;
  addresses: AddressCache;
  /** Called with the bytes read so far (drives the progress bar on large files). */
  onBytes?: (bytesRead: number) => void;
}

export type ReadItem = AdapterItem | { kind: 'reject'; line: number; reason: string };

export interface TransferAdapter<Options> {
  /** Format name as the user types it (`--format etherscan`). */
  readonly format: string;
  readonly description: string;
  /** True when the head of the file (decoded text, ≤ 64 KiB) is in this format. */
  detect(head: string): boolean;
  read(context: ReadContext, options: Options): AsyncIterable<ReadItem>;
  /**
   * The same items in the same order, a chunk of the file's at a time (optional): a reader that
   * takes them so awaits once per chunk instead of once per item, which was a tenth of reading a
   * TronGrid page (docs/performance.md, "Ingest against a bare pipeline").
   */
  readBatches?(context: ReadContext, options: Options): AsyncIterable<readonly ReadItem[]>;
}

/** The reject reason for a row-level HoptraceError (its message and hint, without the file). */
export function rejectReason(error: { message: string; hint?: string | undefined }): string {
  return error.hint ? `${error.message} — ${error.hint}` : error.message;
}
