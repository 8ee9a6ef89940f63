import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { buildDemoCase, KEVIN, serveWrite } from '../support/workbench.js';

// A note posted while another process holds the case file's write lock past the busy timeout
// (docs/workbench.md): nothing is stored, and the answer says "try again" (503, Retry-After)
// rather than "your request is wrong" (400), so a client can tell the two apart.
let demo: string;

beforeAll(() => {
  demo = buildDemoCase();
}, 240_000);

describe('serve --write on a busy case file', () => {
  it('answers 503 with Retry-After and stores nothing; once the lock is gone the same note is stored', async () => {
    const file = join(tempDir('hoptrace-serve-busy-'), 'case.db');
    copyFileSync(demo, file);
    const before = hoptrace(['--db', file, 'log', '--json']).stdout;
    const workbench = await serveWrite(file, { HOPTRACE_BUSY_TIMEOUT_MS: '300' });
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const refused = await workbench.post('/api/notes', { account: `bank:${KEVIN}`, text: 'while busy' });
      expect([refused.status, refused.headers['retry-after']]).toEqual([503, '1']);
      expect(JSON.parse(refused.body)).toEqual({
        error: `${file}: the case file is busy: another hoptrace process is writing to it — wait for it to finish and run the command again`,
      });
      holder.exec('COMMIT');
      expect(hoptrace(['--db', file, 'log', '--json']).stdout).toBe(before);
      const stored = await workbench.post('/api/notes', { account: `bank:${KEVIN}`, text: 'after the lock' });
      expect(stored.status, stored.body).toBe(201);
      expect(JSON.parse(stored.body)).toMatchObject({ id: 1, target: 'account', ref: `bank:${KEVIN}`, text: 'after the lock' });
    } finally {
      holder.close();
      workbench.kill();
    }
  });
});
