import type { TraceEdge, TraceResult } from '../model/trace.js';

/**
 * The paths that brought traced money to an account, read backwards through the trace's edges.
 * The edges of a result are in processing (time) order, so an earlier hop of a path is an edge
 * with a smaller index that delivered traced money (outcome `carried`) to the sender, and that
 * carried money of at least one victim the later hop carries: a path follows one victim's money
 * (or several victims' money that travelled together), never a victim whose money was not there.
 * A path ends at the victim's payment (the seed) or, through a link, continues on the bank side.
 */
export interface EvidencePath {
  /** Edge indexes into result.edges, from the first hop to the last. */
  hops: number[];
  /** The seeds (victim payments) whose money travels the whole path. */
  seeds: string[];
}

export interface Arrival {
  edge: number;
  paths: EvidencePath[];
  /** More paths exist than were listed (the limit); every hop is still in the appendix. */
  truncated: boolean;
}

export const PATHS_PER_ARRIVAL = 10;

const accountKey = (rail: string, ident: string, asset: string): string => `${rail}\u0000${ident}\u0000${asset}`;

export class EdgeIndex {
  /** Indexes of `carried` edges into each account, ascending. */
  private readonly into = new Map<string, number[]>();
  private readonly byTransfer = new Map<number, number>();
  private readonly seedIds: Set<string>;

  constructor(readonly result: TraceResult) {
    this.seedIds = new Set(result.seeds.map((s) => s.id));
    result.edges.forEach((e, i) => {
      this.byTransfer.set(e.transfer, i);
      if (e.outcome !== 'carried') return;
      const k = accountKey(e.rail, e.to, e.asset);
      const list = this.into.get(k);
      if (list) list.push(i);
      else this.into.set(k, [i]);
    });
  }

  /** `carried` edges into an account, optionally only those before an edge index. */
  arrivalsAt(rail: string, ident: string, asset: string, before = Infinity): number[] {
    const list = this.into.get(accountKey(rail, ident, asset)) ?? [];
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (list[mid]! < before) low = mid + 1;
      else high = mid;
    }
    return list.slice(0, low);
  }

  isSeed(edge: TraceEdge): boolean {
    return this.seedIds.has(String(edge.transfer));
  }

  /** The edges that may have fed this one: earlier arrivals at its sender, and the fiat side of a link. */
  predecessors(index: number, seeds: ReadonlySet<string>): { index: number; seeds: Set<string> }[] {
    const edge = this.result.edges[index]!;
    const candidates = this.arrivalsAt(edge.rail, edge.from, edge.asset, index);
    if (edge.viaLink !== undefined) {
      const fiat = this.byTransfer.get(edge.viaLink);
      if (fiat !== undefined && fiat < index) candidates.push(fiat);
      else if (fiat !== undefined) candidates.unshift(fiat);
    }
    const found: { index: number; seeds: Set<string> }[] = [];
    for (const i of candidates) {
      const shared = new Set(Object.keys(this.result.edges[i]!.bySeed).filter((s) => seeds.has(s)));
      if (shared.size > 0) found.push({ index: i, seeds: shared });
    }
    return found;
  }
}

/** Up to `limit` paths ending with edge `index`, depth first, earliest predecessor first. */
export function pathsTo(edges: EdgeIndex, index: number, limit = PATHS_PER_ARRIVAL): Arrival {
  const paths: EvidencePath[] = [];
  let truncated = false;
  const walk = (hops: number[], seeds: Set<string>): void => {
    if (truncated) return;
    const head = edges.result.edges[hops[0]!]!;
    // A victim's own payment starts the path, unless it also carried earlier victims' money on.
    const remaining = edges.isSeed(head) ? new Set([...seeds].filter((s) => s !== String(head.transfer))) : seeds;
    const previous = remaining.size === 0 ? [] : edges.predecessors(hops[0]!, remaining).filter((p) => !hops.includes(p.index));
    if (previous.length === 0) {
      if (paths.length >= limit) truncated = true;
      else paths.push({ hops, seeds: [...seeds].sort(compareSeedIds) });
      return;
    }
    for (const p of previous) walk([p.index, ...hops], p.seeds);
  };
  walk([index], new Set(Object.keys(edges.result.edges[index]!.bySeed)));
  return { edge: index, paths, truncated };
}

export function compareSeedIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Per endpoint (in the result's order), every arrival of traced money and the paths behind it. */
export function endpointChains(result: TraceResult, edges: EdgeIndex = new EdgeIndex(result)): { endpoint: number; arrivals: Arrival[] }[] {
  return result.endpoints.map((endpoint, i) => ({
    endpoint: i,
    arrivals: result.edges.flatMap((e, index) =>
      e.outcome === 'endpoint' && e.rail === endpoint.rail && e.to === endpoint.ident && e.asset === endpoint.asset ? [pathsTo(edges, index)] : [],
    ),
  }));
}

/** Per freeze candidate, the arrivals that brought the traced money it still holds. */
export function heldChains(result: TraceResult, edges: EdgeIndex = new EdgeIndex(result)): { held: number; arrivals: Arrival[] }[] {
  return result.held.map((held, i) => ({ held: i, arrivals: edges.arrivalsAt(held.rail, held.ident, held.asset).map((index) => pathsTo(edges, index)) }));
}
