import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { writeReport } from '../../src/report/writeReport.js';
import { MIN_SCALE, PAGE_AREA } from '../../src/report/svgFlow.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { loadFixtureTrace } from '../support/reportFixtures.js';

/**
 * The flow diagram of the demo case (samples/README.md), checked on the SVG the HTML report
 * carries: what the layout promises without a browser. The browser test (diagramBrowser.test.ts)
 * measures the same labels with real fonts.
 */
let html: string;
let trace: TraceResult;
let dir: string;

beforeAll(() => {
  dir = tempDir('hoptrace-diagram-');
  expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
  html = readFileSync(join(dir, 'demo', 'report-fifo.html'), 'utf8');
  trace = JSON.parse(readFileSync(join(dir, 'demo', 'trace-fifo.json'), 'utf8')) as TraceResult;
});

const svgs = (): string[] => [...html.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);
const attr = (tag: string, name: string): string => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)![1]!;
const num = (tag: string, name: string): number => Number(attr(tag, name));
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const boxOf = (tag: string): Box => ({ x: num(tag, 'x'), y: num(tag, 'y'), w: num(tag, 'width'), h: num(tag, 'height') });
const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const pointsOf = (d: string): [number, number][] => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
const texts = (svg: string, cls: string): string[] => [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]!);

describe('the flow diagram of the demo case', () => {
  it('splits the trace into an overview and pages that fit A4 landscape at a readable scale', () => {
    const titles = [...html.matchAll(/<h3>Diagram (\d+) of (\d+): ([^<]*)<\/h3>/g)].map((m) => m[3]);
    expect(titles).toEqual([
      'Overview: where each victim&#39;s money ended',
      'All victims — hops 1–2',
      'All victims — hops 3–4',
      'All victims — hops 5–6',
      'All victims — hops 7–8',
    ]);
    for (const svg of svgs()) {
      const [, , w, h] = attr(svg, 'viewBox').split(' ').map(Number) as [number, number, number, number];
      expect(Math.min(PAGE_AREA.width / w, PAGE_AREA.height / h, 1)).toBeGreaterThanOrEqual(MIN_SCALE);
    }
  });

  it('gives every edge exactly one label, sharing its data-edge, and no label box overlaps another', () => {
    for (const svg of svgs()) {
      const paths = [...svg.matchAll(/<path class="edge[^"]*" data-edge="([^"]+)"/g)].map((m) => m[1]!);
      const labels = [...svg.matchAll(/<g class="label[^"]*" data-edge="([^"]+)"><rect class="label-bg"([^>]*)\/>/g)].map((m) => ({
        edge: m[1]!,
        box: boxOf(m[2]!),
      }));
      expect(paths.length).toBeGreaterThan(0);
      expect(labels.map((l) => l.edge).sort()).toEqual([...paths].sort());
      expect(new Set(paths).size).toBe(paths.length);
      for (const [i, a] of labels.entries()) for (const b of labels.slice(i + 1)) expect(overlap(a.box, b.box), `${a.edge} / ${b.edge}`).toBe(false);
    }
  });

  it('places each label on its own edge: the edge passes through the label box', () => {
    for (const svg of svgs()) {
      for (const m of svg.matchAll(/<path class="edge[^"]*" data-edge="([^"]+)" d="([^"]+)"/g)) {
        const box = boxOf(new RegExp(`<g class="label[^"]*" data-edge="${m[1]}"><rect class="label-bg"([^>]*)/>`).exec(svg)![1]!);
        const points = pointsOf(m[2]!);
        // Some segment of the path crosses the label's box (orthogonal segments: a bounding-box test is exact).
        const crosses = points.slice(1).some(([x2, y2], i) => {
          const [x1, y1] = points[i]!;
          return overlap({ x: Math.min(x1, x2), y: Math.min(y1, y2), w: Math.abs(x2 - x1) || 0.01, h: Math.abs(y2 - y1) || 0.01 }, box);
        });
        expect(crosses, `edge ${m[1]}`).toBe(true);
      }
    }
  });

  it('routes no edge behind a box: a segment only touches the boxes of its own two accounts', () => {
    for (const svg of svgs()) {
      const boxes = [...svg.matchAll(/<rect class="account"([^>]*)>/g)].map((m) => boxOf(m[1]!));
      for (const m of svg.matchAll(/<path class="edge[^"]*" data-edge="([^"]+)" d="([^"]+)"/g)) {
        const points = pointsOf(m[2]!);
        const [start, end] = [points[0]!, points[points.length - 1]!];
        const own = boxes.filter((b) => [start, end].some(([x, y]) => x >= b.x - 1 && x <= b.x + b.w + 1 && y >= b.y - 1 && y <= b.y + b.h + 1));
        const inside = (b: Box): Box => ({ x: b.x + 1, y: b.y + 1, w: b.w - 2, h: b.h - 2 });
        for (const [i, [x2, y2]] of points.slice(1).entries()) {
          const [x1, y1] = points[i]!;
          const segment = { x: Math.min(x1, x2), y: Math.min(y1, y2), w: Math.abs(x2 - x1) || 0.01, h: Math.abs(y2 - y1) || 0.01 };
          const hit = boxes.filter((b) => !own.includes(b) && overlap(segment, inside(b)));
          expect(hit, `edge ${m[1]} segment ${i}`).toEqual([]);
        }
      }
    }
  });

  it('draws each link as a dashed conversion edge labelled with both sides, and names the accounts in full', () => {
    const all = svgs().join('\n');
    expect(all.match(/<path class="edge conversion"/g)).toHaveLength(5);
    const labels = [...all.matchAll(/<g class="label conversion" data-edge="[^"]+">([\s\S]*?)<\/g>/g)].map((m) =>
      [...m[1]!.matchAll(/>([^<]+)<\/text>/g)].map((t) => t[1]).join(' | '),
    );
    // samples/links: invoice GL-INV-4471, 24,000 EUR paid out as 25,920 USDT; FIFO traced 22,600 EUR of it → 24,408 USDT.
    expect(labels).toContain('OTC return: 24,000.00 EUR → | 25,920.00 USDT | traced 24,408.00 USDT');
    // Names, never cut: wrapped lines joined give the whole tag label or holder name.
    const names = svgs()
      .map((svg) => texts(svg, 'name').join(' '))
      .join(' ');
    for (const name of [
      'Kevin Schulz (mule account)',
      'Golden Lotus Trading GmbH (OTC desk, invented)',
      'CHEIL CREDIT BANK (OFAC SDN USDT; DPRK4)',
      'Anna Becker',
      'Golden Lotus OTC desk hot wallet (invented)',
    ])
      expect(names).toContain(name);
    expect(all).not.toContain('…');
    // Every endpoint's identifier in full (wrapped into lines).
    const idents = svgs()
      .map((svg) => texts(svg, 'ident').join(''))
      .join('');
    for (const e of trace.endpoints) expect(idents).toContain(e.ident);
  });

  it('is deterministic: the same trace gives the same SVG bytes', () => {
    const fixture = loadFixtureTrace('fifo');
    expect(writeReport(fixture, 'html', { timestamp: null })).toBe(writeReport(structuredClone(fixture), 'html', { timestamp: null }));
    const again = join(tempDir('hoptrace-diagram-'), 'demo');
    expect(hoptrace(['demo', '--out', again, '--no-timestamp']).status).toBe(0);
    expect(svgs()).toEqual([...readFileSync(join(again, 'report-fifo.html'), 'utf8').matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]));
  });
});
