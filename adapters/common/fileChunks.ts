import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A file's bytes, `chunkBytes` at a time, read with `readSync` into one buffer: each chunk is a
 * view of it, valid until the next is asked for (callers copy what they keep: a decoded string, a
 * hash's state). A `fs.createReadStream` hands each chunk through libuv's thread pool, a promise
 * and a Buffer of its own: reading 100 MB of TronGrid pages in 64 KiB chunks took 110–250 ms of
 * CPU that way against 25–60 here, and a file is read twice on import, once for its SHA-256
 * (docs/performance.md, "Ingest against a bare pipeline").
 *
 * The file is opened asynchronously, as a stream opens it: opening a FIFO waits for its writer
 * without holding up the event loop. After each chunk the event loop gets a turn, as a stream
 * gives it: timers run (the CLI's child checks on one that its parent is alive, src/cli/main.ts),
 * and so do the garbage collector's tasks, which Node runs on the event loop. With a turn only
 * every MiB, a 1,000,000-row Etherscan import peaked 10–15 MB higher.
 */
export async function* readFileChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const read = readSync(handle.fd, buffer, 0, chunkBytes, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
      await nextTurn();
    }
  } finally {
    await handle.close();
  }
}
