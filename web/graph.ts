import Graph from 'graphology';
import Sigma from 'sigma';
import { edgePasses, isActive, NO_FILTER, type CanvasFilter } from './filter.js';
import type { Neighbours, TraceResult } from './types.js';

/**
 * The canvas: a graphology graph drawn by sigma (WebGL). Nodes are accounts keyed `RAIL:IDENT`;
 * edges are transfers (trace), summed flows per asset (expanded counterparties), or conversions
 * (a link from a fiat payment's payee to the wallet that paid out the crypto). Everything the
 * investigator has opened is kept in `all`; `graph` (the one sigma draws, the test hook and the
 * exports) is `all` through the current filter.
 */
export const CATEGORY_COLOURS: Record<string, string> = {
  victim: '#283593',
  mule: '#8e24aa',
  exchange: '#2e7d32',
  otc: '#00897b',
  payment_processor: '#558b2f',
  guarantee_market: '#c62828',
  gambling: '#ad1457',
  mixer: '#4e342e',
  bridge: '#0277bd',
  sanctioned: '#b71c1c',
  scam_operator: '#d84315',
  held: '#e65100',
  hub: '#6d4c41',
};
/** Colour by role in the trace: where the money started, passed, stopped or ended. */
export const ROLE_COLOURS: Record<string, string> = {
  victim: '#283593',
  intermediary: '#78909c',
  endpoint: '#c62828',
  held: '#e65100',
  'beyond hop limit': '#f9a825',
  'below threshold': '#bdbdbd',
  account: '#546e7a',
};
const RAIL_COLOURS: Record<string, string> = { bank: '#546e7a', tron: '#78909c', ethereum: '#607d8b' };
const EDGE_COLOURS = { transfer: '#9e9e9e', traced: '#ef6c00', conversion: '#00acc1', endpoint: '#c62828' };

export type ColourBy = 'category' | 'role';
export type NodeAttributes = {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  rail: string;
  ident: string;
  category: string | null;
  role: string;
};
export type EdgeAttributes = {
  size: number;
  color: string;
  type: string;
  kind: 'transfer' | 'flow' | 'conversion';
  asset?: string;
  amount?: string;
  label?: string;
  first?: number;
  last?: number;
};

export const nodeKey = (rail: string, ident: string): string => `${rail}:${ident}`;
const short = (ident: string): string => (ident.length > 14 ? `${ident.slice(0, 6)}…${ident.slice(-4)}` : ident);
/** Accounts above which the canvas hides edges and labels while it moves. */
const LARGE_VIEW = 2_000;
const newGraph = () => new Graph<NodeAttributes, EdgeAttributes>({ multi: true, type: 'directed', allowSelfLoops: true });

export class Canvas {
  readonly graph = newGraph();
  readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;
  private readonly all = newGraph();
  private filter: CanvasFilter = NO_FILTER;
  private colourBy: ColourBy = 'category';

