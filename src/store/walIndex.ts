import { readSync } from 'node:fs';
import { endianness } from 'node:os';
import { heldDescriptor } from './heldDescriptor.js';

/**
 * The WAL index (the `-shm` file beside a case file in WAL mode), as sqlite.org/walformat.html
 * ("The WAL-Index Header") lays it out, in the machine's byte order: two copies of a 48-byte header
 * (the version at 0, whether it is set up at 12, the WAL's last valid frame, mxFrame, at 16), then
 * the checkpoint information at 96, whose first field, nBackfill, counts the WAL frames already
 * copied into the database file.
 */
const HEADER_BYTES = 48;
const CHECKPOINT_INFO_AT = 2 * HEADER_BYTES;
const READ_BYTES = CHECKPOINT_INFO_AT + 4;
/** The one version of the layout SQLite has written since 3.7.0 (WALINDEX_MAX_VERSION). */
const VERSION = 3_007_000;
const IS_INIT_AT = 12;
const MX_FRAME_AT = 16;

/**
 * Whether the database file at `sqlitePath` (the file itself, not a symbolic link to it) holds every
 * frame of its WAL: the WAL index says all of them were copied in (nBackfill = mxFrame). False when
 * it cannot say: no index, a layout it does not know, or a header being rewritten as it is read
 * (its two copies differ).
 *
 * Read by a connection inside its own read transaction, true means the file holds that
 * transaction's whole snapshot, and keeps it until the transaction ends (docs/case-file.md,
 * "Reading while another process writes"): a snapshot that began with every frame copied in uses
 * no frame, and holds the read lock no checkpoint can copy under; one that began with frames not
 * yet copied holds a read mark at its last frame, so once they are copied no checkpoint copies
 * more, and none may restart the WAL while it holds that mark.
 */
export function walFullyCopied(sqlitePath: string): boolean {
  let fd: number;
  try {
    // Held, not closed: closing a descriptor of the -shm file would drop this process's WAL read
    // locks on it, the snapshot's among them (src/store/heldDescriptor.ts).
    fd = heldDescriptor(`${sqlitePath}-shm`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const bytes = Buffer.alloc(READ_BYTES);
  if (readSync(fd, bytes, 0, READ_BYTES, 0) < READ_BYTES) return false;
  if (!bytes.subarray(0, HEADER_BYTES).equals(bytes.subarray(HEADER_BYTES, CHECKPOINT_INFO_AT))) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = endianness() === 'LE';
  if (view.getUint32(0, little) !== VERSION || view.getUint8(IS_INIT_AT) !== 1) return false;
  return view.getUint32(MX_FRAME_AT, little) === view.getUint32(CHECKPOINT_INFO_AT, little);
}
