import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_NAMES, type TraceResult } from '../../src/model/trace.js';
import { writeReport } from '../../src/report/writeReport.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { hoptraceAsync } from '../support/usdtCase.js';
import { ADDRESS, loadFixtureTrace, REPORT_FIXTURES, sha256File, txHash } from '../support/reportFixtures.js';

/**
 * A case the report has never seen, built with the real CLI: the hand-made mule ledger as a
 * TronScan export under a hostile file name, in a folder with a hostile name, plus the tags CSV;
 * `hoptrace trace … --report` and `hoptrace report`. The tracer must reproduce the hand-worked
 * figures, and the reports must cite this case's own hashes.
 */
let dir: string;
let db: string;
let ledger: string;
let tags: string;

const seeds = [txHash('t2'), txHash('t4')];
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const run = (...args: string[]): void => {
  const result = hoptrace(['--db', db, ...args]);
  expect(result.status, result.stderr).toBe(0);
};

beforeAll(() => {
  dir = join(tempDir('hoptrace-e2e-'), `case "<i>&'`);
  mkdirSync(dir);
  db = join(dir, 'case.db');
  ledger = join(dir, `mule <u>"&'.tronscan.csv`);
  tags = join(dir, 'tags.csv');
  copyFileSync(join(REPORT_FIXTURES, 'mule-ledger.tronscan.csv'), ledger);
  copyFileSync(join(REPORT_FIXTURES, 'tags.csv'), tags);
  run('ingest', 'usdt', ledger);
  run('ingest', 'tags', tags);
  run('trace', ...seeds, '--out', join(dir, 'fifo.json'), '--report', join(dir, 'fifo.html'), '--no-timestamp');
  run('trace', ...seeds, '--rule', 'pro-rata', '--out', join(dir, 'pro-rata.json'));
  run('trace', ...seeds, '--max-hops', '1', '--out', join(dir, 'hop1.json'));
});

/** What the hand-made fixture cannot know: the fingerprint seq, file paths and hashes of this case. */
function figures(trace: TraceResult): unknown {
  return {
    seeds: trace.seeds,
    endpoints: trace.endpoints,
    held: trace.held,
    totals: trace.totals,
    edges: trace.edges.map(({ seq: _seq, source, ...edge }) => ({ ...edge, line: source.line })),
  };
}

