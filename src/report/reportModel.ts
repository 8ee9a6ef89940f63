import type { TraceEdge, TraceResult } from '../model/trace.js';

/** Sums decimal strings exactly (they share their asset's decimals). */
export function addDecimal(a: string, b: string): string {
  const decimals = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const units = (x: string): bigint => BigInt((x.split('.')[0] ?? '0') + (x.split('.')[1] ?? '').padEnd(decimals, '0'));
  const sum = units(a) + units(b);
  const digits = (sum < 0n ? -sum : sum).toString().padStart(decimals + 1, '0');
  return `${sum < 0n ? '-' : ''}${decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits}`;
}

export interface VictimSummary {
  victim: string;
  rail: string;
  paid: Record<string, string>;
  byCategory: Record<string, Record<string, string>>;
  held: Record<string, string>;
  stopped: Record<string, string>;
}

function add(target: Record<string, string>, asset: string, amount: string): void {
  target[asset] = target[asset] === undefined ? amount : addDecimal(target[asset]!, amount);
}

/** Per victim (the payer of seeds): what was paid, where it went, what is held, what stopped. */
export function victimSummaries(result: TraceResult): VictimSummary[] {
  const byVictim = new Map<string, VictimSummary>();
  const seedVictim = new Map<string, string>();
  for (const seed of result.seeds) {
    const key = `${seed.rail}:${seed.from}`;
    seedVictim.set(seed.id, key);
    const summary = byVictim.get(key) ?? { victim: seed.from, rail: seed.rail, paid: {}, byCategory: {}, held: {}, stopped: {} };
    add(summary.paid, seed.asset, seed.amount);
    byVictim.set(key, summary);
  }
  const each = (bySeed: Record<string, string>, apply: (s: VictimSummary, amount: string) => void): void => {
    for (const [seed, amount] of Object.entries(bySeed)) {
      const summary = byVictim.get(seedVictim.get(seed) ?? '');
      if (summary) apply(summary, amount);
    }
  };
  for (const e of result.endpoints) each(e.bySeed, (s, amount) => add((s.byCategory[e.category] ??= {}), e.asset, amount));
  for (const h of result.held) each(h.bySeed, (s, amount) => add(s.held, h.asset, amount));
  for (const h of [...result.beyondHopLimit, ...result.belowThreshold]) each(h.bySeed, (s, amount) => add(s.stopped, h.asset, amount));
  return [...byVictim.values()];
}

/**
 * The paths that brought traced money to one endpoint edge, read backwards through the edges
 * (each earlier edge delivered to the sender of the next, no later than it). At most `limit` paths.
 */
export function pathsTo(edge: TraceEdge, edges: readonly TraceEdge[], limit = 12): TraceEdge[][] {
  const into = new Map<string, TraceEdge[]>();
  for (const e of edges) {
    const key = `${e.rail}:${e.to}`;
    into.set(key, [...(into.get(key) ?? []), e]);
  }
  const paths: TraceEdge[][] = [];
  const walk = (path: TraceEdge[]): void => {
    if (paths.length >= limit) return;
    const head = path[0]!;
    const before = (into.get(`${head.rail}:${head.from}`) ?? []).filter((e) => e.time <= head.time && !path.includes(e) && e.hop < head.hop);
    const linked = head.viaLink === undefined ? [] : edges.filter((e) => e.transfer === head.viaLink);
    const previous = [...linked, ...before];
    if (previous.length === 0 || head.hop <= 1) {
      paths.push(path);
      return;
    }
    for (const p of previous) walk([p, ...path]);
  };
  walk([edge]);
  return paths;
}

export function explorerLink(rail: string, ref: string): string | undefined {
  if (rail === 'ethereum') return `https://etherscan.io/tx/${ref}`;
  if (rail === 'tron') return `https://tronscan.org/#/transaction/${ref.replace(/^0x/, '')}`;
  return undefined;
}

export const USDT_CONTRACTS: Record<string, string> = {
  ethereum: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
  tron: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
};

export function formatAmounts(amounts: Record<string, string>): string {
  const entries = Object.entries(amounts);
  return entries.length === 0 ? '—' : entries.map(([asset, amount]) => `${amount} ${asset}`).join(' + ');
}
