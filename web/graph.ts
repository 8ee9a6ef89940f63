import Graph from 'graphology';
import Sigma from 'sigma';
import type { Neighbours, TraceResult } from './types.js';

/**
 * The canvas: a graphology graph drawn by sigma (WebGL). Nodes are accounts keyed `RAIL:IDENT`;
 * edges are transfers (trace), summed flows per asset (expanded counterparties), or conversions
 * (a link from a fiat payment's payee to the wallet that paid out the crypto).
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
const RAIL_COLOURS: Record<string, string> = { bank: '#546e7a', tron: '#78909c', ethereum: '#607d8b' };
const EDGE_COLOURS = { transfer: '#9e9e9e', traced: '#ef6c00', conversion: '#00acc1', endpoint: '#c62828' };

export type NodeAttributes = { x: number; y: number; size: number; color: string; label: string; rail: string; ident: string; category: string | null };
export type EdgeAttributes = { size: number; color: string; type: string; kind: 'transfer' | 'flow' | 'conversion'; asset?: string; amount?: string; label?: string };

export const nodeKey = (rail: string, ident: string): string => `${rail}:${ident}`;
const short = (ident: string): string => (ident.length > 14 ? `${ident.slice(0, 6)}…${ident.slice(-4)}` : ident);

export class Canvas {
  readonly graph = new Graph<NodeAttributes, EdgeAttributes>({ multi: true, type: 'directed', allowSelfLoops: true });
  readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;

  constructor(container: HTMLElement, onSelect: (rail: string, ident: string) => void) {
    this.sigma = new Sigma(this.graph, container, { allowInvalidContainer: true, defaultEdgeType: 'arrow', renderEdgeLabels: false, labelRenderedSizeThreshold: 4, zIndex: true });
    this.sigma.on('clickNode', ({ node }) => {
      const a = this.graph.getNodeAttributes(node);
      onSelect(a.rail, a.ident);
    });
  }

  colourOf(rail: string, category: string | null): string {
    return (category && CATEGORY_COLOURS[category]) || RAIL_COLOURS[rail] || '#757575';
  }

  /** Adds (or updates) an account; a new one is placed at (x, y). */
  addAccount(rail: string, ident: string, options: { holder?: string | null; category?: string | null; x?: number; y?: number }): string {
    const key = nodeKey(rail, ident);
    const category = options.category ?? null;
    const label = options.holder ? `${options.holder} (${short(ident)})` : short(ident);
    if (this.graph.hasNode(key)) {
      if (category) this.graph.mergeNodeAttributes(key, { category, color: this.colourOf(rail, category) });
      if (options.holder) this.graph.setNodeAttribute(key, 'label', label);
      return key;
    }
    this.graph.addNode(key, { x: options.x ?? 0, y: options.y ?? 0, size: 8, color: this.colourOf(rail, category), label, rail, ident, category });
    return key;
  }

  /** The counterparties of an account, placed in a circle around it, with summed flows and conversions. */
  expand(n: Neighbours): void {
    const centre = this.addAccount(n.account.rail, n.account.ident, {});
    const { x, y } = this.graph.getNodeAttributes(centre);
    const count = n.neighbours.length;
    const radius = 3 + Math.sqrt(count);
    n.neighbours.forEach((m, i) => {
      const angle = (2 * Math.PI * i) / Math.max(count, 1);
      const key = this.addAccount(m.rail, m.ident, { holder: m.holder, category: m.categories[0] ?? null, x: x + radius * Math.cos(angle), y: y + radius * Math.sin(angle) });
      for (const f of m.sent) this.addFlow(centre, key, f.asset, f.amount, f.count);
      for (const f of m.received) this.addFlow(key, centre, f.asset, f.amount, f.count);
    });
    for (const c of n.conversions) this.addConversion(c.fiatTo.rail, c.fiatTo.ident, c.cryptoFrom.rail, c.cryptoFrom.ident, x + radius, y + radius);
    this.sigma.refresh();
  }

  private addFlow(from: string, to: string, asset: string, amount: string, count: number): void {
    const key = `flow:${from}>${to}:${asset}`;
    if (this.graph.hasEdge(key)) return;
    this.graph.addDirectedEdgeWithKey(key, from, to, { size: Math.min(1 + Math.log2(count), 6), color: EDGE_COLOURS.transfer, type: 'arrow', kind: 'flow', asset, amount, label: `${amount} ${asset} (${count})` });
  }

  private addConversion(fiatRail: string, fiatIdent: string, cryptoRail: string, cryptoIdent: string, x: number, y: number): void {
    const from = this.addAccount(fiatRail, fiatIdent, { x, y });
    const to = this.addAccount(cryptoRail, cryptoIdent, { x: x + 1, y: y + 1 });
    const key = `link:${from}>${to}`;
    if (!this.graph.hasEdge(key)) this.graph.addDirectedEdgeWithKey(key, from, to, { size: 3, color: EDGE_COLOURS.conversion, type: 'arrow', kind: 'conversion', label: 'conversion (link)' });
  }

  /**
   * A trace replaces the canvas: every account the traced money touched, one edge per traced
   * transfer, and a conversion edge where a linked fiat payment became crypto. Columns by hop.
   */
  showTrace(trace: TraceResult): void {
    this.graph.clear();
    const category = new Map<string, string>();
    for (const s of trace.seeds) category.set(nodeKey(s.rail, s.from), 'victim');
    for (const h of trace.held) category.set(nodeKey(h.rail, h.ident), 'held');
    for (const e of trace.endpoints) if (e.category) category.set(nodeKey(e.rail, e.ident), e.category);
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
        if (!this.graph.hasNode(key)) this.addAccount(e.rail, ident, { category: category.get(key) ?? null, ...place(key) });
      }
      const colour = e.outcome === 'endpoint' ? EDGE_COLOURS.endpoint : EDGE_COLOURS.traced;
      this.graph.addDirectedEdgeWithKey(`transfer:${e.transfer}`, nodeKey(e.rail, e.from), nodeKey(e.rail, e.to), { size: 2, color: colour, type: 'arrow', kind: 'transfer', asset: e.asset, amount: e.traced, label: `${e.traced} ${e.asset} traced (hop ${e.hop})` });
    }
    for (const e of trace.edges) {
      if (e.viaLink === undefined) continue;
      const fiat = byTransfer.get(e.viaLink);
      if (fiat) this.addConversion(fiat.rail, fiat.to, e.rail, e.from, 0, 0);
    }
    this.sigma.refresh();
    this.sigma.getCamera().animatedReset();
  }

  /** Only the edges of one asset (null: all); conversion edges always stay. */
  showAsset(asset: string | null): void {
    this.sigma.setSetting('edgeReducer', asset === null ? null : (_edge, data) => (data.kind === 'conversion' || data.asset === asset ? data : { ...data, hidden: true }));
  }

  clear(): void {
    this.graph.clear();
    this.sigma.refresh();
  }
}
