import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFileHash } from '../../src/store/caseFileHash.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { isSystemError } from '../../src/model/errors.js';
import { ROOT, tempDir } from '../support/cli.js';

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
/**
 * This process's descriptors open on `path`. Counting every descriptor would also count a
 * worker of an earlier test whose event loop closes its own as it exits, at any moment.
 */
const descriptorsOn = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false; // closed between the listing and the look (the listing's own descriptor, too)
    }
  }).length;

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
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(path).length).toBeGreaterThan(3 << 20);
      const here = startFileHash(path).digest();
      expect(here).toBe(sha256Of(path));
      insert.run();
      db.pragma('wal_checkpoint(TRUNCATE)');
      const onWorker = startFileHash(path, { workerMinBytes: 0 });
      const digest = onWorker.digest();
      expect(digest).toBe(sha256Of(path));
      expect(digest).not.toBe(here);
      // Asked again (compare cites one hash for every rule): the same answer, not a second read.
      expect(onWorker.digest()).toBe(digest);
    } finally {
      db.close();
    }
  });

  it('reads the bytes every time: a file rewritten in place, same size, hashes anew', () => {
    const path = join(dir, 'plain.bin');
    writeFileSync(path, Buffer.alloc(2_500_000, 7));
    const before = startFileHash(path, { workerMinBytes: 0 }).digest();
    expect(before).toBe(sha256Of(path));
    const bytes = readFileSync(path);
    bytes[1_234_567] = 8;
    writeFileSync(path, bytes);
    const after = startFileHash(path, { workerMinBytes: 0 }).digest();
    expect(after).toBe(sha256Of(path));
    expect(after).not.toBe(before);
    expect(startFileHash(path).digest()).toBe(after);
  });

  it('keeps one descriptor per file, however often it is hashed', () => {
    const path = join(dir, 'counted.bin');
    writeFileSync(path, 'counted');
    startFileHash(path).digest();
    expect(descriptorsOn(path)).toBe(1);
    for (let i = 0; i < 20; i++) startFileHash(path).digest();
    for (let i = 0; i < 3; i++) startFileHash(path, { workerMinBytes: 0 }).digest();
    expect(descriptorsOn(path)).toBe(1);
  });

  it('fails as the read would have: a system error with its code, naming the file', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    for (const workerMinBytes of [0, 1 << 30]) {
      let thrown: unknown;
      try {
        startFileHash(folder, { workerMinBytes }).digest();
      } catch (error) {
        thrown = error;
      }
      expect(isSystemError(thrown)).toBe(true);
      expect((thrown as NodeJS.ErrnoException).code).toBe('EISDIR');
      expect((thrown as Error).message).toContain('EISDIR');
    }
  });

  it('lets go of a hash no one will ask for', () => {
    const path = join(dir, 'abandoned.bin');
    writeFileSync(path, Buffer.alloc(8_000_000, 1));
    for (const workerMinBytes of [0, 1 << 30]) {
      const pending = startFileHash(path, { workerMinBytes });
      pending.abandon();
      expect(() => pending.digest()).toThrow(`the hash of ${path} was abandoned`);
    }
    expect(startFileHash(path, { workerMinBytes: 0 }).digest()).toBe(sha256Of(path));
  });

  it('hashes on the main thread where no worker may be started', () => {
    const path = join(dir, 'no-worker.bin');
    writeFileSync(path, Buffer.alloc(3_000_000, 5));
    // Node's permission model refuses threads without --allow-worker: the built module must fall back.
    const module = join(ROOT, 'dist', 'src', 'store', 'caseFileHash.js');
    const script = `const { startFileHash } = await import(${JSON.stringify(module)}); process.stdout.write(startFileHash(${JSON.stringify(path)}, { workerMinBytes: 0 }).digest());`;
    const run = spawnSync(process.execPath, ['--experimental-permission', '--allow-fs-read=*', '--no-warnings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(sha256Of(path));
  });
});
