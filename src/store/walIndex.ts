import { accessSync, constants, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { heldDescriptor } from './heldDescriptor.js';

/**
 * The WAL index (the `-shm` file beside a case file in WAL mode), as sqlite.org/walformat.html
 * ("The WAL-Index Header") lays it out, in the machine's byte order: two copies of a 48-byte header
 * (the version at 0, whether it is set up at 12, the WAL's last valid frame, mxFrame, at 16, a
 * checksum of its first 40 bytes at 40), then the checkpoint information at 96, whose first field,
 * nBackfill, counts the WAL frames already copied into the database file.
 */
const HEADER_BYTES = 48;
const CHECKSUMMED_BYTES = 40;
const CHECKPOINT_INFO_AT = 2 * HEADER_BYTES;
const READ_BYTES = CHECKPOINT_INFO_AT + 4;
/** The one version of the layout SQLite has written since 3.7.0 (WALINDEX_MAX_VERSION). */
const VERSION = 3_007_000;
const IS_INIT_AT = 12;
const MX_FRAME_AT = 16;

/**
 * Whether the database file at `sqlitePath` (the file itself, not a symbolic link to it) holds every
 * frame of its WAL: the WAL index says all of them were copied in (nBackfill = mxFrame). False
 * whenever it cannot say for sure: no index, or one this process may not write (SQLite then maps
 * it read-only, or, when no other connection has it open to write, keeps an index of its own in
 * memory while the file's may be stale; SQLite decides once, when the process first opens it, which
 * a check of the permission now only approximates), a layout it does not know, or a header caught
 * while it changed (its two copies differ, its checksum fails, or a second read differs from the
 * first). nBackfill is at byte 96, as the layout's table says: the prose of walformat.html names
 * 128, where nBackfillAttempted lies, which recovery sets to mxFrame with nothing copied.
 *
 * Read by a connection inside its own read transaction, true means the file holds that
 * transaction's whole snapshot, and keeps it until the transaction ends (docs/case-file.md,
 * "Reading while another process writes"): a snapshot that began with every frame copied in
 * (unless another connection held that lock a moment) uses no frame, and holds the read lock no
 * checkpoint can copy under; one that holds a read mark, at or below its last frame, lets no
 * checkpoint copy past that mark and none reset the WAL, so nBackfill equal to mxFrame then means
 * nothing was committed since it began and the file already holds all of it.
 */
export function walFullyCopied(sqlitePath: string): boolean {
  const index = `${sqlitePath}-shm`;
  let fd: number;
  try {
    accessSync(index, constants.W_OK);
    // Held, not closed: closing a descriptor of the -shm file would drop this process's WAL read
    // locks on it, the snapshot's among them (src/store/heldDescriptor.ts).
    fd = heldDescriptor(index);
  } catch (error) {
    if (['ENOENT', 'EACCES', 'EROFS', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
  const first = readHeader(fd);
  const second = readHeader(fd);
  if (!first || !second || !first.equals(second)) return false;
  if (!first.subarray(0, HEADER_BYTES).equals(first.subarray(HEADER_BYTES, CHECKPOINT_INFO_AT))) return false;
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  const little = endianness() === 'LE';
  if (view.getUint32(0, little) !== VERSION || view.getUint8(IS_INIT_AT) !== 1 || !checksumHolds(view, little)) return false;
  return view.getUint32(MX_FRAME_AT, little) === view.getUint32(CHECKPOINT_INFO_AT, little);
}

function readHeader(fd: number): Buffer | undefined {
  const bytes = Buffer.alloc(READ_BYTES);
  return readSync(fd, bytes, 0, READ_BYTES, 0) === READ_BYTES ? bytes : undefined;
}

/**
 * The header's checksum (its aCksum, bytes 40–47) over its first 40 bytes, as SQLite computes it
 * for the WAL index: 32-bit words in the machine's byte order, two running sums.
 */
function checksumHolds(view: DataView, little: boolean): boolean {
  let s1 = 0;
  let s2 = 0;
  for (let at = 0; at < CHECKSUMMED_BYTES; at += 8) {
    s1 = (s1 + view.getUint32(at, little) + s2) >>> 0;
    s2 = (s2 + view.getUint32(at + 4, little) + s1) >>> 0;
  }
  return view.getUint32(CHECKSUMMED_BYTES, little) === s1 && view.getUint32(CHECKSUMMED_BYTES + 4, little) === s2;
}
