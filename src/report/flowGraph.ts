import type { AccountAmount, TraceResult } from '../model/trace.js';
import { traceConversions } from '../trace/conversions.js';
import { decimalsOf, fromUnits, toUnits } from './decimal.js';
import { money, summary } from './figures.js';
import type { AccountRoles } from './reportModel.js';

/**
 * The flow diagram's graph (docs/reports.md, "Flow diagram"): one node per account, one edge per
 * sender → recipient pair and asset (the traced money it carried, per victim payment), and one
 * conversion edge per link, from the converter's bank account to its wallet. Pages pick victims
 * and hops out of it; the layout and the drawing are svgFlow.ts's.
 */
export interface FlowNode {
  key: string;
  rail: string;
  ident: string;
  /** victim, an endpoint category, "freeze candidate", a tag category (mule, otc) or "intermediary". */
  kind: string;
  name: string | null;
  /** A line under the name: the role, and what is held. */
  detail: string;
}

export interface FlowEdge {
  id: string;
  from: string;
  to: string;
  kind: 'transfer' | 'conversion' | 'overview';
  asset: string;
  decimals: number;
  /** Lowest hop of the transfers it stands for (a conversion: its crypto transfer's hop). */
  hop: number;
  transfers: number;
  /** Traced money per victim payment (seed id), in minor units of `asset`. */
  bySeed: Map<string, bigint>;
  /** A conversion's own words: "OTC return: 24,000.00 EUR → 25,920.00 USDT". */
  conversion?: { prefix: string; fiat: string; crypto: string; title: string };
}

