import { writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseDb } from '../../src/store/caseStore.js';
import { walFullyCopied } from '../../src/store/walIndex.js';
import { tempDir } from '../support/cli.js';

/** A WAL index's first 100 bytes as sqlite.org/walformat.html lays them out, in this machine's byte order. */
function shm(fields: { version?: number; isInit?: number; mxFrame: number; nBackfill: number; secondMxFrame?: number; badChecksum?: boolean }): Buffer {
  const bytes = Buffer.alloc(136);
  const view = new DataView(bytes.buffer);
  const little = endianness() === 'LE';
  for (const [at, mxFrame] of [
    [0, fields.mxFrame],
    [48, fields.secondMxFrame ?? fields.mxFrame],
  ] as const) {
    view.setUint32(at, fields.version ?? 3_007_000, little);
    view.setUint8(at + 12, fields.isInit ?? 1);
    view.setUint16(at + 14, 4096, little);
    view.setUint32(at + 16, mxFrame, little);
    // SQLite's checksum of the header's first 40 bytes: two running sums over pairs of words.
    let [s1, s2] = [0, 0];
    for (let word = at; word < at + 40; word += 8) {
      s1 = (s1 + view.getUint32(word, little) + s2) >>> 0;
      s2 = (s2 + view.getUint32(word + 4, little) + s1) >>> 0;
    }
    view.setUint32(at + 40, fields.badChecksum ? s1 ^ 1 : s1, little);
    view.setUint32(at + 44, s2, little);
  }
  view.setUint32(96, fields.nBackfill, little);
  return bytes;
}

function caseWithShm(bytes: Buffer | undefined): string {
  const path = join(tempDir(), 'case.db');
  if (bytes) writeFileSync(`${path}-shm`, bytes);
  return path;
}

describe('whether the WAL index says the database file holds every frame of the WAL', () => {
  it('reads mxFrame and nBackfill from the header SQLite writes', () => {
    expect(walFullyCopied(caseWithShm(shm({ mxFrame: 7, nBackfill: 7 })))).toBe(true);
    expect(walFullyCopied(caseWithShm(shm({ mxFrame: 0, nBackfill: 0 })))).toBe(true);
    expect(walFullyCopied(caseWithShm(shm({ mxFrame: 7, nBackfill: 6 })))).toBe(false);
  });

  it('says no when it cannot tell: no index, a short one, another layout, not set up, a checksum that fails, or two header copies that differ', () => {
    expect(walFullyCopied(caseWithShm(undefined))).toBe(false);
    expect(walFullyCopied(caseWithShm(shm({ mxFrame: 7, nBackfill: 7 }).subarray(0, 99)))).toBe(false);
    expect(walFullyCopied(caseWithShm(shm({ version: 3_007_001, mxFrame: 7, nBackfill: 7 })))).toBe(false);
    expect(walFullyCopied(caseWithShm(shm({ isInit: 0, mxFrame: 7, nBackfill: 7 })))).toBe(false);
    expect(walFullyCopied(caseWithShm(shm({ badChecksum: true, mxFrame: 7, nBackfill: 7 })))).toBe(false);
    // A writer rewrites the second copy, then the first: read between the two, the header is not trusted.
    expect(walFullyCopied(caseWithShm(shm({ mxFrame: 7, secondMxFrame: 8, nBackfill: 7 })))).toBe(false);
  });

  it("follows a real case file's WAL, its checksum as SQLite wrote it: frames written, then copied in by a checkpoint that leaves the WAL in place", () => {
    const path = join(tempDir(), 'case.db');
    const writer = openCaseDb(path);
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare("INSERT INTO meta (key, value) VALUES ('walIndexTest', 'x')").run();
      expect(walFullyCopied(path)).toBe(false);
      const [done] = writer.pragma('wal_checkpoint(PASSIVE)') as { log: bigint; checkpointed: bigint }[];
      expect(done!.log).toBeGreaterThan(0n);
      expect(done!.checkpointed).toBe(done!.log);
      expect(walFullyCopied(path)).toBe(true);
    } finally {
      writer.close();
    }
  });
});
