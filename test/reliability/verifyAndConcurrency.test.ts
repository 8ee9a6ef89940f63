import { spawn } from 'node:child_process';
import { copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, hoptrace, ROOT, tempDir } from '../support/cli.js';
import { writeEtherscanCsv } from '../support/generate.js';

describe('hoptrace verify', () => {
  it('re-hashes every source, and fails on a changed or missing file', () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.json');
    copyFileSync(fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'), a);
    copyFileSync(fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json'), b);
    expect(hoptrace(['--db', db, 'ingest', 'usdt', a, b, '--quiet']).status).toBe(0);
    const ok = hoptrace(['--db', db, 'verify']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(
      `ok         ${a} 1385d8bb0d7a18e892a6524e3357f4befaa5f36537e1e1d9cd20d2db43409f14\n` +
        `ok         ${b} 13bbbcdafbe9742cf35362e99a303fb348a3eaaf3db8634cbdc9f0b47add055e\n` +
        // The audit log: the case's creation and one entry per file.
        `audit log: ok, 3 entries, head ${(JSON.parse(hoptrace(['--db', db, 'log', '--json']).stdout) as { hash: string }[])[2]!.hash}\n` +
        'database integrity: ok; foreign-key violations: 0; transfers without a source: 0\n',
    );
    writeFileSync(a, 'altered');
    rmSync(b);
    const bad = hoptrace(['--db', db, 'verify', '--json']);
    expect(bad.status).toBe(3);
    const result = JSON.parse(bad.stdout) as { ok: boolean; sources: { status: string; actual?: string }[] };
    expect(result.ok).toBe(false);
    expect(result.sources.map((s) => s.status)).toEqual(['changed', 'missing']);
    expect(result.sources[0]!.actual).toBe('4aa009153649a0a7c1425387f3da9c72330ad069ea9f69ce1640abe46f92a83b'); // sha256 of "altered"
    expect(bad.stderr).toContain('verification failed');
  });
});

/** Runs hoptrace without waiting on it (hoptrace() blocks this process: the test's own lock could not be released). */
function runHoptrace(args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ status: code ?? -1, stderr }));
  });
}

describe('two writers on one case file', () => {
  it('the second waits for the first (busy timeout); both imports land whole, the file stays sound', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const first = join(dir, 'first.csv');
    const second = join(dir, 'second.csv');
    await writeEtherscanCsv(first, 20_000, 1);
    await writeEtherscanCsv(second, 20_000, 2);
    const runs = await Promise.all([
      runHoptrace(['--db', db, 'ingest', 'usdt', first, '--quiet']),
      runHoptrace(['--db', db, 'ingest', 'usdt', second, '--quiet']),
    ]);
    // Each makes the new case under a hidden name; one that finds the other's case at the name when
    // it is done imports again, into that one, and says so (docs/cli.md, "The case file").
    const again = `note: another process created ${db} while this import ran; importing again, into that case\n`;
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    expect(runs.filter((r) => r.stderr !== '').map((r) => r.stderr)).toEqual(runs.some((r) => r.stderr !== '') ? [again] : []);
    const check = new Database(db);
    expect(check.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    expect(Number(check.prepare('SELECT COUNT(*) FROM transfers').pluck().get())).toBe(40_000);
    expect(Number(check.prepare('SELECT COUNT(*) FROM sources').pluck().get())).toBe(2);
    check.close();
  });

  // A new case file is in SQLite's rollback-journal mode until its first opener turns it to WAL
  // (docs/case-file.md, "Two processes on one case file"). That switch reads, then writes: an
  // opener that meets another's write lock there gets SQLITE_BUSY at once, with no busy handler
  // (sqlite.org/c3ref/busy_handler.html: a reader promoting to a writer would deadlock), which
  // two ingests creating one case at the same moment met about once in a few hundred runs.
  it('a new case file another process is writing: the opener waits for it to switch to WAL, then imports', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    const ingest = runHoptrace(['--db', db, 'ingest', 'usdt', fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'), '--quiet']);
    // Released only once the ingest has met the lock (it is still running: it cannot have finished).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    holder.exec('ROLLBACK');
    holder.close();
    expect(await ingest).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout).transfers).toBe(2);
  });

  // Before its first transfer (only an ingest creates one: docs/cli.md), and a file no hoptrace
  // has opened yet, still in the rollback-journal mode: its switch to WAL waits as any write does.
  it.each([
    ['a case file with no transfers yet', true],
    ['a new case file', false],
  ])('a writer that waits too long for %s stops with a clear message and changes nothing', (_, isCase) => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    if (isCase) expect(hoptrace(['--db', db, 'ingest', 'tags', join(ROOT, 'samples', 'attribution', 'demo-tags.csv'), '--quiet']).status).toBe(0);
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    const blocked = hoptrace(['--db', db, 'ingest', 'usdt', fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'), '--quiet'], {
      env: { HOPTRACE_BUSY_TIMEOUT_MS: '300' },
    });
    holder.exec('ROLLBACK');
    holder.close();
    expect(blocked.stderr).toBe(
      `hoptrace: ${db}: the case file is busy: another hoptrace process is writing to it — wait for it to finish and run the command again\n`,
    );
    expect(blocked.status).toBe(1);
    if (isCase) expect(JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout).transfers).toBe(0);
    // Nothing was written: the file the holder created is as empty as it left it.
    else expect(statSync(db).size).toBe(0);
  });

  it('cluster and detect on a case another process is writing: the busy message, exit 1, nothing stored', () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    copyFileSync(fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'), join(dir, 'a.csv'));
    expect(hoptrace(['--db', db, 'ingest', 'usdt', join(dir, 'a.csv'), '--quiet']).status).toBe(0);
    const log = hoptrace(['--db', db, 'log', '--json']).stdout;
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      for (const command of ['cluster', 'detect']) {
        const blocked = hoptrace(['--db', db, command], { env: { HOPTRACE_BUSY_TIMEOUT_MS: '300' } });
        expect([command, blocked.status]).toEqual([command, 1]);
        expect(blocked.stderr).toBe(
          `hoptrace: ${db}: the case file is busy: another hoptrace process is writing to it — wait for it to finish and run the command again\n`,
        );
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(hoptrace(['--db', db, 'log', '--json']).stdout).toBe(log);
  });
});
