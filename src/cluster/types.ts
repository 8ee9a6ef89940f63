import type { Rail, TagCategory } from '../model/types.js';
import type { AccountColumns } from './accountColumns.js';
import type { Proposals } from './proposals.js';
import type { TransferColumns } from './transferColumns.js';

/** One account with its tags (the row form of AccountColumns). */
export interface ClusterAccount {
  id: number;
  rail: Rail;
  ident: string;
  holderNorm: string | null;
  bank: string | null;
  /** Tagged as a service (exchange, OTC, processor, market, gambling, mixer, bridge): never merged. */
  service: boolean;
  /** Tagged as an exchange (a deposit address forwards there). */
  exchange: boolean;
  /** Labels of entity tags (scam operator, mule, sanctioned …): two different ones never merge. */
  labels: readonly string[];
  /** Tag categories of the account (detection reads `victim` and `mule`); absent when untagged. */
  categories?: readonly TagCategory[];
}

export interface ClusterTransfer {
  id: number;
  from: number;
  to: number;
  asset: string;
  amount: bigint;
  time: number;
  /** Decimals of the asset (amount thresholds are given in asset units). */
  decimals?: number;
}

/** What the heuristics read: accounts with their tags, and transfers in time order. */
export interface ClusterData {
  accounts: AccountColumns;
  /** In time order. */
  transfers: TransferColumns;
}

export interface MergeProposal {
  a: number;
  b: number;
  heuristic: HeuristicName;
  confidence: number;
  /** The transfers that show it (ids), or a statement (manual, bank holder). */
  evidence: number[];
  reason: string;
}

export const HEURISTIC_NAMES = ['deposit', 'funder', 'sweep', 'bank-holder', 'manual'] as const;
export type HeuristicName = (typeof HEURISTIC_NAMES)[number];

export interface ClusterParams {
  /** deposit: share of each receipt a deposit address must forward (1 − ε). */
  depositEpsilon: number;
  /** deposit: forwarding window, hours; a deposit address never holds more than ε of what it received for longer. */
  depositWindowHours: number;
  /** deposit: at most this share of what a deposit address received may come from tagged services. */
  depositMaxServiceShare: number;
  /** funder: a funder that funds more wallets than this is a service (energy rental, exchange). */
  funderMaxFanOut: number;
  /** sweep: share of its balance a wallet must send to the collector. */
  sweepShare: number;
  /** sweep: the sweep must come within this many hours of the receipt it empties. */
  sweepWindowHours: number;
  /** sweep: a collector needs at least this many sweeping wallets. */
  sweepMinWallets: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  depositEpsilon: 0.01,
  depositWindowHours: 48,
  depositMaxServiceShare: 0.5,
  funderMaxFanOut: 20,
  sweepShare: 0.95,
  sweepWindowHours: 72,
  sweepMinWallets: 2,
};

/** A heuristic appends its proposals to `out`. */
export type ClusterHeuristic = (data: ClusterData, params: ClusterParams, out: Proposals) => void;

/**
 * Whether `part` is at least `share` (0 < share ≤ 1) of `whole`, without floating-point money: the
 * share becomes parts per million once, for loops over millions of transfers.
 */
export function shareTest(share: number): (part: bigint, whole: bigint) => boolean {
  const ppm = BigInt(Math.round(share * 1_000_000));
  return (part, whole) => part * 1_000_000n >= whole * ppm;
}
