import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileChunks } from '../../../adapters/common/fileChunks.js';
import { tempDir } from '../../support/cli.js';
import { prng } from '../../support/prng.js';

function randomBytes(size: number): Buffer {
  const random = prng(3);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

describe('a file read a chunk at a time into one buffer', () => {
  it('hands out every byte in order, at most a chunk at a time, each chunk copied before the next is read', async () => {
    const path = join(tempDir(), 'data.bin');
    const bytes = randomBytes(3 * 65536 + 123);
    writeFileSync(path, bytes);
    for (const size of [1000, 65536, 1 << 20]) {
      const copies: Buffer[] = [];
      for await (const chunk of readFileChunks(path, size)) {
        expect(chunk.length).toBeLessThanOrEqual(size);
        copies.push(Buffer.from(chunk));
      }
      expect(Buffer.concat(copies).equals(bytes), `chunks of ${size}`).toBe(true);
      expect(copies.length).toBe(Math.ceil(bytes.length / size));
    }
    const empty = join(tempDir(), 'empty.bin');
    writeFileSync(empty, '');
    const none: Buffer[] = [];
    for await (const chunk of readFileChunks(empty, 65536)) none.push(chunk);
    expect(none).toEqual([]);
  });

  it('lets timers run while a large file is read by a reader that never waits itself', async () => {
    const path = join(tempDir(), 'large.bin');
    writeFileSync(path, Buffer.alloc(4 << 20, 1));
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 1);
    let chunksAfterTimer = 0;
    for await (const _ of readFileChunks(path, 65536)) {
      // Work on each chunk, as a parser's, for longer than the timer's delay.
      const until = Date.now() + 2;
      while (Date.now() < until);
      if (fired) chunksAfterTimer++;
    }
    // 64 chunks, a turn of the event loop after each: the timer runs at the first or the second
    // turn (the first can resume within the loop's pass that is past its timers), so at least 62
    // chunks are read after it. Read without turns, none would be.
    expect(chunksAfterTimer).toBeGreaterThanOrEqual(62);
  });

  it('names a missing file as the system does', async () => {
    const reading = async (): Promise<void> => {
      for await (const _ of readFileChunks(join(tempDir(), 'missing.bin'), 65536));
    };
    await expect(reading()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
