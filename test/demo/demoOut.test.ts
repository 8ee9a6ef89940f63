import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';

const refusal = (dir: string): string =>
  `hoptrace: ${dir}: the folder is not empty and was not made by hoptrace demo (no .hoptrace-demo.json) — nothing was deleted or written; give demo --out a new or empty folder\n`;

describe('demo --out never deletes what it did not write', () => {
  it('--out . in a folder with files is refused, and the folder is left as it was', () => {
    const dir = realpathSync(tempDir());
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    mkdirSync(join(dir, 'evidence'));
    writeFileSync(join(dir, 'evidence', 'statement.csv'), 'a,b\n');
    const run = hoptrace(['demo', '--out', '.', '--no-timestamp'], { cwd: dir });
    expect(run.stderr).toBe(refusal(dir));
    expect(run.status).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['evidence', 'notes.txt']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(readdirSync(join(dir, 'evidence'))).toEqual(['statement.csv']);
  });

  it('a file as --out is refused', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out'), 'x');
    const run = hoptrace(['demo', '--out', join(dir, 'out')]);
    expect(run.stderr).toBe(`hoptrace: ${join(dir, 'out')}: is not a folder — give demo --out a new or empty folder\n`);
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('x');
  });

  it('an empty folder is used; a second run replaces only the files the demo wrote', () => {
    const dir = tempDir();
    const first = hoptrace(['demo', '--out', dir, '--no-timestamp']);
    expect(first.status, first.stderr).toBe(0);
    const written = readdirSync(dir).sort();
    expect(written).toEqual([
      '.hoptrace-demo.json',
      'case.db',
      'clusters.json',
      'report-fifo.html',
      'report-fifo.md',
      'report-libr.html',
      'report-libr.md',
      'trace-fifo.graphology.json',
      'trace-fifo.json',
      'trace-libr.json',
    ]);
    // The case file's own hash differs between runs (import times); everything else must not.
    // A rebuilt case differs in what names the case file: its SHA-256 and its audit log's head (the entries' times).
    const reportText = (): string =>
      readFileSync(join(dir, 'report-fifo.md'), 'utf8')
        .replace(/(case\.db`, SHA-256 `)[0-9a-f]+/, '$1')
        .replace(/(Audit log head: `)[0-9a-f]{64}/, '$1');
    const report = reportText();
    writeFileSync(join(dir, 'mine.txt'), 'keep\n');
    const second = hoptrace(['demo', '--out', dir, '--no-timestamp']);
    expect(second.status, second.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([...written, 'mine.txt'].sort());
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('keep\n');
    // The case was rebuilt, not added to: the same report, byte for byte.
    expect(reportText()).toBe(report);
  });
});