describe('a new case through the real CLI', () => {
  it('traces to the hand-worked figures under FIFO and pro-rata', () => {
    for (const rule of ['fifo', 'pro-rata'] as const) {
      expect(figures(JSON.parse(read(`${rule}.json`)) as TraceResult), rule).toEqual(figures(loadFixtureTrace(rule)));
    }
  });

  it('reports this case file and these input files by their SHA-256, and every seed and endpoint', () => {
    const md = hoptrace(['report', join(dir, 'fifo.json'), '--format', 'md', '--out', join(dir, 'fifo.md'), '--no-timestamp']);
    expect(md.status, md.stderr).toBe(0);
    const report = read('fifo.md');
    expect(report).toContain(`SHA-256 \`${sha256File(db)}\``);
    for (const file of [ledger, tags]) expect(report).toContain(`\`${sha256File(file)}\``);
    for (const seed of seeds) expect(report).toContain(`[${seed}](https://tronscan.org/#/transaction/${seed})`);
    // Named by the case's tags (read from the case file the trace records): the endpoint by its label, the mule too.
    // The TronScan export is no one's own history (DESIGN rule 10): the mule is last seen, not a freeze candidate.
    expect(report).toContain(`### exchange: &lt;img src=x onerror=alert(1)&gt; — ${ADDRESS.E} (exchange: Exchange "Nine"`);
    expect(report).toContain(`Mule wallet M (made up) — ${ADDRESS.M} (last seen here)`);
    // Sources count what each file stored: the ledger's transfers (and the exchange name TronScan gave), the tag file's tags.
    expect(report).toContain(`\`${sha256File(tags)}\` | 252 | tags:csv | 2 tags | 0 |`);
    expect(report).toContain(`\`${sha256File(ledger)}\` | ${statSync(ledger).size.toLocaleString('en-US')} | usdt:tronscan | 6 transfers; 1 tag | 0 |`);
    expect(report).toContain(`mule &lt;u&gt;"&'.tronscan.csv:7 |`);
    expect(report).toContain('Result: every figure agrees.');
  });

  it('writes the HTML report of trace --report with hostile file and folder names as text', () => {
    const html = read('fifo.html');
    expect(html).toContain('mule &lt;u&gt;&quot;&amp;&#39;.tronscan.csv');
    expect(html).toContain('case &quot;&lt;i&gt;&amp;&#39;');
    expect(html).not.toMatch(/<u>|<i>/);
    expect(html).toContain(`<a href="https://tronscan.org/#/transaction/${txHash('t6')}" rel="noreferrer noopener">`);
    expect(html).toContain('data-accounts="6"');
    expect(html).toContain('<h3>Diagram 1 of 1: All victims, all hops</h3>');
  });

  it('sums up what a hop limit stopped, per victim', () => {
    // With --max-hops 1 the victims' money stops on arriving at W1 and W2 (hop 2): V1's 1,500 at W1
    // and 1,500 at W2, V2's 1,500 at W2; M keeps V2's last 500 (README, FIFO).
    const report = writeReport(JSON.parse(read('hop1.json')) as TraceResult, 'md', { timestamp: null });
    const p2 = `TE5Pa3sD…LzRc, 2025-04-01, ${txHash('t2').slice(0, 10)}…`;
    const p4 = `TFYGBy4P…xuJw, 2025-04-01, ${txHash('t4').slice(0, 10)}…`;
    expect(report).toContain(`| tron:${ADDRESS.V1} | ${p2} | 3,000.00 USDT | — | — | 3,000.00 USDT | — |`);
    expect(report).toContain(`| tron:${ADDRESS.V2} | ${p4} | 2,000.00 USDT | — | 500.00 USDT | 1,500.00 USDT | — |`);
    expect(report).toContain(`| beyond the hop limit | ${ADDRESS.W2} (stopped at the hop limit) | 3,000.00 USDT | ${p2}: 1,500.00; ${p4}: 1,500.00 |`);
    expect(report).toContain('No traced money reached an endpoint.');
    expect(report).toContain('Result: every figure agrees.');
  });
});

describe('the demo case under every rule', () => {
  it("passes the report's own re-check: hops, account statements, totals", async () => {
    const demo = join(tempDir('hoptrace-e2e-demo-'), 'demo');
    expect(hoptrace(['demo', '--out', demo, '--no-timestamp']).status).toBe(0);
    const demoSeeds = (JSON.parse(readFileSync(join(demo, 'trace-fifo.json'), 'utf8')) as TraceResult).params.seeds;
    const variants = [
      ...RULE_NAMES.map((rule) => ['--rule', rule]),
      ['--rule', 'fifo', '--max-hops', '2'],
      ['--rule', 'pro-rata', '--max-hops', '3', '--min-amount', '5000'],
    ];
    const runs = await Promise.all(variants.map((options) => hoptraceAsync(['--db', join(demo, 'case.db'), 'trace', ...demoSeeds, ...options, '--json'])));
    for (const [i, options] of variants.entries()) {
      expect(runs[i]!.status, runs[i]!.stderr).toBe(0);
      const trace = JSON.parse(runs[i]!.stdout) as TraceResult;
      const checks = (JSON.parse(writeReport(trace, 'json', { timestamp: null })) as { report: { checks: { problems: number } } }).report.checks;
      expect(checks.problems, options.join(' ')).toBe(0);
      expect(trace.edges.length, options.join(' ')).toBeGreaterThan(10);
    }
  }, 30_000);
});
