import { writeSync } from 'node:fs';

/** 1 ms waits while a pipe is full (Atomics.wait needs a shared Int32Array to wait on). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes `text` to stdout before returning, waiting while a pipe's reader is behind. Node's
 * `process.stdout.write` on a pipe never waits: what the reader has not taken yet is queued in
 * memory, so `hoptrace detect --json | gzip` held the whole output (688 MB of findings on a
 * 5,000,000-transfer case, 2 GB of RSS) however it was produced a page at a time
 * (docs/performance.md, `detect`). What stdout's stream still holds goes first, so output keeps
 * its order; a closed pipe (`| head`) ends the process as main.ts does for the stream.
 */
export function writeStdout(text: string): void {
  if (process.stdout.writableLength > 0) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written, bytes.length - written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      // Once Node has opened stdout as a stream, a pipe is non-blocking: full means try again.
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }
}
