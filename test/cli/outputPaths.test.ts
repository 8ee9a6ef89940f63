import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, hoptrace, tempDir } from '../support/cli.js';

let demo: string;
const SEED = 'account:DE68500105174417320965';

beforeAll(() => {
  demo = join(tempDir(), 'demo');
  const run = hoptrace(['demo', '--out', demo, '--no-timestamp']);
  expect(run.status, run.stderr).toBe(0);
});

/** Runs in a fresh folder; returns the run and what the folder holds afterwards. */
function inFolder(args: string[]): { status: number; stdout: string; stderr: string; files: string[] } {
  const dir = tempDir();
  writeFileSync(join(dir, 'a-file'), 'x');
  const run = hoptrace(['--db', join(demo, 'case.db'), ...args], { cwd: dir });
  return { ...run, files: readdirSync(dir).sort() };
}

describe('output paths are checked before any work', () => {
  it.each([
    [['trace', SEED, '--out', 'missing/dir/t.json'], 'hoptrace: --out missing/dir/t.json: the folder missing/dir does not exist — create it first\n'],
    [['trace', SEED, '--out', 'a-file/t.json'], 'hoptrace: --out a-file/t.json: a-file is not a folder\n'],
    [['trace', SEED, '--out', 't.txt'], 'hoptrace: --out t.txt: expected a name ending in .json\n'],
    [['trace', SEED, '--report', 'r.pdf'], 'hoptrace: cannot tell the report format from "r.pdf" — name it .md, .html, .json or .csv, or give --format\n'],
    [['trace', SEED, '--report', 'missing/r.html'], 'hoptrace: --report missing/r.html: the folder missing does not exist — create it first\n'],
    [['report', 'TRACE', '--out', 'missing/r.md'], 'hoptrace: --out missing/r.md: the folder missing does not exist — create it first\n'],
    [['report', 'TRACE', '--out', 'r.html', '--pdf', 'r.png'], 'hoptrace: --pdf r.png: expected a name ending in .pdf\n'],
    [['report', 'TRACE', '--out', 'r.html', '--pdf', 'missing/r.pdf'], 'hoptrace: --pdf missing/r.pdf: the folder missing does not exist — create it first\n'],
    [['export', '--format', 'gexf', '--out', 'missing/g.gexf'], 'hoptrace: --out missing/g.gexf: the folder missing does not exist — create it first\n'],
    [['export', '--format', 'gexf', '--out', 'g.json'], 'hoptrace: --out g.json: expected a name ending in .gexf\n'],
    [['export', '--format', 'graphml', '--out', '.'], 'hoptrace: --out .: is a folder — give a file name\n'],
    [['export', '--format', 'neo4j', '--out', 'a-file'], 'hoptrace: --out a-file: is a file, not a folder\n'],
    [['export', '--format', 'tagpack', '--out', 'tags.json'], 'hoptrace: --out tags.json: expected a name ending in .yaml or .yml\n'],
  ])('%j', (args, message) => {
    const run = inFolder(args.map((a) => (a === 'TRACE' ? join(demo, 'trace-fifo.json') : a)));
    expect(run.stderr).toBe(message);
    expect(run.status).toBe(1);
    // Nothing ran: no trace summary printed, nothing written.
    expect(run.stdout).toBe('');
    expect(run.files).toEqual(['a-file']);
  });

  it('a file the system will not create is one line naming it, exit 1 (not an internal error)', () => {
    // /proc exists but takes no new files, whoever runs the test (root included).
    const run = inFolder(['trace', SEED, '--out', '/proc/hoptrace-t.json']);
    expect(run.stderr).toBe('hoptrace: /proc/hoptrace-t.json: cannot write the trace: ENOENT: no such file or directory\n');
    expect(run.status).toBe(1);
  });

  it('good paths still work: trace --out t.json --report r.md, export neo4j into a new folder', () => {
    const trace = inFolder(['trace', SEED, '--out', 't.json', '--report', 'r.md', '--no-timestamp']);
    expect(trace.status, trace.stderr).toBe(0);
    expect(trace.files).toEqual(['a-file', 'r.md', 't.json']);
    const neo4j = inFolder(['export', '--format', 'neo4j', '--out', 'neo4j']);
    expect(neo4j.status, neo4j.stderr).toBe(0);
    expect(neo4j.files).toEqual(['a-file', 'neo4j']);
  });
});

/** The seeds of the demo's own trace (its trace-fifo.json). */
const demoSeeds = (): string[] => (JSON.parse(readFileSync(join(demo, 'trace-fifo.json'), 'utf8')) as { params: { seeds: string[] } }).params.seeds;

describe('an output file is written whole or not at all', () => {
  // A file-size limit (ulimit -f, 40 KiB) stands in for a disk that fills up: the demo's trace
  // (47,891 bytes) and report (247,295) do not fit; its case file is only read. Before, each
  // write stopped at 40,960 bytes, over the earlier file, and left that half there.
  it.each([
    [['trace', 'SEEDS', '--out', 'out.json'], 'out.json', 'trace'],
    [['report', 'TRACE', '--out', 'out.html', '--no-timestamp'], 'out.html', 'report'],
  ])('%j', (args, name, what) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), 'the earlier one');
    const run = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 40; exec "$0" "$@"',
        process.execPath,
        BIN,
        '--db',
        join(demo, 'case.db'),
        ...args.flatMap((a) => (a === 'TRACE' ? [join(demo, 'trace-fifo.json')] : a === 'SEEDS' ? demoSeeds() : [a])),
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.stderr).toBe(`hoptrace: ${name}: cannot write the ${what}: EFBIG: file too large\n`);
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('the earlier one');
    expect(readdirSync(dir)).toEqual([name]);
  });
});