export interface FlowGraph {
  nodes: Map<string, FlowNode>;
  edges: FlowEdge[];
  /** Victim account → its payments (seed ids), in the order of the trace's seeds. */
  victims: Map<string, string[]>;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function addSeeds(target: Map<string, bigint>, bySeed: Readonly<Record<string, string>>, decimals: number): void {
  for (const [seed, amount] of Object.entries(bySeed)) target.set(seed, (target.get(seed) ?? 0n) + toUnits(amount, decimals));
}

function nodeKinds(result: TraceResult): Map<string, { kind: string; detail: string }> {
  const out = new Map<string, { kind: string; detail: string }>();
  const set = (rail: string, ident: string, kind: string, detail: string): void => {
    const k = `${rail}:${ident}`;
    const known = out.get(k);
    if (!known) out.set(k, { kind, detail });
    else if (!known.detail.includes(detail)) known.detail += `; ${detail}`;
  };
  for (const s of result.seeds) set(s.rail, s.from, 'victim', 'victim');
  for (const e of result.endpoints) set(e.rail, e.ident, e.category, `${e.category}: received ${money(e.amount, e.asset, 'summary')}`);
  // Only a holder whose own history the case holds is a freeze candidate (docs/design.md, rule 10).
  for (const h of result.held)
    set(
      h.rail,
      h.ident,
      h.history.class === 'in-case' ? 'freeze candidate' : 'last seen here',
      `${h.history.class === 'in-case' ? 'holds' : 'last seen with'} ${money(h.amount, h.asset, 'summary')}`,
    );
  for (const h of [...result.beyondHopLimit, ...result.belowThreshold])
    set(h.rail, h.ident, 'stopped by a limit', `stopped: ${money(h.amount, h.asset, 'summary')}`);
  return out;
}

export function flowGraph(result: TraceResult, roles: AccountRoles): FlowGraph {
  const kinds = nodeKinds(result);
  const nodes = new Map<string, FlowNode>();
  const node = (rail: string, ident: string): string => {
    const key = `${rail}:${ident}`;
    if (!nodes.has(key)) {
      const known = kinds.get(key);
      const category = roles.categories(rail, ident)[0];
      const kind = known?.kind ?? category ?? 'intermediary';
      nodes.set(key, {
        key,
        rail,
        ident,
        kind,
        name: roles.name(rail, ident),
        detail: known?.detail ?? (category ? category.replace(/_/g, ' ') : 'intermediary'),
      });
    }
    return key;
  };
  for (const s of result.seeds) node(s.rail, s.from);
  const byPair = new Map<string, FlowEdge>();
  for (const e of result.edges) {
    const from = node(e.rail, e.from);
    const to = node(e.rail, e.to);
    const k = `${from}\u0000${to}\u0000${e.asset}`;
    const decimals = decimalsOf(e.amount);
    let edge = byPair.get(k);
    if (!edge) byPair.set(k, (edge = { id: '', from, to, kind: 'transfer', asset: e.asset, decimals, hop: e.hop, transfers: 0, bySeed: new Map() }));
    addSeeds(edge.bySeed, e.bySeed, decimals);
    edge.transfers++;
    edge.hop = Math.min(edge.hop, e.hop);
  }
  const edges = [...byPair.values()];
  for (const c of traceConversions(result)) {
    const from = node(c.fiat.rail, c.fiat.to);
    const to = node(c.crypto.rail, c.crypto.from);
    const decimals = decimalsOf(c.crypto.amount);
    const bySeed = new Map<string, bigint>();
    addSeeds(bySeed, c.tracedBySeed, decimals);
    const prefix = roles.categories(c.fiat.rail, c.fiat.to).includes('otc') ? 'OTC return' : 'conversion';
    const fiat = money(c.fiat.amount, c.fiat.asset, 'summary');
    const crypto = money(c.crypto.amount, c.crypto.asset, 'summary');
    const title = `${prefix}: ${money(c.fiat.amount, c.fiat.asset)} (${c.fiat.ref}) → ${money(c.crypto.amount, c.crypto.asset)} (${c.crypto.ref}), rate ${c.rate}; traced ${money(c.fiat.traced, c.fiat.asset)} → ${money(c.traced, c.crypto.asset)}`;
    edges.push({
      id: '',
      from,
      to,
      kind: 'conversion',
      asset: c.crypto.asset,
      decimals,
      hop: c.crypto.hop,
      transfers: 1,
      bySeed,
      conversion: { prefix, fiat, crypto, title },
    });
  }
  edges.forEach((e, i) => (e.id = `e${i + 1}`));
  const victims = new Map<string, string[]>();
  for (const s of result.seeds) victims.set(`${s.rail}:${s.from}`, [...(victims.get(`${s.rail}:${s.from}`) ?? []), s.id]);
  return { nodes, edges, victims };
}

/** The traced money an edge carried for some victim payments (all when `seeds` is null). */
export function tracedFor(edge: FlowEdge, seeds: ReadonlySet<string> | null): bigint {
  let total = 0n;
  for (const [seed, units] of edge.bySeed) if (!seeds || seeds.has(seed)) total += units;
  return total;
}

/** An edge's label lines on a page: "24,408.00 USDT", or a conversion's two lines. */
export function edgeLabel(edge: FlowEdge, seeds: ReadonlySet<string> | null): string[] {
  const amount = `${summary(fromUnits(tracedFor(edge, seeds), edge.decimals))} ${edge.asset}`;
  if (!edge.conversion) return [amount];
  return [`${edge.conversion.prefix}: ${edge.conversion.fiat} →`, edge.conversion.crypto, `traced ${amount}`];
}

/**
 * Overview: each victim straight to the accounts where their money ended (endpoints, freeze
 * candidates, stops), one edge per victim, account and asset; the pages after it show the paths.
 */
export function overviewGraph(result: TraceResult, graph: FlowGraph, roles: AccountRoles): FlowGraph {
  const victimOf = new Map(result.seeds.map((s) => [s.id, `${s.rail}:${s.from}`]));
  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, FlowEdge>();
  for (const victim of graph.victims.keys()) nodes.set(victim, graph.nodes.get(victim)!);
  // Endpoints one by one (the accounts a request goes to); what is still held or stopped, one node
  // each (the freeze table lists the accounts), so the overview stays one readable page.
  const HELD = 'overview:held';
  const STOPPED = 'overview:stopped';
  const ends: [string, AccountAmount][] = [
    ...result.endpoints.map((e): [string, AccountAmount] => [`${e.rail}:${e.ident}`, e]),
    ...result.held.map((h): [string, AccountAmount] => [HELD, h]),
    ...[...result.beyondHopLimit, ...result.belowThreshold].map((h): [string, AccountAmount] => [STOPPED, h]),
  ];
  const count = (list: readonly AccountAmount[]): number => new Set(list.map((a) => `${a.rail}:${a.ident}`)).size;
  for (const [to, end] of ends) {
    if (!nodes.has(to)) {
      if (to === HELD)
        nodes.set(to, {
          key: to,
          rail: 'all',
          ident: 'see "Freeze candidates"',
          kind: 'freeze candidate',
          name: `still held at ${count(result.held)} account${count(result.held) === 1 ? '' : 's'}`,
          detail: 'freeze candidates and follow-ups',
        });
      else if (to === STOPPED)
        nodes.set(to, {
          key: to,
          rail: 'all',
          ident: 'see "Stopped by limits"',
          kind: 'stopped by a limit',
          name: `stopped at ${count([...result.beyondHopLimit, ...result.belowThreshold])} accounts`,
          detail: 'hop limit or threshold',
        });
      else
        nodes.set(
          to,
          graph.nodes.get(to) ?? { key: to, rail: end.rail, ident: end.ident, kind: 'intermediary', name: roles.name(end.rail, end.ident), detail: '' },
        );
    }
    const decimals = decimalsOf(end.amount);
    for (const [seed, amount] of Object.entries(end.bySeed)) {
      const from = victimOf.get(seed);
      if (!from) continue;
      const k = `${from}\u0000${to}\u0000${end.asset}`;
      let edge = edges.get(k);
      if (!edge) edges.set(k, (edge = { id: '', from, to, kind: 'overview', asset: end.asset, decimals, hop: 1, transfers: 0, bySeed: new Map() }));
      edge.bySeed.set(seed, (edge.bySeed.get(seed) ?? 0n) + toUnits(amount, decimals));
      edge.transfers++;
    }
  }
  const list = [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.asset, b.asset));
  list.forEach((e, i) => (e.id = `o${i + 1}`));
  return { nodes, edges: list, victims: graph.victims };
}
