import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { hoptrace, tempDir } from '../support/cli.js';

/**
 * A report names accounts from the case the trace was read from (docs/reports.md, "Names"): never
 * from another case file, and from a later state of its own only saying so.
 */
let dir: string;
let demo: string;
let trace: string;
let head: string;

beforeAll(() => {
  dir = tempDir('hoptrace-report-case-');
  demo = join(dir, 'demo');
  const run = hoptrace(['demo', '--out', demo, '--no-timestamp']);
  expect(run.status, run.stderr).toBe(0);
  trace = join(demo, 'trace-fifo.json');
  head = (JSON.parse(readFileSync(trace, 'utf8')) as TraceResult).case.logHead!;
});

/** A tag file naming the demo's mule as someone else. */
function wrongName(at: string): string {
  const file = join(at, 'wrong.csv');
  writeFileSync(file, 'chain,address,category,label,confidence,source\nbank,DE29100100100987654321,mule,WRONG PERSON (other case),90,other\n');
  return file;
}

describe('report: names from the trace’s own case', () => {
  it('refuses a case file whose audit log does not hold the trace’s log head, and writes nothing', () => {
    // Another case, which names the trace's mule too.
    const stranger = join(dir, 'stranger.db');
    expect(hoptrace(['--db', stranger, 'ingest', 'tags', wrongName(dir)]).status).toBe(0);
    const out = join(dir, 'refused.md');
    const run = hoptrace(['--db', stranger, 'report', trace, '--out', out, '--no-timestamp']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${stranger} is not the case this trace was made from: its audit log does not hold the trace's log head ${head}`);
    expect(() => readFileSync(out)).toThrow();
    // Nor does an export take that case's tags and clusters for the trace's accounts.
    const graph = join(dir, 'refused.json');
    const exported = hoptrace(['--db', stranger, 'export', '--format', 'graphology', '--trace', trace, '--out', graph]);
    expect(exported.status).toBe(1);
    expect(exported.stderr).toContain(`this case file is not the case this trace was made from: its audit log does not hold the trace's log head ${head}`);
    expect(() => readFileSync(graph)).toThrow();
  });

  it('from a later state of the same case (a copy with tags added since), says where the names were read', () => {
    const later = join(dir, 'later.db');
    copyFileSync(join(demo, 'case.db'), later);
    expect(hoptrace(['--db', later, 'ingest', 'tags', wrongName(dir)]).status).toBe(0);
    const laterHead = (JSON.parse(hoptrace(['--db', later, 'log', '--json']).stdout) as { hash: string }[]).at(-1)!.hash;
    const out = join(dir, 'later.md');
    const run = hoptrace(['--db', later, 'report', trace, '--out', out, '--no-timestamp']);
    expect(run.status, run.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(
      `Names read at audit log head: \`${laterHead}\` (1 entry after the trace's, in a case that continues from it: names and tags added since are shown)`,
    );
    // The trace's own case: no such line.
    const own = join(dir, 'own.md');
    expect(hoptrace(['--db', join(demo, 'case.db'), 'report', trace, '--out', own, '--no-timestamp']).status).toBe(0);
    expect(readFileSync(own, 'utf8')).not.toContain('Names read at audit log head');
  });

  it('a --db that names no file is an error, not a report without names', () => {
    const run = hoptrace(['--db', join(dir, 'typo.db'), 'report', trace, '--out', join(dir, 'typo.md')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`no case file at ${join(dir, 'typo.db')}`);
  });

  it('traces of two states of the case are not compared in one report', () => {
    const later = join(dir, 'compare.db');
    copyFileSync(join(demo, 'case.db'), later);
    expect(hoptrace(['--db', later, 'ingest', 'tags', wrongName(dir)]).status).toBe(0);
    const lifo = join(dir, 'lifo.json');
    const traced = hoptrace(['--db', later, 'trace', 'account:DE68500105174417320965', '--rule', 'lifo', '--out', lifo]);
    expect(traced.status, traced.stderr).toBe(0);
    const run = hoptrace(['--db', join(demo, 'case.db'), 'report', trace, lifo, '--out', join(dir, 'mixed.md')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${lifo} was traced on another case, or another state of it, than ${trace}`);
  });

  it('trace --compare that names only the trace’s own rule is refused before anything is traced or written', () => {
    const out = join(dir, 'own.json');
    const run = hoptrace([
      '--db',
      join(demo, 'case.db'),
      'trace',
      'account:DE68500105174417320965',
      '--rule',
      'fifo',
      '--out',
      out,
      '--report',
      join(dir, 'own-rule.md'),
      '--compare',
      'fifo',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("--compare fifo: names no rule but the trace's own (--rule fifo): nothing to compare");
    expect(() => readFileSync(out)).toThrow();
  });
});
