import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { flowLayout } from '../../src/report/svgFlow.js';
import { writeReport } from '../../src/report/writeReport.js';
import { hoptrace, tempDir } from '../support/cli.js';

let dir: string;
let traceFile: string;
let trace: TraceResult;

beforeAll(() => {
  dir = tempDir();
  expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
  traceFile = join(dir, 'demo', 'trace-fifo.json');
  trace = JSON.parse(readFileSync(traceFile, 'utf8')) as TraceResult;
});

function report(format: string, ...extra: string[]): string {
  const out = join(dir, `report.${format}`);
  const run = hoptrace(['report', traceFile, '--format', format, '--out', out, ...extra]);
  expect(run.status).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('hoptrace report', () => {
  it('Markdown holds every source hash, seed and endpoint, the rule with its source, and sections in order', () => {
    const md = report('md', '--no-timestamp');
    for (const s of trace.sources) expect(md).toContain(s.sha256);
    for (const s of trace.seeds) expect(md).toContain(s.ref);
    for (const e of trace.endpoints) expect(md).toContain(e.ident);
    expect(md).toContain(trace.case.sha256!);
    expect(md).toContain("Clayton's Case (Devaynes v Noble (1816)");
    const order = ['# hoptrace evidence-chain report', '## Method', '## Sources', '## Summary per victim', '## Seeds', '## Endpoints', '## Freeze candidates', '## Evidence chains', '## Totals', '## Appendix'].map((h) => md.indexOf(h));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(md).not.toContain('Generated:');
  });

  it('shows the allocation arithmetic at each hop, so a second examiner can recompute it', () => {
    const md = report('md', '--no-timestamp');
    const hop = trace.edges.find((e) => e.allocation && e.rail === 'tron')!;
    const a = hop.allocation!;
    expect(md).toContain(`balance ${a.balanceBefore}, traced ${a.tracedBefore}; fifo carries ${a.tracedCarried}, leaves ${a.tracedLeft}`);
    // The figures add up: traced before − carried = left.
    const units = (x: string): bigint => BigInt(x.replace('.', ''));
    expect(units(a.tracedBefore) - units(a.tracedCarried)).toBe(units(a.tracedLeft));
    expect(md).toContain(`https://tronscan.org/#/transaction/${hop.ref}`);
    expect(md).toContain(`${hop.source.path}:${hop.source.line}`);
  });

  it('is byte-identical twice without a timestamp, and dated with one', () => {
    expect(report('html', '--no-timestamp')).toBe(report('html', '--no-timestamp'));
    expect(report('md')).toMatch(/^- Generated: \d{4}-\d{2}-\d{2}T/m);
  });

  it('HTML is one self-contained file: no scripts, nothing fetched, hostile labels shown as text', () => {
    const hostile = structuredClone(trace);
    hostile.endpoints[0]!.labels = ['<img src=x onerror=alert(1)>', '</script><script>alert(2)</script>', `"quoted" & 'single'`];
    const html = writeReport(hostile, 'html', { timestamp: null });
    expect(html).not.toMatch(/<script|<img|<link|@import|src=["']?http/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('@media print');
  });

  it('CSV: one row per hop, then the endpoint summary, spreadsheet formulas neutralised', () => {
    const hostile = structuredClone(trace);
    hostile.endpoints[0]!.labels = ['=HYPERLINK("http://evil")', '@SUM(A1)'];
    const csv = writeReport(hostile, 'csv', { timestamp: null });
    const [edges, endpoints] = csv.split('\n\n');
    expect(edges!.split('\n')).toHaveLength(trace.edges.length + 1);
    expect(endpoints!.trim().split('\n')).toHaveLength(trace.endpoints.length + 1);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil""); @SUM(A1)"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('refuses a file that is not a trace, naming it', () => {
    const bogus = join(dir, 'bogus.json');
    writeFileSync(bogus, '{"hello": 1}');
    const run = hoptrace(['report', bogus, '--format', 'md', '--out', join(dir, 'x.md')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`hoptrace: ${bogus}: not a hoptrace trace result (expected the JSON written by hoptrace trace --out)\n`);
  });
});

describe('the HTML report in a real headless Chromium', () => {
  const CHROMIUM = '/usr/bin/chromium';
  const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

  it('renders the SVG with one box per account on the trace, and a screenshot', () => {
    expect(existsSync(CHROMIUM), 'Chromium is missing: apt-get install -y chromium (.ci/run installs it)').toBe(true);
    const html = join(dir, 'browser.html');
    writeFileSync(html, writeReport(trace, 'html', { timestamp: null }));
    const dom = spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${join(dir, 'profile-dom')}`, '--dump-dom', `file://${html}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status).toBe(0);
    const boxes = dom.stdout.match(/<rect class="account"/g) ?? [];
    expect(boxes).toHaveLength(flowLayout(trace).nodes.length);
    expect(flowLayout(trace).nodes.length).toBe(new Set([...trace.seeds.map((s) => `${s.rail}:${s.from}`), ...trace.edges.flatMap((e) => [`${e.rail}:${e.from}`, `${e.rail}:${e.to}`])]).size);
    const png = join(dir, 'shot.png');
    const shot = spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${join(dir, 'profile-shot')}`, `--screenshot=${png}`, '--window-size=1280,1600', `file://${html}`], { encoding: 'utf8', timeout: 60_000 });
    expect(shot.status).toBe(0);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.readUInt32BE(16)).toBe(1280);
    expect(bytes.length).toBeGreaterThan(10_000);
  }, 120_000);
});
