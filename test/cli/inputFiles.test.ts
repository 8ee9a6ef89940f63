import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, hoptrace, tempDir } from '../support/cli.js';

const IMPORTS = ['usdt', 'bank', 'tags', 'links', 'exchange', 'blacklist', 'native', 'amlsim'];

describe('an import whose file cannot be read stops before the case is touched', () => {
  it.each(IMPORTS)('ingest %s with a mistyped file name: one line, exit 1, and no new case file', (kind) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'statement.csv'), 'a,b\n');
    const run = hoptrace(['--db', 'new-case.db', 'ingest', kind, 'statment.csv'], { cwd: dir });
    expect(run.stderr).toBe('hoptrace: statment.csv: no such file\n');
    expect(run.status).toBe(1);
    // Before, the case file was created first, with its "create case" log entry, and left behind.
    expect(readdirSync(dir)).toEqual(['statement.csv']);
  });

  it('a folder: the same, before the case is opened', () => {
    const dir = tempDir();
    const run = hoptrace(['--db', join(dir, 'new-case.db'), 'ingest', 'bank', dir]);
    expect([run.status, run.stderr]).toEqual([1, `hoptrace: ${dir}: is a directory, not a file\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  // hoptrace reads an input more than once (its format, its SHA-256, its rows): a pipe is used up
  // by the first read, and the next open waits for a writer. Before, the command hung there, with
  // a writer or without one; the run is killed after 60 s if it does.
  it.each(
    [
      ['ingest', 'usdt'],
      ['ingest', 'usdt', '--format', 'etherscan'],
      ['ingest', 'bank'],
      ['ingest', 'tags'],
    ].map((args) => [args.join(' '), args] as const),
  )('%s: a named pipe is refused at once, naming why', (_, args) => {
    const dir = tempDir();
    const pipe = join(dir, 'export.csv');
    execFileSync('mkfifo', [pipe]);
    const run = spawnSync(process.execPath, [BIN, '--db', join(dir, 'case.db'), ...args, pipe], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    expect(run.stderr).toBe(
      `hoptrace: ${pipe}: is a pipe, not a file: hoptrace reads an input more than once (its format, its SHA-256, its rows) — save it to a file and give that file\n`,
    );
    expect(run.status).toBe(1);
    expect(readdirSync(dir)).toEqual(['export.csv']);
  });
});
