import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Bytes read between two turns of the event loop: 1 MiB. */
const TURN_BYTES = 1 << 20;

/**
 * A file's bytes, `chunkBytes` at a time, read with `readSync` into one buffer: each chunk is a
 * view of it, valid until the next is asked for (callers copy what they keep: a decoded string, a
 * hash's state). A `fs.createReadStream` hands each chunk through libuv's thread pool, a promise
 * and a Buffer of its own: reading 100 MB of TronGrid pages in 64 KiB chunks took 160–250 ms of
 * CPU that way against 40–60 ms here, and a file is read twice on import, once for its SHA-256
 * (docs/performance.md, "Ingest against a bare pipeline").
 *
 * The file is opened asynchronously, as a stream opens it: opening a FIFO waits for its writer
 * without holding up the event loop. Every TURN_BYTES the event loop gets a turn, so that timers
 * still run during a long import: the CLI's child checks on a timer that its parent is alive
 * (src/cli/main.ts).
 */
export async function* readFileChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let sinceTurn = 0;
    for (;;) {
      const read = readSync(handle.fd, buffer, 0, chunkBytes, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
      sinceTurn += read;
      if (sinceTurn >= TURN_BYTES) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
  } finally {
    await handle.close();
  }
}
