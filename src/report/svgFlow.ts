import type { TraceResult } from '../model/trace.js';
import { layoutSync, type ElkExtendedEdge, type ElkNode } from './elkLayout.js';
import { edgeLabel, flowGraph, overviewGraph, tracedFor, type FlowEdge, type FlowGraph, type FlowNode } from './flowGraph.js';
import { escapeHtml } from './html.js';
import type { AccountRoles } from './reportModel.js';

/**
 * The flow of traced money as SVG pages laid out by ELK's layered algorithm (docs/reports.md,
 * "Flow diagram"): accounts as boxes (coloured by what they are, named, identifier in full),
 * traced money as arrows with their amount placed on them by the layout (ELK edge labels: no two
 * overlap, none away from its edge), links as dashed conversion arrows. A trace too large for one
 * readable A4-landscape page is split into an overview and pages per victim group and hop range.
 * The same trace gives the same bytes: ELK is deterministic and every coordinate is rounded.
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
  mule: '#37474f',
  'freeze candidate': '#e65100',
  'last seen here': '#a1887f',
  'stopped by a limit': '#795548',
  intermediary: '#616161',
};
const CONVERSION_COLOUR = '#00695c';

/** The printable area of an A4 landscape page at 12 mm margins, in CSS px, less a page heading. */
export const PAGE_AREA = { width: 1030, height: 600 } as const;
/** A page is readable when it fits the area at no less than this scale (11 px labels ≥ 7.7 px). */
export const MIN_SCALE = 0.7;
/** Accounts per victim group before the group is split, and accounts and arrows a page holds. */
const GROUP_ACCOUNTS = 28;
const PAGE_ACCOUNTS = 28;
const PAGE_EDGES = 18;
const OVERVIEW_COLUMN = 10;
/** Pages at most; beyond, the report says how many arrows were left out (Appendix A has every hop). */
const MAX_PAGES = 40;

const NODE_W = 196;
const PAD = 8;
const NAME = { size: 12, line: 15 };
const DETAIL = { size: 11, line: 14 };
const IDENT = { size: 10, char: 6.2, line: 13 };
const LABEL = { size: 11, char: 6.8, line: 14, maxChars: 30 };

/**
 * Advance width of sans-serif text, over-estimated per character class (DejaVu Sans, Liberation
 * Sans, Arial, Segoe UI all fall under it), so wrapped lines stay inside their box in any face.
 */
export function sansWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if ('MWmw@%'.includes(ch)) em += 0.98;
    else if (ch >= 'A' && ch <= 'Z') em += 0.76;
    else if (ch >= '0' && ch <= '9') em += 0.66;
    else if ('fijlrt'.includes(ch)) em += 0.42;
    else if (ch >= 'a' && ch <= 'z') em += 0.64;
    else if (ch === ' ') em += 0.34;
    else em += 0.66;
  }
  return em * size * (bold ? 1.1 : 1);
}

