import type { EndpointInfo, LedgerTransfer } from './ledger.js';

/** Amounts per seed index. */
export type SeedAmounts = Map<number, bigint>;

export interface RawSeed {
  index: number;
  transfer: LedgerTransfer;
  /** What the seed put into the trace (its amount, less traced money of earlier seeds it carried). */
  seeded: bigint;
  /** Traced money of earlier seeds the seed transfer carried (why `seeded` can be less than its amount). */
  earlier: SeedAmounts;
}

export interface RawHolding {
  accountId: number;
  asset: string;
  decimals: number;
  bySeed: SeedAmounts;
}

export interface RawEndpoint extends RawHolding {
  info: EndpointInfo;
  first: number;
  last: number;
}

export interface RawAllocation {
  balanceBefore: bigint;
  tracedBefore: bigint;
  tracedCarried: bigint;
  tracedLeft: bigint;
  unknownDrawn: bigint;
}

export type EdgeOutcome = 'carried' | 'endpoint' | 'beyond-hop-limit' | 'below-threshold' | 'linked';

export interface RawEdge {
  transfer: LedgerTransfer;
  bySeed: SeedAmounts;
  hop: number;
  outcome: EdgeOutcome;
  allocation?: RawAllocation;
  viaLink?: number;
  /** The part of bySeed stopped at the hop limit, when the rest had another outcome. */
  beyondHopLimit?: SeedAmounts;
}

export interface RawUnknownDraw {
  accountId: number;
  asset: string;
  decimals: number;
  amount: bigint;
  transfers: number;
}

/** Money moved between assets by a link: out of the fiat asset, into the crypto asset. */
export interface RawConversion {
  asset: string;
  decimals: number;
  bySeed: SeedAmounts;
}

/** The engine's answer in ids and bigints; src/trace/buildResult.ts turns it into a TraceResult. */
export interface RawTrace {
  seeds: RawSeed[];
  endpoints: RawEndpoint[];
  held: RawHolding[];
  beyondHopLimit: RawHolding[];
  belowThreshold: RawHolding[];
  unknownSourceDraws: RawUnknownDraw[];
  edges: RawEdge[];
  convertedOut: RawConversion[];
  linkedIn: RawConversion[];
  accountsReached: number;
}

export function addTo(map: SeedAmounts, seed: number, amount: bigint): void {
  if (amount !== 0n) map.set(seed, (map.get(seed) ?? 0n) + amount);
}
