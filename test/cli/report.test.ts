import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { REPORT_FIXTURES } from '../support/reportFixtures.js';

/** `hoptrace report` as a user runs it: the real built CLI on the hand-made trace files. */
const FIFO = join(REPORT_FIXTURES, 'trace-fifo.json');
let dir: string;

beforeAll(() => {
  dir = tempDir('hoptrace-report-');
});

function report(trace: string, out: string, ...extra: string[]): string {
  const run = hoptrace(['report', trace, '--out', join(dir, out), ...extra]);
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(join(dir, out), 'utf8');
}

/** The same JSON with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
}

describe('hoptrace report', () => {
  it('gives byte-identical reports twice with --no-timestamp, in every format', () => {
    for (const format of ['md', 'html', 'json', 'csv']) {
      const first = report(FIFO, `a.${format}`, '--format', format, '--no-timestamp');
      const second = report(FIFO, `b.${format}`, '--format', format, '--no-timestamp');
      expect(first.length, format).toBeGreaterThan(1000);
      expect(second, format).toBe(first);
    }
  });

  it('dates a report unless told not to', () => {
    const before = Date.now();
    const md = report(FIFO, 'dated.md');
    const generated = /^- Generated: (\S+)$/m.exec(md)?.[1];
    expect(Date.parse(generated!)).toBeGreaterThanOrEqual(before - 1000);
    expect(report(FIFO, 'dated.json').includes(`"generated": "`)).toBe(true);
  });

  it('writes canonical JSON: the same content in any key order gives the same bytes, and reads back', () => {
    const shuffled = join(dir, 'shuffled.json');
    writeFileSync(shuffled, JSON.stringify(reversedKeys(JSON.parse(readFileSync(FIFO, 'utf8')))));
    const canonical = report(FIFO, 'canonical.json', '--no-timestamp');
    expect(report(shuffled, 'from-shuffled.json', '--no-timestamp')).toBe(canonical);
    const keys = Object.keys(JSON.parse(canonical) as object);
    expect(keys).toEqual([
      'rule',
      'params',
      'seeds',
      'endpoints',
      'held',
      'beyondHopLimit',
      'belowThreshold',
      'unknownSourceDraws',
      'edges',
      'totals',
      'case',
      'sources',
      'report',
    ]);
    expect(Object.keys((JSON.parse(canonical) as { edges: object[] }).edges[1]!)).toEqual([
      'transfer',
      'rail',
      'ref',
      'seq',
      'logIndex',
      'from',
      'to',
      'asset',
      'amount',
      'traced',
      'bySeed',
      'hop',
      'time',
      'allocation',
      'outcome',
      'source',
    ]);
    // The JSON report is still a trace: reporting it again gives the same report.
    expect(report(join(dir, 'canonical.json'), 'again.json', '--no-timestamp')).toBe(canonical);
    expect(report(join(dir, 'canonical.json'), 'again.md', '--no-timestamp')).toBe(report(FIFO, 'direct.md', '--no-timestamp'));
  });

  it('takes the format from the file name when --format is not given', () => {
    expect(report(FIFO, 'by-name.html', '--no-timestamp')).toMatch(/^<!DOCTYPE html>/);
    expect(report(FIFO, 'by-name.csv', '--no-timestamp')).toMatch(/^transfer,hop,rail,from,/);
    const run = hoptrace(['report', FIFO, '--out', join(dir, 'report.txt')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `hoptrace: cannot tell the report format from ${JSON.stringify(join(dir, 'report.txt'))} — name it .md, .html, .json or .csv, or give --format\n`,
    );
  });
});

describe('hoptrace report refuses what is not a trace, naming the file', () => {
  const refuse = (name: string, content: string | null): string => {
    const file = join(dir, name);
    if (content !== null) writeFileSync(file, content);
    const run = hoptrace(['report', file, '--format', 'md', '--out', join(dir, 'refused.md')]);
    expect(run.status).toBe(1);
    return run.stderr.replace(file, 'FILE');
  };
  const HINT = ' — write one with hoptrace trace SEED… --out FILE\n';

  it('a missing file', () => {
    expect(refuse('missing.json', null)).toBe('hoptrace: FILE: no such file\n');
  });

  it('a truncated trace', () => {
    const text = readFileSync(FIFO, 'utf8');
    expect(refuse('truncated.json', text.slice(0, text.length / 2))).toMatch(
      /^hoptrace: FILE: not a hoptrace trace: invalid JSON \(.+\) — write one with hoptrace trace SEED… --out FILE\n$/,
    );
  });

  it('some other JSON', () => {
    expect(refuse('other.json', '{"hello": 1}')).toBe(
      `hoptrace: FILE: not a hoptrace trace: rule is undefined, not one of fifo, lifo, pro-rata, libr, poison; params is not an object; seeds is not a list; and 9 more${HINT}`,
    );
  });

  it('a trace with a broken hash, a float amount and an unknown seed', () => {
    const trace = JSON.parse(readFileSync(FIFO, 'utf8')) as { edges: { source: { sha256: string }; traced: unknown; bySeed: Record<string, string> }[] };
    trace.edges[2]!.source.sha256 = 'not-a-hash';
    trace.edges[3]!.traced = 2000.5;
    expect(refuse('broken.json', JSON.stringify(trace))).toBe(
      `hoptrace: FILE: not a hoptrace trace: edges[2].source.sha256 is not a SHA-256 (64 lowercase hex digits); edges[3].traced is not a decimal amount string (2000.5)${HINT}`,
    );
    const unknownSeed = JSON.parse(readFileSync(FIFO, 'utf8')) as typeof trace;
    unknownSeed.edges[0]!.bySeed = { '99': '3000.000000' };
    expect(refuse('unknown-seed.json', JSON.stringify(unknownSeed))).toBe(
      `hoptrace: FILE: not a hoptrace trace: edges[0].bySeed names seed "99", which is not among the seeds${HINT}`,
    );
  });
});
