import type { Rail, TagCategory } from './types.js';

/** The tracing rules courts know; see src/trace/rules/ for each one's legal source. */
export const RULE_NAMES = ['fifo', 'lifo', 'pro-rata', 'libr', 'poison'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** A threshold in one asset's own units: `amount` minor units of an asset with `decimals`. */
export interface AssetThreshold {
  amount: bigint;
  decimals: number;
}

/** Per asset (EUR, USDT …): `--min-amount` in that asset's own units (docs/tracing.md). */
export type MinAmounts = Readonly<Record<string, AssetThreshold>>;

export interface TraceOptions {
  rule: RuleName;
  /** Traced money stops (counted as beyond the hop limit) where its hop would exceed this. */
  maxHops?: number;
  /** Per asset: a transfer carrying less traced money than this stops it; assets absent have no threshold. */
  minAmount?: MinAmounts;
  /** Ignore transfers after this time (UTC ms): what was held then. */
  until?: number;
  /** Untagged accounts with more distinct counterparties than this are treated as hubs (endpoints). */
  stopAtDegree?: number;
}

/** Endpoint category in a result: a tag category, or `hub` for an untagged high-degree account. */
export type EndpointCategory = TagCategory | 'hub';

/** Per-seed amounts, keyed by seed id (the seed transfer's id as a string), decimal strings. */
export type AmountBySeed = Record<string, string>;

export interface TraceSeed {
  id: string;
  ref: string;
  rail: Rail;
  asset: string;
  /** What the victim paid: the seed transfer's amount (the same as `paid`, kept for older readers). */
  amount: string;
  /** What the victim paid: the seed transfer's amount, whatever the rule. */
  paid: string;
  /** What was traced from this payment (DESIGN rule 9): `paid` less money of earlier seeds it carried. */
  traced: string;
  /** Why `traced` differs from `paid` (absent when they agree). */
  reason?: string;
  from: string;
  to: string;
  time: string;
}

export interface AccountAmount {
  rail: Rail;
  ident: string;
  asset: string;
  amount: string;
  bySeed: AmountBySeed;
  /** Cluster id (see hoptrace cluster) when the account has been clustered. */
  cluster?: number;
}

/**
 * How much of a holding account's own history the case holds (DESIGN rule 10, docs/tracing.md):
 * `in-case` through `until` (its own bank statement, a completed live fetch of the address, or an
 * explorer export of that address) — a freeze candidate holding the money as of `until`; or
 * `last-seen`: only sighted as a counterparty, last at `lastSeen` — to follow up.
 */
/** What gives the case an account's own history (docs/design.md, rules 10 and 11). */
export const HISTORY_BASES = ['bank-statement', 'fetch', 'explorer-export', 'exchange-return'] as const;
export type HistoryBasis = (typeof HISTORY_BASES)[number];
export type HoldingHistory = { class: 'in-case'; until: string; basis: HistoryBasis } | { class: 'last-seen'; lastSeen: string };

export interface HeldAmount extends AccountAmount {
  history: HoldingHistory;
}

export interface TraceEndpoint extends AccountAmount {
  category: EndpointCategory;
  labels: string[];
  first: string;
  last: string;
}

export interface UnknownSourceDraw {
  rail: Rail;
  ident: string;
  asset: string;
  /** Total drawn from the "unknown source" lot: outflows larger than the known balance. */
  amount: string;
  transfers: number;
}

/** Reference, parties and provenance of one transfer: what a trace result cites for an edge. */
export interface TransferDetails {
  ref: string;
  seq: number;
  logIndex: number | null;
  from: string;
  to: string;
  sourcePath: string;
  sourceSha256: string;
  line: number;
}

export interface TraceEdgeSource {
  path: string;
  sha256: string;
  line: number;
}

/** The allocation arithmetic at one hop, so a second examiner can recompute it. */
export interface EdgeAllocation {
  balanceBefore: string;
  tracedBefore: string;
  tracedCarried: string;
  tracedLeft: string;
  /** Drawn from the unknown-source lot because the outflow exceeded the known balance. */
  unknownDrawn: string;
}

export interface TraceEdge {
  transfer: number;
  rail: Rail;
  ref: string;
  seq: number;
  logIndex: number | null;
  from: string;
  to: string;
  asset: string;
  amount: string;
  traced: string;
  bySeed: AmountBySeed;
  hop: number;
  time: string;
  /** Present when the traced money entered through a link (fiat transfer id) rather than the sender's pool. */
  viaLink?: number;
  /** The part of `bySeed` that stopped at the hop limit when the rest went on (DESIGN rule 6a). */
  beyondHopLimit?: AmountBySeed;
  /** Sender's pool before and after the cut (absent for seeds and linked transfers). */
  allocation?: EdgeAllocation;
  /** How the traced money ended at the recipient: carried on, endpoint, beyond-hop-limit, below-threshold. */
  outcome: 'carried' | 'endpoint' | 'beyond-hop-limit' | 'below-threshold' | 'linked';
  source: TraceEdgeSource;
}

export interface AssetTotals {
  asset: string;
  seeded: string;
  /** Traced money that entered this asset through links (fiat → crypto). */
  linkedIn: string;
  /** Traced money that left this asset through links (converted into another asset). */
  convertedOut: string;
  atEndpoints: string;
  held: string;
  beyondHopLimit: string;
  belowThreshold: string;
  unknownSourceDrawn: string;
  /** seeded + linkedIn − convertedOut − (atEndpoints + held + beyondHopLimit + belowThreshold); 0 for every rule but poison. */
  unaccounted: string;
}

export interface TraceResult {
  rule: RuleName;
  /** minAmount: per asset, in the asset's own units (`{"EUR": "500.00", "USDT": "600.000000"}`). */
  params: { maxHops: number | null; minAmount: Record<string, string> | null; until: string | null; stopAtDegree: number | null; seeds: string[] };
  seeds: TraceSeed[];
  endpoints: TraceEndpoint[];
  held: HeldAmount[];
  beyondHopLimit: AccountAmount[];
  belowThreshold: AccountAmount[];
  unknownSourceDraws: UnknownSourceDraw[];
  edges: TraceEdge[];
  totals: { byAsset: AssetTotals[]; edges: number; accountsReached: number; conserved: boolean };
  /** The case file the trace ran on, and the sources it cites. */
  /**
   * `logHead`: the hash of the newest audit-log entry when the trace ran (src/store/auditLog.ts),
   * which pins every change made to the case before; absent in traces written before the log.
   * `unhashed`: why a case file's `sha256` is null (src/store/caseCitation.ts); absent otherwise.
   */
  case: { path: string; sha256: string | null; unhashed?: string; logHead?: string; tool: string; version: string };
  sources: { path: string; sha256: string; size: number; adapter: string; rows: number; rejected: number }[];
  /**
   * Running-balance gaps recorded for bank accounts the trace passes through (ingest bank
   * --balance gaps): their statements are known to be incomplete. Absent when there is none.
   */
  balanceGaps?: { account: string; asset: string; missing: string; path: string; lineBefore: number | null; lineAfter: number }[];
}
