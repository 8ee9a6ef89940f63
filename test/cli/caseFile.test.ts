import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hoptrace, ROOT, tempDir } from '../support/cli.js';

// Every command that does not bring data in, as a user would type it.
const READING_COMMANDS: string[][] = [
  ['info'],
  ['info', '--json'],
  ['verify'],
  ['trace', 'account:DE68500105174417320965'],
  ['tags'],
  ['endpoints'],
  ['findings'],
  ['cluster'],
  ['detect'],
  ['export', '--format', 'graphology', '--out', 'graph.json'],
  ['export', '--format', 'tagpack', '--out', 'tags.yaml'],
];

const TAGS = join(ROOT, 'samples', 'attribution', 'demo-tags.csv');

describe('the case file: nothing created unasked, nothing that is not a case opened', () => {
  it.each(READING_COMMANDS.map((c) => [c.join(' '), c]))('%s on a missing case file: one line, exit 1, no file created', (_name, command) => {
    const dir = tempDir();
    const run = hoptrace(['--db', 'caes.db', ...command], { cwd: dir });
    expect(run.stderr).toBe('hoptrace: no case file at caes.db — check --db, or create one with an ingest command\n');
    expect(run.status).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('HOPTRACE_DB naming a missing file is refused the same way', () => {
    const dir = tempDir();
    const run = hoptrace(['info'], { cwd: dir, env: { HOPTRACE_DB: 'missing.db' } });
    expect(run.stderr).toBe('hoptrace: no case file at missing.db — check --db, or create one with an ingest command\n');
    expect(run.status).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--db README.md: one line naming the file, exit 1, the file untouched', () => {
    const dir = tempDir();
    copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
    const before = readFileSync(join(dir, 'README.md'));
    for (const command of [['info'], ['ingest', 'tags', TAGS]]) {
      const run = hoptrace(['--db', 'README.md', ...command], { cwd: dir });
      expect(run.stderr).toBe('hoptrace: README.md: not a hoptrace case file (not an SQLite database) — check --db\n');
      expect(run.status).toBe(1);
    }
    expect(readFileSync(join(dir, 'README.md')).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['README.md']);
  });

  it('an empty file is not a case to read, and is left empty', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'case.db'), '');
    const run = hoptrace(['--db', 'case.db', 'info'], { cwd: dir });
    expect(run.stderr).toBe('hoptrace: case.db: not a hoptrace case file (the file is empty) — check --db\n');
    expect(run.status).toBe(1);
    expect(statSync(join(dir, 'case.db')).size).toBe(0);
    expect(readdirSync(dir)).toEqual(['case.db']);
  });

  it("another program's SQLite database is refused by every command, and not changed", () => {
    const dir = tempDir();
    const other = new Database(join(dir, 'other.db'));
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    const before = readFileSync(join(dir, 'other.db'));
    for (const command of [['info'], ['ingest', 'tags', TAGS]]) {
      const run = hoptrace(['--db', 'other.db', ...command], { cwd: dir });
      expect(run.stderr).toBe("hoptrace: other.db: not a hoptrace case file (an SQLite database without hoptrace's tables) — check --db\n");
      expect(run.status).toBe(1);
    }
    expect(readFileSync(join(dir, 'other.db')).equals(before)).toBe(true);
  });

  it('a folder is not a case file', () => {
    const dir = tempDir();
    const run = hoptrace(['--db', dir, 'info']);
    expect(run.stderr).toBe(`hoptrace: ${dir}: not a hoptrace case file (it is a folder) — check --db\n`);
    expect(run.status).toBe(1);
  });

  it('an ingest command creates the case file, and reading commands then open it', () => {
    const dir = tempDir();
    const ingest = hoptrace(['--db', 'new.db', 'ingest', 'tags', TAGS, '--quiet'], { cwd: dir });
    expect(ingest.status, ingest.stderr).toBe(0);
    const info = hoptrace(['--db', 'new.db', 'info', '--json'], { cwd: dir });
    expect(info.status, info.stderr).toBe(0);
    expect((JSON.parse(info.stdout) as { sources: unknown[] }).sources).toHaveLength(1);
  });
});
