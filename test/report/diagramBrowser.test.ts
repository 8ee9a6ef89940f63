import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../src/report/writeReport.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { chromium } from './chromium.js';

/**
 * The demo report's flow diagram in real headless Chromium, with real fonts: the amount labels'
 * painted text must not overlap, must stay inside its white label box, must not sit on an account
 * box, and the label's own edge (same data-edge) must pass through it. Then the printed PDF:
 * A4 landscape pages, each diagram page on a sheet of its own and whole. Chromium is a component
 * the issue requires (apt-get install -y chromium; pdfinfo/pdftotext from poppler-utils), so a
 * missing one fails the test, never skips it.
 */
let dir: string;
let demo: string;

/** Runs in the page after the diagram is laid out; writes what it measured into #measured. */
const MEASURE = `<pre id="measured"></pre><script>
const out = [];
for (const svg of document.querySelectorAll('svg.flow')) {
  const boxes = [...svg.querySelectorAll('rect.account')].map((r) => r.getBBox());
  const labels = [...svg.querySelectorAll('g.label')].map((g) => {
    const edge = g.getAttribute('data-edge');
    const parts = [...g.querySelectorAll('text.amount')].map((t) => t.getBBox());
    const text = { x: Math.min(...parts.map((b) => b.x)), y: Math.min(...parts.map((b) => b.y)) };
    text.width = Math.max(...parts.map((b) => b.x + b.width)) - text.x;
    text.height = Math.max(...parts.map((b) => b.y + b.height)) - text.y;
    const bg = g.querySelector('rect.label-bg').getBBox();
    const paths = svg.querySelectorAll('path.edge[data-edge="' + edge + '"]');
    let through = false;
    if (paths.length === 1) {
      const path = paths[0];
      const length = path.getTotalLength();
      for (let s = 0; s <= length && !through; s += 0.5) {
        const p = path.getPointAtLength(s);
        through = p.x >= bg.x && p.x <= bg.x + bg.width && p.y >= bg.y && p.y <= bg.y + bg.height;
      }
    }
    return { edge, paths: paths.length, text: { x: text.x, y: text.y, width: text.width, height: text.height }, bg: { x: bg.x, y: bg.y, width: bg.width, height: bg.height }, through };
  });
  const spill = [];
  for (const g of svg.querySelectorAll('g.node')) {
    const box = g.querySelector('rect.account').getBBox();
    for (const t of g.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < box.x || b.y < box.y || b.x + b.width > box.x + box.width || b.y + b.height > box.y + box.height) spill.push(t.textContent);
    }
  }
  out.push({ page: svg.getAttribute('data-page'), boxes: boxes.map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height })), labels, spill });
}
document.getElementById('measured').textContent = JSON.stringify(out);
</script>`;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const within = (inner: Rect, outer: Rect): boolean =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

beforeAll(() => {
  dir = tempDir('hoptrace-diagram-browser-');
  demo = join(dir, 'demo');
  expect(hoptrace(['demo', '--out', demo, '--no-timestamp']).status).toBe(0);
});

describe('the flow diagram in headless Chromium', () => {
  it('paints amount labels that do not overlap, each on its own edge, none on an account box; box text stays in its box', async () => {
    expect(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`).toBe(true);
    // The report forbids scripts (CSP): the measuring copy drops that one meta line, nothing else.
    const report = readFileSync(join(demo, 'report-fifo.html'), 'utf8');
    const page = join(dir, 'measure.html');
    writeFileSync(page, report.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${MEASURE}</body>`));
    const dom = await chromium(dir, ['--dump-dom', `file://${page}`], 'profile-measure');
    expect(dom.status, dom.stderr).toBe(0);
    const measured = JSON.parse(
      /<pre id="measured">([^<]*)<\/pre>/
        .exec(dom.stdout)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ) as { page: string; boxes: Rect[]; labels: { edge: string; paths: number; text: Rect; bg: Rect; through: boolean }[]; spill: string[] }[];
    expect(measured.map((m) => m.page)).toEqual(['1', '2', '3', '4', '5']);
    let labels = 0;
    // Names, roles and identifiers are wrapped to stay inside their account's box.
    expect(measured.flatMap((m) => m.spill)).toEqual([]);
    for (const { page: p, boxes, labels: list } of measured) {
      for (const [i, label] of list.entries()) {
        labels++;
        expect(label.paths, `page ${p} ${label.edge}: one path per label`).toBe(1);
        expect(label.through, `page ${p} ${label.edge}: its edge passes through the label`).toBe(true);
        expect(label.text.width, `page ${p} ${label.edge}: text painted`).toBeGreaterThan(20);
        expect(within(label.text, label.bg), `page ${p} ${label.edge}: text ${JSON.stringify(label.text)} inside its box ${JSON.stringify(label.bg)}`).toBe(
          true,
        );
        for (const other of list.slice(i + 1)) expect(overlap(label.text, other.text), `page ${p}: ${label.edge} overlaps ${other.edge}`).toBe(false);
        for (const box of boxes) expect(overlap(label.text, box), `page ${p}: ${label.edge} on an account box`).toBe(false);
      }
    }
    // Every label was measured: 17 victim → resting-place arrows on the overview, then 25 sender → recipient pairs and 5 links on the path pages.
    expect(labels).toBe(47);
  }, 60_000);

  it('prints to PDF on A4 landscape sheets, each diagram page on a sheet of its own and whole', () => {
    const pdf = join(dir, 'report.pdf');
    const run = hoptrace([
      '--db',
      join(demo, 'case.db'),
      'report',
      join(demo, 'trace-fifo.json'),
      '--out',
      join(dir, 'report.html'),
      '--no-timestamp',
      '--pdf',
      pdf,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const info = spawnSync('pdfinfo', ['-f', '1', '-l', '200', pdf], { encoding: 'utf8' });
    expect(info.status, `pdfinfo (poppler-utils) failed: ${info.stderr}`).toBe(0);
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)![1]);
    expect(pages).toBeGreaterThan(5);
    const sizes = [...info.stdout.matchAll(/^Page\s+\d+ size:\s+(.*)$/gm)].map((m) => m[1]);
    expect(sizes).toHaveLength(pages);
    expect(new Set(sizes)).toEqual(new Set(['841.92 x 594.96 pts (A4)']));
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout.split('\f');
    const sheetOf = (needle: string): number[] => text.flatMap((t, i) => (t.includes(needle) ? [i] : []));
    const diagramSheets = [1, 2, 3, 4, 5].map((k) => sheetOf(`Diagram ${k} of 5`));
    for (const sheets of diagramSheets) expect(sheets).toHaveLength(1);
    expect(new Set(diagramSheets.map((s) => s[0])).size).toBe(5);
    // Whole on its sheet: the last invoice's conversion label sits with the hops 3–4 heading, the sanctioned address with the overview.
    expect(sheetOf('traced 18,900.00 USDT')).toEqual(diagramSheets[2]);
    expect(sheetOf('OTC return: 17,500.00 EUR').every((s) => s === diagramSheets[2]![0])).toBe(true);
    expect(text[diagramSheets[0]![0]!]).toContain('CHEIL CREDIT BANK');
  }, 120_000);
});
