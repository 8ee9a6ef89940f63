import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointCaseFile, startFileHash } from '../../src/store/caseFileHash.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { tempDir } from '../support/cli.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

let dir: string;

beforeAll(() => {
  dir = tempDir();
});

describe('startFileHash', () => {
  it('gives the SHA-256 of a case file with its WAL folded in, hashed here or on a worker', () => {
    const path = join(dir, 'case.db');
    const db = openCaseDb(path);
    try {
      // Rows for several 1 MiB chunks, left in the WAL until the checkpoint.
      db.exec('CREATE TABLE filler (x BLOB)');
      const insert = db.prepare('INSERT INTO filler VALUES (randomblob(4000))');
      db.transaction(() => {
        for (let i = 0; i < 800; i++) insert.run();
      })();
      checkpointCaseFile(db);
      expect(readFileSync(path).length).toBeGreaterThan(3 << 20);
      const here = startFileHash(path).digest();
      expect(here).toBe(sha256Of(path));
      insert.run();
      checkpointCaseFile(db);
      const onWorker = startFileHash(path, { workerMinBytes: 0 });
      expect(onWorker.remembered).toBe(false);
      const digest = onWorker.digest();
      expect(digest).toBe(sha256Of(path));
      expect(digest).not.toBe(here);
    } finally {
      db.close();
    }
  });

  it('remembers the hash of a file left alone, and hashes it again once it changes', async () => {
    const path = join(dir, 'plain.bin');
    writeFileSync(path, Buffer.alloc(2_500_000, 7));
    const before = sha256Of(path);
    // Just written: within the default 3 s its times may not yet show a second write, so nothing is remembered.
    expect(startFileHash(path).digest()).toBe(before);
    expect(startFileHash(path).remembered).toBe(false);
    await sleep(20);
    const settled = { settledMs: 10 };
    expect(startFileHash(path, { ...settled, workerMinBytes: 0 }).digest()).toBe(before);
    const again = startFileHash(path, settled);
    expect(again.remembered).toBe(true);
    expect(again.digest()).toBe(before);
    // Same size, one byte changed: the file's times move, and its hash is read again.
    const bytes = readFileSync(path);
    bytes[1_234_567] = 8;
    writeFileSync(path, bytes);
    const changed = startFileHash(path, settled);
    expect(changed.remembered).toBe(false);
    const after = changed.digest();
    expect(after).toBe(sha256Of(path));
    expect(after).not.toBe(before);
  });

  it('names the file when the worker cannot read it, and gives a hash once', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(() => startFileHash(folder, { workerMinBytes: 0 }).digest()).toThrow(`cannot hash ${folder}: EISDIR`);
    const fresh = join(dir, 'fresh.bin');
    writeFileSync(fresh, 'fresh');
    const pending = startFileHash(fresh, { workerMinBytes: 0 });
    pending.digest();
    expect(() => pending.digest()).toThrow('was already taken');
  });

  it('lets go of a hash no one will ask for, and does not remember it', () => {
    const path = join(dir, 'abandoned.bin');
    writeFileSync(path, Buffer.alloc(8_000_000, 1));
    const pending = startFileHash(path, { workerMinBytes: 0 });
    pending.abandon();
    expect(() => pending.digest()).toThrow('was already abandoned');
    const next = startFileHash(path, { workerMinBytes: 0 });
    expect(next.remembered).toBe(false);
    expect(next.digest()).toBe(sha256Of(path));
  });
});
