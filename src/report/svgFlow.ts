import type { TraceResult } from '../model/trace.js';
import { escapeHtml } from './html.js';

const COLOURS: Record<string, string> = {
  exchange: '#2e7d32',
  otc: '#558b2f',
  payment_processor: '#00838f',
  guarantee_market: '#6a1b9a',
  gambling: '#ad1457',
  mixer: '#4e342e',
  bridge: '#1565c0',
  sanctioned: '#c62828',
  hub: '#546e7a',
  held: '#ef6c00',
  victim: '#1976d2',
  intermediary: '#9e9e9e',
};

export interface FlowNode {
  key: string;
  ident: string;
  kind: string;
  label: string;
  column: number;
  row: number;
}

/** Accounts of the trace by column (the hop at which traced money first reached them). */
export function flowLayout(result: TraceResult): { nodes: FlowNode[]; columns: number } {
  const column = new Map<string, number>();
  for (const seed of result.seeds) column.set(`${seed.rail}:${seed.from}`, 0);
  for (const e of result.edges) {
    const from = `${e.rail}:${e.from}`;
    const to = `${e.rail}:${e.to}`;
    if (!column.has(from)) column.set(from, Math.max(0, e.hop - 1));
    column.set(to, Math.min(column.get(to) ?? Infinity, e.hop));
  }
  const endpoint = new Map(result.endpoints.map((e) => [`${e.rail}:${e.ident}`, e]));
  const held = new Set(result.held.map((h) => `${h.rail}:${h.ident}`));
  const victims = new Set(result.seeds.map((s) => `${s.rail}:${s.from}`));
  const rows = new Map<number, number>();
  const nodes = [...column.entries()]
    .sort(([a, ca], [b, cb]) => ca - cb || (a < b ? -1 : 1))
    .map(([key, col]) => {
      const row = rows.get(col) ?? 0;
      rows.set(col, row + 1);
      const ep = endpoint.get(key);
      const kind = ep ? ep.category : held.has(key) ? 'held' : victims.has(key) ? 'victim' : 'intermediary';
      const ident = key.slice(key.indexOf(':') + 1);
      return { key, ident, kind, label: ep?.labels[0] ?? '', column: col, row };
    });
  return { nodes, columns: Math.max(0, ...nodes.map((n) => n.column)) + 1 };
}

const short = (ident: string): string => (ident.length > 16 ? `${ident.slice(0, 8)}…${ident.slice(-6)}` : ident);

/** The flow left to right by hop: boxes coloured by category, edges as wide as the traced money. */
export function svgFlow(result: TraceResult): string {
  const { nodes, columns } = flowLayout(result);
  const W = 190;
  const H = 46;
  const GAP_X = 90;
  const GAP_Y = 22;
  const maxRows = Math.max(1, ...[...Array(columns).keys()].map((c) => nodes.filter((n) => n.column === c).length));
  const width = columns * (W + GAP_X) + 20;
  const height = maxRows * (H + GAP_Y) + 40;
  const position = new Map(nodes.map((n) => [n.key, { x: 10 + n.column * (W + GAP_X), y: 30 + n.row * (H + GAP_Y) }]));
  const maxTraced = Math.max(1, ...result.edges.map((e) => Number(e.traced)));
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Flow of traced money by hop">`];
  for (let c = 0; c < columns; c++) parts.push(`<text class="column" x="${10 + c * (W + GAP_X)}" y="16">${c === 0 ? 'victims' : `hop ${c}`}</text>`);
  for (const e of result.edges) {
    const a = position.get(`${e.rail}:${e.from}`);
    const b = position.get(`${e.rail}:${e.to}`);
    if (!a || !b) continue;
    const x1 = a.x + W;
    const y1 = a.y + H / 2;
    const x2 = b.x;
    const y2 = b.y + H / 2;
    const stroke = (1 + (9 * Number(e.traced)) / maxTraced).toFixed(2);
    parts.push(`<path class="edge" d="M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}" stroke-width="${stroke}"><title>${escapeHtml(`${e.traced} ${e.asset} traced in ${e.ref}`)}</title></path>`);
  }
  for (const n of nodes) {
    const p = position.get(n.key)!;
    parts.push(
      `<g><rect class="account" data-ident="${escapeHtml(n.ident)}" data-kind="${escapeHtml(n.kind)}" x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${COLOURS[n.kind] ?? COLOURS['intermediary']}"><title>${escapeHtml(n.key)}</title></rect>` +
        `<text x="${p.x + 8}" y="${p.y + 18}">${escapeHtml(short(n.ident))}</text><text x="${p.x + 8}" y="${p.y + 36}">${escapeHtml((n.label || n.kind).slice(0, 28))}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export const LEGEND = COLOURS;
