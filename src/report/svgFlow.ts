import type { TraceResult } from '../model/trace.js';
import { decimalsOf, toUnits } from './decimal.js';
import { escapeHtml } from './html.js';

/**
 * The flow of traced money, left to right by hop: one box per account (coloured by what it is),
 * one curve per sender → recipient pair (as wide as the traced money it carried). The layout is
 * a pure function of the trace: columns by the hop at which traced money first reached an
 * account, rows ordered by the mean row of the accounts that fed it (fewer crossings), ties by
 * identifier, so the same trace always draws the same picture.
 */
export const CATEGORY_COLOURS: Readonly<Record<string, string>> = {
  victim: '#283593',
  exchange: '#2e7d32',
  otc: '#558b2f',
  payment_processor: '#00838f',
  guarantee_market: '#6a1b9a',
  gambling: '#ad1457',
  mixer: '#4e342e',
  bridge: '#1565c0',
  sanctioned: '#b71c1c',
  hub: '#455a64',
  'freeze candidate': '#e65100',
  'stopped by a limit': '#795548',
  intermediary: '#616161',
};

/** Above this many accounts the diagram keeps victims, endpoints, freeze candidates and the busiest others. */
export const MAX_DIAGRAM_ACCOUNTS = 400;

export interface FlowNode {
  key: string;
  rail: string;
  ident: string;
  kind: string;
  label: string;
  column: number;
  row: number;
}

export interface FlowLink {
  from: string;
  to: string;
  asset: string;
  traced: bigint;
  decimals: number;
  transfers: number;
}

