import { realpathSync, statSync } from 'node:fs';
import { logHead } from './auditLog.js';
import { type PendingHash, startFileHash } from './caseFileHash.js';
import type { Db } from './caseStore.js';
import { heldDescriptor } from './heldDescriptor.js';
import { readsOpenedFile } from './openedFile.js';
import { inReadSnapshot } from './readSnapshot.js';
import { walFullyCopied } from './walIndex.js';

/**
 * What a result cites of its case file, taken together at the start of the one read transaction
 * the trace reads in (docs/case-file.md, "Reading while another process writes"): the head of its
 * audit log, and the SHA-256 of its bytes (computed on a worker while the trace runs for a large
 * file, docs/performance.md "The case file's hash") when the file alone holds what is read.
 */
export interface CaseFileCitation {
  /** The file's hash, or undefined when its bytes are not what was read (`unhashed` says why). */
  hash: PendingHash | undefined;
  unhashed?: string;
  logHead: string;
}

/** Why a read-only connection (`serve`) cites no hash: it cannot fold the WAL into the file. */
const UNFOLDED_READ_ONLY =
  'the case file has writes not yet folded into it (its -wal file), which a read-only connection cannot fold in: a `hoptrace trace` of the case folds them in, as does closing every program that has it open';
/** Why a connection that may write cites no hash: another connection's snapshot or write kept the WAL from being folded in. */
const UNFOLDED_BUSY =
  'the case file has writes not yet folded into it (its -wal file): another program had the case open and kept them from being folded in; trace again once it has finished';

/** Why a connection cites no hash when its path now names another file than the one it reads. */
const REPLACED =
  'the case file at this path is not the file this program opened and read (it was replaced or moved while the case was open): open the case again';

/**
 * `read` in one read snapshot of the case file at `path`, given what it cites of it. The WAL is
 * folded into the file first (when the connection may write), then the snapshot is opened and the
 * log head read in it. If the WAL is then empty, or every frame of it already copied into the file,
 * the snapshot is the file's bytes, and they cannot change until it ends: while a reader holds a
 * snapshot whose frames are all in the file, no checkpoint may write into it (sqlite.org/wal.html,
 * "Checkpointing"; the read locks of sqlite.org/walformat.html; src/store/walIndex.ts). So the hash
 * taken in it, on a worker or here, is of what was read. Otherwise part of what is read lies in
 * the WAL alone, and no hash of the file would describe it.
 */
export function readCitedCase<T>(db: Db, path: string, read: (citation: CaseFileCitation) => T): T {
  foldWal(db);
  return inReadSnapshot(db, () => {
    const head = logHead(db).hash;
    const file = realpathSync(path);
    // Held for the life of the process (src/store/heldDescriptor.ts): the descriptor the hash reads.
    const fd = heldDescriptor(file);
    const unhashed = readsOpenedFile(db, fd) === false ? REPLACED : !fileHoldsWal(file) ? (db.readonly ? UNFOLDED_READ_ONLY : UNFOLDED_BUSY) : undefined;
    const citation: CaseFileCitation =
      unhashed === undefined ? { hash: startFileHash(path, { descriptor: fd }), logHead: head } : { hash: undefined, unhashed, logHead: head };
    try {
      const result = read(citation);
      // The snapshot ends with this function: the hash must have read the file before it does.
      citation.hash?.digest();
      return result;
    } catch (error) {
      citation.hash?.abandon();
      throw error;
    }
  });
}

/**
 * How long the fold waits for other programs' snapshots to end. A checkpoint that must wait for a
 * reader waits as long as the connection's busy timeout (60 s by default); a snapshot now lasts a
 * whole command (a listing piped into a pager lasts as long as the pager), so past this the trace
 * goes on, and cites no hash (UNFOLDED_BUSY) rather than keep the user waiting.
 */
const FOLD_WAIT_MS = 2_000;

/**
 * Folds the WAL into the case file, so the file holds what a trace reads: only a connection that
 * may write can, and not inside a transaction (whose snapshot is the caller's). Copying every
 * frame in (FULL) is what the hash needs: it waits for snapshots older than the last write, and for
 * a write in progress (then copies what was committed before it). Emptying the WAL (TRUNCATE) also
 * waits for every snapshot that reads from it, however new: it is only tried, with no wait, so a
 * reader of the latest state (a listing left open in a pager) costs the trace no time and its hash.
 */
function foldWal(db: Db): void {
  if (db.readonly || db.inTransaction) return;
  const timeout = Number(db.pragma('busy_timeout', { simple: true }));
  try {
    db.pragma(`busy_timeout = ${Math.min(timeout, FOLD_WAIT_MS)}`);
    db.pragma('wal_checkpoint(FULL)');
    db.pragma('busy_timeout = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Whether the database file `file` (a symbolic link resolved: SQLite names the WAL and its index
 * after the file a link leads to, not after the link) holds the whole state of the read snapshot
 * just opened: its WAL is empty (or there is none), or the WAL index says every frame is copied in.
 */
function fileHoldsWal(file: string): boolean {
  return walBytes(file) === 0 || walFullyCopied(file);
}

/** The size of the WAL beside the database file `file` (0 when there is none). */
function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