  constructor(container: HTMLElement, onSelect: (rail: string, ident: string) => void) {
    this.sigma = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      defaultEdgeType: 'arrow',
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 4,
      zIndex: true,
    });
    this.sigma.on('clickNode', ({ node }) => {
      const a = this.graph.getNodeAttributes(node);
      onSelect(a.rail, a.ident);
    });
  }

  private colourOf(a: Pick<NodeAttributes, 'rail' | 'category' | 'role'>): string {
    if (this.colourBy === 'role') return ROLE_COLOURS[a.role] ?? ROLE_COLOURS['account']!;
    return (a.category && CATEGORY_COLOURS[a.category]) || RAIL_COLOURS[a.rail] || '#757575';
  }

  /** Adds (or updates) an account; a new one is placed at (x, y). */
  addAccount(rail: string, ident: string, options: { holder?: string | null; category?: string | null; role?: string; x?: number; y?: number }): string {
    const key = this.put(rail, ident, options);
    this.render();
    return key;
  }

  private put(rail: string, ident: string, options: { holder?: string | null; category?: string | null; role?: string; x?: number; y?: number }): string {
    const key = nodeKey(rail, ident);
    const category = options.category ?? null;
    const label = options.holder ? `${options.holder} (${short(ident)})` : short(ident);
    if (this.all.hasNode(key)) {
      if (category) this.all.setNodeAttribute(key, 'category', category);
      if (options.role) this.all.setNodeAttribute(key, 'role', options.role);
      if (options.holder) this.all.setNodeAttribute(key, 'label', label);
      return key;
    }
    this.all.addNode(key, { x: options.x ?? 0, y: options.y ?? 0, size: 8, color: '', label, rail, ident, category, role: options.role ?? 'account' });
    return key;
  }

  /** The counterparties of an account, placed in a circle around it, with summed flows and conversions. */
  expand(n: Neighbours): void {
    const centre = this.put(n.account.rail, n.account.ident, {});
    const { x, y } = this.all.getNodeAttributes(centre);
    const count = n.neighbours.length;
    const radius = 3 + Math.sqrt(count);
    n.neighbours.forEach((m, i) => {
      const angle = (2 * Math.PI * i) / Math.max(count, 1);
      const key = this.put(m.rail, m.ident, {
        holder: m.holder,
        category: m.categories[0] ?? null,
        x: x + radius * Math.cos(angle),
        y: y + radius * Math.sin(angle),
      });
      for (const f of m.sent) this.addFlow(centre, key, f);
      for (const f of m.received) this.addFlow(key, centre, f);
    });
    for (const c of n.conversions) this.addConversion(c.fiatTo.rail, c.fiatTo.ident, c.cryptoFrom.rail, c.cryptoFrom.ident, x + radius, y + radius);
    this.render();
  }

  private addFlow(from: string, to: string, f: Neighbours['neighbours'][number]['sent'][number]): void {
    const key = `flow:${from}>${to}:${f.asset}`;
    if (this.all.hasEdge(key)) return;
    this.all.addDirectedEdgeWithKey(key, from, to, {
      size: Math.min(1 + Math.log2(f.count), 6),
      color: EDGE_COLOURS.transfer,
      type: 'arrow',
      kind: 'flow',
      asset: f.asset,
      amount: f.amount,
      first: Date.parse(f.first),
      last: Date.parse(f.last),
      label: `${f.amount} ${f.asset} (${f.count})`,
    });
  }

  private addConversion(fiatRail: string, fiatIdent: string, cryptoRail: string, cryptoIdent: string, x: number, y: number): void {
    const from = this.put(fiatRail, fiatIdent, { x, y });
    const to = this.put(cryptoRail, cryptoIdent, { x: x + 1, y: y + 1 });
    const key = `link:${from}>${to}`;
    if (!this.all.hasEdge(key))
      this.all.addDirectedEdgeWithKey(key, from, to, {
        size: 3,
        color: EDGE_COLOURS.conversion,
        type: 'arrow',
        kind: 'conversion',
        label: 'conversion (link)',
      });
  }

  /**
   * A trace replaces the canvas: every account the traced money touched, one edge per traced
   * transfer, and a conversion edge where a linked fiat payment became crypto. Columns by hop.
   */
  showTrace(trace: TraceResult): void {
    this.all.clear();
    const category = new Map<string, string>();
    const role = new Map<string, string>();
    // Later roles win: an account that received seeds and still holds money is "held".
    for (const h of trace.belowThreshold) role.set(nodeKey(h.rail, h.ident), 'below threshold');
    for (const h of trace.beyondHopLimit) role.set(nodeKey(h.rail, h.ident), 'beyond hop limit');
    for (const s of trace.seeds) category.set(nodeKey(s.rail, s.from), 'victim');
    for (const h of trace.held) {
      category.set(nodeKey(h.rail, h.ident), 'held');
      role.set(nodeKey(h.rail, h.ident), 'held');
    }
    for (const e of trace.endpoints) {
      if (e.category) category.set(nodeKey(e.rail, e.ident), e.category);
      role.set(nodeKey(e.rail, e.ident), 'endpoint');
    }
    for (const s of trace.seeds) role.set(nodeKey(s.rail, s.from), 'victim');
    const hopOf = new Map<string, number>();
    for (const e of trace.edges) {
      const from = nodeKey(e.rail, e.from);
      const to = nodeKey(e.rail, e.to);
      if (!hopOf.has(from) || hopOf.get(from)! > e.hop - 1) hopOf.set(from, Math.max(0, e.hop - 1));
      if (!hopOf.has(to) || hopOf.get(to)! > e.hop) hopOf.set(to, e.hop);
    }
    const column = new Map<number, number>();
    const place = (key: string) => {
      const hop = hopOf.get(key) ?? 0;
      const row = column.get(hop) ?? 0;
      column.set(hop, row + 1);
      return { x: hop * 10, y: -row * 4 };
    };
    const byTransfer = new Map(trace.edges.map((e) => [e.transfer, e]));
    for (const e of trace.edges) {
      for (const ident of [e.from, e.to]) {
        const key = nodeKey(e.rail, ident);
        if (!this.all.hasNode(key)) this.put(e.rail, ident, { category: category.get(key) ?? null, role: role.get(key) ?? 'intermediary', ...place(key) });
      }
      const colour = e.outcome === 'endpoint' ? EDGE_COLOURS.endpoint : EDGE_COLOURS.traced;
      const time = Date.parse(e.time);
      this.all.addDirectedEdgeWithKey(`transfer:${e.transfer}`, nodeKey(e.rail, e.from), nodeKey(e.rail, e.to), {
        size: 2,
        color: colour,
        type: 'arrow',
        kind: 'transfer',
        asset: e.asset,
        amount: e.traced,
        first: time,
        last: time,
        label: `${e.traced} ${e.asset} traced (hop ${e.hop})`,
      });
    }
    for (const e of trace.edges) {
      if (e.viaLink === undefined) continue;
      const fiat = byTransfer.get(e.viaLink);
      if (fiat) this.addConversion(fiat.rail, fiat.to, e.rail, e.from, 0, 0);
    }
    this.render();
    this.sigma.getCamera().animatedReset();
  }

  /** The assets of the edges opened, for the filter's choice. */
  assets(): string[] {
    const assets = new Set<string>();
    this.all.forEachEdge((_key, a) => {
      if (a.asset) assets.add(a.asset);
    });
    return [...assets].sort();
  }

  setFilter(filter: CanvasFilter): void {
    this.filter = filter;
    this.render();
  }

  setColourBy(mode: ColourBy): void {
    this.colourBy = mode;
    this.render();
  }

  /**
   * `graph` := `all` through the filter. Without a filter, everything. With one: the transfer and
   * flow edges that pass, the accounts they join, accounts with no edge at all (an account just
   * opened), and each conversion edge one of whose accounts is kept (the conversion of money the
   * filter shows), with the account at its other end.
   */
  private render(): void {
    const nodes = new Set<string>();
    const edges = new Set<string>();
    const active = isActive(this.filter);
    this.all.forEachEdge((key, a, source, target) => {
      if (a.kind === 'conversion' || (active && !edgePasses(a, this.filter))) return;
      edges.add(key);
      nodes.add(source).add(target);
    });
    this.all.forEachNode((key) => {
      if (!active || this.all.degree(key) === 0) nodes.add(key);
    });
    const conversions: [string, string, string][] = [];
    this.all.forEachEdge((key, a, source, target) => {
      if (a.kind === 'conversion' && (nodes.has(source) || nodes.has(target))) conversions.push([key, source, target]);
    });
    for (const [key, source, target] of conversions) {
      edges.add(key);
      nodes.add(source).add(target);
    }
    this.graph.clear();
    this.all.forEachNode((key, a) => {
      if (nodes.has(key)) this.graph.addNode(key, { ...a, color: this.colourOf(a) });
    });
    this.all.forEachEdge((key, a, source, target) => {
      if (edges.has(key)) this.graph.addDirectedEdgeWithKey(key, source, target, { ...a });
    });
    // A large view pans and zooms with its nodes only; edges and labels come back when it stops
    // (bench/canvas.bench.ts: frames per second with 5,000 accounts).
    const large = this.graph.order > LARGE_VIEW;
    this.sigma.setSetting('hideEdgesOnMove', large);
    this.sigma.setSetting('hideLabelsOnMove', large);
    this.sigma.refresh();
  }

  clear(): void {
    this.all.clear();
    this.render();
  }
}