export interface FlowLayout {
  nodes: FlowNode[];
  links: FlowLink[];
  columns: number;
  /** Accounts left out of the drawing (only above MAX_DIAGRAM_ACCOUNTS). */
  omitted: number;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function aggregateLinks(result: TraceResult): FlowLink[] {
  const links = new Map<string, FlowLink>();
  for (const e of result.edges) {
    const from = `${e.rail}:${e.from}`;
    const to = `${e.rail}:${e.to}`;
    const k = `${from}\u0000${to}\u0000${e.asset}`;
    const decimals = decimalsOf(e.amount);
    const link = links.get(k) ?? { from, to, asset: e.asset, traced: 0n, decimals, transfers: 0 };
    link.traced += toUnits(e.traced, decimals);
    link.transfers += 1;
    links.set(k, link);
  }
  return [...links.values()];
}

function kinds(result: TraceResult): Map<string, { kind: string; label: string }> {
  const out = new Map<string, { kind: string; label: string }>();
  const set = (rail: string, ident: string, kind: string, label = ''): void => {
    if (!out.has(`${rail}:${ident}`)) out.set(`${rail}:${ident}`, { kind, label });
  };
  for (const e of result.endpoints) set(e.rail, e.ident, e.category, e.labels[0] ?? e.category);
  for (const h of result.held) set(h.rail, h.ident, 'freeze candidate', `holds ${h.amount} ${h.asset}`);
  for (const s of result.seeds) set(s.rail, s.from, 'victim', 'victim');
  for (const h of [...result.beyondHopLimit, ...result.belowThreshold]) set(h.rail, h.ident, 'stopped by a limit', 'stopped by a limit');
  return out;
}

export function flowLayout(result: TraceResult): FlowLayout {
  let links = aggregateLinks(result);
  const column = new Map<string, number>();
  for (const s of result.seeds) column.set(`${s.rail}:${s.from}`, 0);
  for (const e of result.edges) {
    const to = `${e.rail}:${e.to}`;
    column.set(to, Math.min(column.get(to) ?? Infinity, e.hop));
  }
  for (const e of result.edges) if (!column.has(`${e.rail}:${e.from}`)) column.set(`${e.rail}:${e.from}`, Math.max(0, e.hop - 1));
  const known = kinds(result);
  let keys = [...column.keys()];
  let omitted = 0;
  if (keys.length > MAX_DIAGRAM_ACCOUNTS) {
    const throughput = new Map<string, bigint>();
    for (const l of links) for (const k of [l.from, l.to]) throughput.set(k, (throughput.get(k) ?? 0n) + l.traced);
    const ranked = [...keys].sort((a, b) => Number(known.has(b)) - Number(known.has(a)) || ((throughput.get(b) ?? 0n) > (throughput.get(a) ?? 0n) ? 1 : (throughput.get(b) ?? 0n) < (throughput.get(a) ?? 0n) ? -1 : compare(a, b)));
    const kept = new Set(ranked.slice(0, MAX_DIAGRAM_ACCOUNTS));
    omitted = keys.length - kept.size;
    keys = keys.filter((k) => kept.has(k));
    links = links.filter((l) => kept.has(l.from) && kept.has(l.to));
  }
  const columns = Math.max(0, ...keys.map((k) => column.get(k)!)) + 1;
  const row = new Map<string, number>();
  const feeders = new Map<string, string[]>();
  for (const l of links) feeders.set(l.to, [...(feeders.get(l.to) ?? []), l.from]);
  const nodes: FlowNode[] = [];
  for (let c = 0; c < columns; c++) {
    const inColumn = keys.filter((k) => column.get(k) === c);
    const weight = (k: string): number => {
      const rows = (feeders.get(k) ?? []).map((f) => row.get(f)).filter((r): r is number => r !== undefined);
      return rows.length === 0 ? Infinity : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const ordered = inColumn.map((k) => ({ k, w: weight(k) })).sort((a, b) => (a.w === b.w ? compare(a.k, b.k) : a.w < b.w ? -1 : 1));
    ordered.forEach(({ k }, r) => {
      row.set(k, r);
      const rail = k.slice(0, k.indexOf(':'));
      const ident = k.slice(k.indexOf(':') + 1);
      const info = known.get(k) ?? { kind: 'intermediary', label: '' };
      nodes.push({ key: k, rail, ident, kind: info.kind, label: info.label, column: c, row: r });
    });
  }
  return { nodes, links, columns, omitted };
}

const BOX_W = 210;
const BOX_H = 48;
const GAP_X = 110;
const GAP_Y = 24;
const TOP = 34;

const shortIdent = (ident: string): string => (ident.length > 20 ? `${ident.slice(0, 10)}…${ident.slice(-6)}` : ident);
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Exact amount without trailing zeros, for labels: "1500", "964.285714". */
const trimmed = (units: bigint, decimals: number): string => {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
};

/** The diagram as an inline SVG element (no scripts, no external references). */
export function svgFlow(result: TraceResult): string {
  const layout = flowLayout(result);
  const { nodes, links, columns } = layout;
  const rows = Math.max(1, ...nodes.map((n) => n.row + 1));
  const width = columns * (BOX_W + GAP_X) - GAP_X + 20;
  const height = TOP + rows * (BOX_H + GAP_Y) + 10;
  const at = new Map(nodes.map((n) => [n.key, { x: 10 + n.column * (BOX_W + GAP_X), y: TOP + n.row * (BOX_H + GAP_Y) }]));
  const maxByAsset = new Map<string, bigint>();
  for (const l of links) if (l.traced > (maxByAsset.get(l.asset) ?? 0n)) maxByAsset.set(l.asset, l.traced);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Flow of traced money by hop" data-accounts="${nodes.length}">`,
    '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#546e7a"/></marker></defs>',
  ];
  for (let c = 0; c < columns; c++) out.push(`<text class="column" x="${10 + c * (BOX_W + GAP_X)}" y="18">${c === 0 ? 'victims' : `hop ${c}`}</text>`);
  for (const l of links) {
    const a = at.get(l.from);
    const b = at.get(l.to);
    if (!a || !b) continue;
    const max = maxByAsset.get(l.asset) ?? 1n;
    const stroke = (1.5 + Number((l.traced * 10000n) / (max === 0n ? 1n : max)) / 1000).toFixed(2);
    const [x1, y1, x2, y2] = [a.x + BOX_W, a.y + BOX_H / 2, b.x, b.y + BOX_H / 2];
    const bend = x2 > x1 ? GAP_X / 2 : GAP_X;
    const d = x2 > x1 ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + bend},${y1 + BOX_H} ${x2 - bend},${y2 + BOX_H} ${x2},${y2}`;
    const amount = `${trimmed(l.traced, l.decimals)} ${l.asset}`;
    out.push(`<path class="edge" d="${d}" stroke-width="${stroke}" marker-end="url(#flow-arrow)"><title>${escapeHtml(`${amount} traced in ${l.transfers} transfer${l.transfers === 1 ? '' : 's'}: ${l.from} → ${l.to}`)}</title></path>`);
    if (links.length <= 80) out.push(`<text class="amount" x="${((x1 + x2) / 2).toFixed(1)}" y="${((y1 + y2) / 2 - 4).toFixed(1)}">${escapeHtml(amount)}</text>`);
  }
  for (const n of nodes) {
    const p = at.get(n.key)!;
    const fill = CATEGORY_COLOURS[n.kind] ?? CATEGORY_COLOURS['intermediary']!;
    out.push(
      `<g class="node"><rect class="account" data-kind="${escapeHtml(n.kind)}" data-ident="${escapeHtml(n.ident)}" x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}"><title>${escapeHtml(`${n.key} — ${n.kind}${n.label && n.label !== n.kind ? `: ${n.label}` : ''}`)}</title></rect>` +
        `<text x="${p.x + 8}" y="${p.y + 19}">${escapeHtml(shortIdent(n.ident))}</text><text x="${p.x + 8}" y="${p.y + 37}">${escapeHtml(clip(n.label || n.kind, 32))}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