/** Word wrap to `max` width (`measure` gives a string's width); a word longer than a line is cut into pieces, never dropped. */
export function wrap(text: string, max: number, measure: (s: string) => number = (s) => s.length): string[] {
  const lines: string[] = [];
  let line = '';
  const pieces = (word: string): string[] => {
    if (measure(word) <= max) return [word];
    const out: string[] = [];
    let piece = '';
    for (const ch of word) {
      if (piece !== '' && measure(piece + ch) > max) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    return piece === '' ? out : [...out, piece];
  };
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (const piece of pieces(word)) {
      if (line === '') line = piece;
      else if (measure(`${line} ${piece}`) <= max) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

const inner = NODE_W - 2 * PAD;
interface NodeText {
  name: string[];
  detail: string[];
  ident: string[];
  height: number;
}
function nodeText(n: FlowNode): NodeText {
  const name = n.name ? wrap(n.name, inner, (s) => sansWidth(s, NAME.size, true)) : [];
  const detail = wrap(n.detail || n.kind, inner, (s) => sansWidth(s, DETAIL.size));
  const ident = wrap(`${n.rail} ${n.ident}`, Math.floor(inner / IDENT.char));
  return { name, detail, ident, height: PAD + name.length * NAME.line + detail.length * DETAIL.line + ident.length * IDENT.line + PAD - 2 };
}

function labelLines(edge: FlowEdge, seeds: ReadonlySet<string> | null): string[] {
  return edgeLabel(edge, seeds).flatMap((line) => wrap(line, LABEL.maxChars));
}

interface Page {
  title: string;
  graph: FlowGraph;
  edges: FlowEdge[];
  seeds: ReadonlySet<string> | null;
}

interface LaidOutPage extends Page {
  layout: ElkNode;
  scale: number;
}

const r1 = (v: number | undefined): string => String(Math.round((v ?? 0) * 10) / 10);

function layoutPage(page: Page): LaidOutPage {
  const keys = [...new Set(page.edges.flatMap((e) => [e.from, e.to]))];
  const nodes = keys.map((k) => page.graph.nodes.get(k)!);
  // Victims first, then by identifier: ELK keeps this model order where it is free to (determinism, fewer crossings).
  nodes.sort((a, b) => Number(b.kind === 'victim') - Number(a.kind === 'victim') || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.inline': 'true',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.spacing.nodeNode': '16',
      'elk.spacing.edgeEdge': '8',
      'elk.spacing.edgeLabel': '3',
      'elk.spacing.labelLabel': '4',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.layered.spacing.edgeNodeBetweenLayers': '12',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      'elk.padding': '[top=10,left=10,bottom=10,right=10]',
    },
    children: nodes.map((n) => ({ id: n.key, width: NODE_W, height: nodeText(n).height })),
    edges: page.edges.map((e): ElkExtendedEdge => {
      const lines = labelLines(e, page.seeds);
      const width = Math.max(...lines.map((l) => l.length)) * LABEL.char + 10;
      return {
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        labels: [
          {
            id: `${e.id}-label`,
            text: lines.join('\n'),
            width,
            height: lines.length * LABEL.line + 4,
            layoutOptions: { 'elk.edgeLabels.inline': 'true', 'elk.edgeLabels.placement': 'CENTER' },
          },
        ],
      };
    }),
  };
  const layout = layoutSync(graph);
  const scale = Math.min(1, PAGE_AREA.width / (layout.width ?? 1), PAGE_AREA.height / (layout.height ?? 1));
  return { ...page, layout, scale };
}

const fits = (page: LaidOutPage): boolean => page.scale >= MIN_SCALE;

function nameOf(graph: FlowGraph, victim: string): string {
  const n = graph.nodes.get(victim)!;
  return n.name ?? n.ident;
}

/** Victims in groups of at most GROUP_ACCOUNTS accounts reached, in the trace's order. */
function victimGroups(graph: FlowGraph): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let accounts = new Set<string>();
  for (const [victim, seeds] of graph.victims) {
    const own = new Set(seeds);
    const reached = new Set(graph.edges.filter((e) => tracedFor(e, own) > 0n).flatMap((e) => [e.from, e.to]));
    const union = new Set([...accounts, ...reached]);
    if (current.length > 0 && union.size > GROUP_ACCOUNTS) {
      groups.push(current);
      current = [victim];
      accounts = reached;
    } else {
      current.push(victim);
      accounts = union;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The pages of the diagram: the whole trace when it fits, else an overview and detail pages. */
/**
 * Edges in the given order, cut into runs of at most PAGE_ACCOUNTS accounts and PAGE_EDGES arrows:
 * what one readable page holds (labels stack in a layer, about 34 px each: 18 fit the page at the least scale with room to spare).
 */
function chunks(edges: readonly FlowEdge[], columns = false): FlowEdge[][] {
  const out: FlowEdge[][] = [];
  let current: FlowEdge[] = [];
  let accounts = new Set<string>();
  let [from, to] = [new Set<string>(), new Set<string>()];
  for (const e of edges) {
    const more = new Set([...accounts, e.from, e.to]);
    // The overview has two columns (victims, resting places): each holds about a dozen boxes.
    const full = columns ? new Set([...from, e.from]).size > OVERVIEW_COLUMN || new Set([...to, e.to]).size > OVERVIEW_COLUMN : more.size > PAGE_ACCOUNTS;
    if (current.length > 0 && (full || current.length >= PAGE_EDGES)) {
      out.push(current);
      current = [];
      accounts = new Set([e.from, e.to]);
      [from, to] = [new Set([e.from]), new Set([e.to])];
    } else {
      accounts = more;
      from.add(e.from);
      to.add(e.to);
    }
    current.push(e);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The pages of the diagram: the whole trace when it fits, else an overview and detail pages. */
export function flowPages(result: TraceResult, roles: AccountRoles): { pages: LaidOutPage[]; omitted: number } {
  const graph = flowGraph(result, roles);
  if (graph.edges.length === 0) return { pages: [], omitted: 0 };
  // Hops a page can hold at the least scale: each hop adds a column of boxes and one of labels.
  const widestLabel = Math.max(...graph.edges.map((e) => Math.max(...labelLines(e, null).map((l) => l.length)))) * LABEL.char + 10;
  const perHop = NODE_W + widestLabel + 4 * 28;
  const hopsPerPage = Math.max(1, Math.floor((PAGE_AREA.width / MIN_SCALE - NODE_W) / perHop));
  const maxHop = Math.max(...graph.edges.map((e) => e.hop));
  if (maxHop <= hopsPerPage && chunks(graph.edges).length === 1) {
    const whole = layoutPage({ title: 'All victims, all hops', graph, edges: graph.edges, seeds: null });
    if (fits(whole)) return { pages: [whole], omitted: 0 };
  }
  const pages: LaidOutPage[] = [];
  let omitted = 0;
  // Lays a page out; one that still does not fit is halved (the estimate was short), down to one arrow.
  const add = (page: Page): void => {
    if (pages.length >= MAX_PAGES) {
      omitted += page.edges.length;
      return;
    }
    const laid = layoutPage(page);
    if (fits(laid) || page.edges.length === 1) {
      pages.push(laid);
      return;
    }
    const half = Math.ceil(page.edges.length / 2);
    add({ ...page, title: `${page.title} (a)`, edges: page.edges.slice(0, half) });
    add({ ...page, title: `${page.title} (b)`, edges: page.edges.slice(half) });
  };
  const parts = (title: string, list: FlowEdge[][], page: (edges: FlowEdge[], title: string) => Page): void =>
    list.forEach((edges, i) => add(page(edges, list.length > 1 ? `${title}, part ${i + 1} of ${list.length}` : title)));
  const overview = overviewGraph(result, graph, roles);
  parts("Overview: where each victim's money ended", chunks(overview.edges, true), (edges, title) => ({ title, graph: overview, edges, seeds: null }));
  for (const group of victimGroups(graph)) {
    const seeds = new Set(group.flatMap((v) => graph.victims.get(v)!));
    const edges = graph.edges.filter((e) => tracedFor(e, seeds) > 0n);
    const groupMax = Math.max(...edges.map((e) => e.hop));
    const who =
      group.length === graph.victims.size
        ? 'All victims'
        : group.length > 3
          ? `${nameOf(graph, group[0]!)} and ${group.length - 1} other victims`
          : group.map((v) => nameOf(graph, v)).join(', ');
    for (let lo = 1; lo <= groupMax; lo += hopsPerPage) {
      const hi = Math.min(groupMax, lo + hopsPerPage - 1);
      // Largest flows first: when a page cap cuts the diagram short, what is left out is the least money.
      const part = edges
        .filter((e) => e.hop >= lo && e.hop <= hi)
        .map((e) => ({ e, traced: tracedFor(e, seeds) }))
        .sort((a, b) => (a.traced > b.traced ? -1 : a.traced < b.traced ? 1 : Number(a.e.id.slice(1)) - Number(b.e.id.slice(1))))
        .map(({ e }) => e);
      if (part.length === 0) continue;
      const hops = lo === 1 && hi === groupMax ? 'all hops' : lo === hi ? `hop ${lo}` : `hops ${lo}–${hi}`;
      parts(`${who} — ${hops}`, chunks(part), (list, title) => ({ title, graph, edges: list, seeds }));
    }
  }
  return { pages, omitted };
}

function pathOf(edge: ElkExtendedEdge): string {
  return (edge.sections ?? [])
    .map((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(p.x)},${r1(p.y)}`).join(' '))
    .join(' ');
}

/** One page as an inline SVG (no scripts, no external references). */
export function svgPage(page: LaidOutPage, index: number): string {
  const { layout, graph, seeds } = page;
  const width = Math.ceil(layout.width ?? 0);
  const height = Math.ceil(layout.height ?? 0);
  const edges = new Map(page.edges.map((e) => [e.id, e]));
  const maxByAsset = new Map<string, bigint>();
  for (const e of page.edges)
    if (e.kind !== 'conversion' && tracedFor(e, seeds) > (maxByAsset.get(e.asset) ?? 0n)) maxByAsset.set(e.asset, tracedFor(e, seeds));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`Flow of traced money: ${page.title}`)}" data-page="${index + 1}" data-accounts="${layout.children?.length ?? 0}">`,
    `<defs><marker id="flow-arrow-${index + 1}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker><marker id="flow-conv-${index + 1}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${CONVERSION_COLOUR}"/></marker></defs>`,
  ];
  for (const laid of (layout.edges ?? []) as ElkExtendedEdge[]) {
    const e = edges.get(laid.id)!;
    const traced = tracedFor(e, seeds);
    const max = maxByAsset.get(e.asset) ?? 0n;
    const stroke = e.kind === 'conversion' ? '2.5' : (1.5 + Number((traced * 3000n) / (max === 0n ? 1n : max)) / 1000).toFixed(2);
    const title = e.conversion
      ? e.conversion.title
      : `${edgeLabel(e, seeds)[0]} traced in ${e.transfers} transfer${e.transfers === 1 ? '' : 's'}: ${e.from} → ${e.to}`;
    const marker = e.kind === 'conversion' ? `flow-conv-${index + 1}` : `flow-arrow-${index + 1}`;
    out.push(
      `<path class="edge${e.kind === 'conversion' ? ' conversion' : ''}" data-edge="${e.id}" d="${pathOf(laid)}" stroke-width="${stroke}" marker-end="url(#${marker})"><title>${escapeHtml(title)}</title></path>`,
    );
  }
  for (const child of layout.children ?? []) {
    const n = graph.nodes.get(child.id)!;
    const text = nodeText(n);
    const [x, y] = [Math.round((child.x ?? 0) * 10) / 10, Math.round((child.y ?? 0) * 10) / 10];
    const fill = CATEGORY_COLOURS[n.kind] ?? CATEGORY_COLOURS['intermediary']!;
    const lines: string[] = [];
    let at = y + PAD + 3;
    for (const line of text.name) lines.push(`<text class="name" x="${r1(x + PAD)}" y="${r1((at += NAME.line) - 3)}">${escapeHtml(line)}</text>`);
    for (const line of text.detail) lines.push(`<text class="detail" x="${r1(x + PAD)}" y="${r1((at += DETAIL.line) - 3)}">${escapeHtml(line)}</text>`);
    for (const line of text.ident) lines.push(`<text class="ident" x="${r1(x + PAD)}" y="${r1((at += IDENT.line) - 3)}">${escapeHtml(line)}</text>`);
    out.push(
      `<g class="node"><rect class="account" data-kind="${escapeHtml(n.kind)}" data-ident="${escapeHtml(n.ident)}" x="${r1(x)}" y="${r1(y)}" width="${NODE_W}" height="${r1(child.height)}" rx="5" fill="${fill}"><title>${escapeHtml(`${n.key} — ${n.kind}${n.name ? `: ${n.name}` : ''}`)}</title></rect>${lines.join('')}</g>`,
    );
  }
  for (const laid of (layout.edges ?? []) as ElkExtendedEdge[]) {
    const e = edges.get(laid.id)!;
    const label = laid.labels?.[0];
    if (!label) continue;
    const lines = labelLines(e, seeds);
    const cx = (label.x ?? 0) + (label.width ?? 0) / 2;
    const texts = lines
      .map(
        (line, i) =>
          `<text class="amount" data-edge="${e.id}" x="${r1(cx)}" y="${r1((label.y ?? 0) + 2 + (i + 1) * LABEL.line - 3.5)}">${escapeHtml(line)}</text>`,
      )
      .join('');
    out.push(
      `<g class="label${e.kind === 'conversion' ? ' conversion' : ''}" data-edge="${e.id}"><rect class="label-bg" x="${r1(label.x)}" y="${r1(label.y)}" width="${r1(label.width)}" height="${r1(label.height)}" rx="3"/>${texts}</g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
