import type { Rail, TagCategory } from './types.js';

/** The tracing rules courts know; see src/trace/rules/ for each one's legal source. */
export const RULE_NAMES = ['fifo', 'lifo', 'pro-rata', 'libr', 'poison'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface TraceOptions {
  rule: RuleName;
  /** Traced money stops (counted as beyond the hop limit) where its hop would exceed this. */
  maxHops?: number;
  /** A transfer carrying less traced money than this (minor units of its asset) stops it. */
  minAmount?: bigint;
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
  amount: string;
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
  params: { maxHops: number | null; minAmount: string | null; until: string | null; stopAtDegree: number | null; seeds: string[] };
  seeds: TraceSeed[];
  endpoints: TraceEndpoint[];
  held: AccountAmount[];
  beyondHopLimit: AccountAmount[];
  belowThreshold: AccountAmount[];
  unknownSourceDraws: UnknownSourceDraw[];
  edges: TraceEdge[];
  totals: { byAsset: AssetTotals[]; edges: number; accountsReached: number; conserved: boolean };
  /** The case file the trace ran on, and the sources it cites. */
  /**
   * `logHead`: the hash of the newest audit-log entry when the trace ran (src/store/auditLog.ts),
   * which pins every change made to the case before; absent in traces written before the log.
   */
  case: { path: string; sha256: string | null; logHead?: string; tool: string; version: string };
  sources: { path: string; sha256: string; size: number; adapter: string; rows: number; rejected: number }[];
}
