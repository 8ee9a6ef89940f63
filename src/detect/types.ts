import type { TransferColumns } from '../cluster/transferColumns.js';
import type { ClusterAccount, ClusterTransfer } from '../cluster/types.js';
import { parseAmount } from '../model/amount.js';

/** Detectors read the same snapshot as clustering: accounts and transfers in time order, as objects. */
export interface DetectData {
  accounts: Map<number, ClusterAccount>;
  transfers: ClusterTransfer[];
  /** The same transfers as columns, when the caller loaded them so (the sweep typology reads these). */
  columns?: TransferColumns;
}
export type DetectTransfer = ClusterTransfer;

export const TYPOLOGY_NAMES = ['pass-through', 'fan-in', 'fan-out', 'cycle', 'peel-chain', 'sweep', 'structuring'] as const;
export type TypologyName = (typeof TYPOLOGY_NAMES)[number];

export interface DetectParams {
  /** Window for pass-through, fan-in/out, cycles and structuring, ms. */
  windowMs: number;
  /** Transfers smaller than this (in each asset's units, a decimal string) are ignored. */
  minAmount: string;
  passThroughShare: number;
  fanK: number;
  cycleMaxHops: number;
  peelMinHops: number;
  peelOnShare: number;
  sweepMinWallets: number;
  sweepShare: number;
  /** Structuring: payments in [threshold × (1 − margin), threshold) in asset units, at least this many. */
  structuringThreshold: string;
  structuringMargin: number;
  structuringMinCount: number;
}

export const DEFAULT_DETECT_PARAMS: DetectParams = {
  windowMs: 7 * 86_400_000,
  minAmount: '0',
  passThroughShare: 0.9,
  fanK: 5,
  cycleMaxHops: 6,
  peelMinHops: 3,
  peelOnShare: 0.7,
  sweepMinWallets: 3,
  sweepShare: 0.95,
  structuringThreshold: '10000',
  structuringMargin: 0.1,
  structuringMinCount: 3,
};

export interface Finding {
  typology: TypologyName;
  accounts: number[];
  evidence: number[];
  score: number;
}

export type Typology = (data: DetectData, params: DetectParams) => Finding[];

/** Transfers grouped by sender and by recipient, each in time order. */
export function byAccount(transfers: readonly DetectTransfer[], minAmount: string): { out: Map<number, DetectTransfer[]>; in: Map<number, DetectTransfer[]> } {
  const out = new Map<number, DetectTransfer[]>();
  const inn = new Map<number, DetectTransfer[]>();
  const min = unitsOf(minAmount);
  for (const t of transfers) {
    if (t.amount < min(t) || t.from === t.to) continue;
    let o = out.get(t.from);
    if (!o) out.set(t.from, (o = []));
    o.push(t);
    let i = inn.get(t.to);
    if (!i) inn.set(t.to, (i = []));
    i.push(t);
  }
  return { out, in: inn };
}

export function ppm(share: number): bigint {
  return BigInt(Math.round(share * 1_000_000));
}

/** An amount given in asset units, in each transfer's minor units (cached per decimals). */
export function unitsOf(amount: string): (t: DetectTransfer) => bigint {
  const cache = new Map<number, bigint>();
  return (t) => {
    const decimals = t.decimals ?? 0;
    let units = cache.get(decimals);
    if (units === undefined) cache.set(decimals, (units = parseAmount(amount, decimals, { excessPrecision: 'truncate' })));
    return units;
  };
}
