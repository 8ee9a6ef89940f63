import type { TransferColumns } from '../cluster/transferColumns.js';
import type { AccountColumns } from '../cluster/accountColumns.js';
import type { ClusterTransfer } from '../cluster/types.js';
import { parseAmount } from '../model/amount.js';

/** Detectors read the same snapshot as clustering: accounts and transfers in time order, as objects. */
export interface DetectData {
  accounts: AccountColumns;
  transfers: ClusterTransfer[];
  /** The same transfers as columns, when the caller loaded them so (the sweep typology reads these). */
  columns?: TransferColumns;
  /**
   * Accounts known to be victims (docs/detection.md, "Victims"): never reported as mules. When
   * absent, the accounts tagged `victim` (see `victimsOf`).
   */
  victims?: ReadonlySet<number>;
}
export type DetectTransfer = ClusterTransfer;

export const TYPOLOGY_NAMES = [
  'pass-through',
  'victim-offender-overlap',
  'fan-in',
  'fan-out',
  'cycle',
  'peel-chain',
  'sweep',
  'structuring',
  'address-poisoning',
  'inducement',
] as const;
export type TypologyName = (typeof TYPOLOGY_NAMES)[number];

export interface DetectParams {
  /** Window for pass-through, fan-in/out, cycles and structuring, ms. */
  windowMs: number;
  /** Transfers smaller than this (in each asset's units, a decimal string) are ignored. */
  minAmount: string;
  /**
   * Dust floor per asset (asset units, decimal strings): transfers below it are address-
   * poisoning spam or fee dust and no typology but address poisoning reads them. Zero-value
   * transfers are always left out. Assets not listed have no floor beyond zero.
   */
  dustFloor: Record<string, string>;
  /** Pass-through band: forwarded ÷ arrived within an episode must lie in [min, max]. */
  passThroughShare: number;
  passThroughMaxShare: number;
  /** Pass-through: the balance before the episode must be at most this share of what arrived. */
  passThroughPriorShare: number;
  fanK: number;
  /** Fan-in/out: the smallest payment in the fan must be at least this share of the largest (0 = any). */
  fanAmountSimilarity: number;
  cycleMaxHops: number;
  /** Cycle: every hop carries between this share and its inverse of the first hop's amount (0 = any). */
  cycleMinShare: number;
  peelMinHops: number;
  peelOnShare: number;
  sweepMinWallets: number;
  sweepShare: number;
  /** Structuring: payments in [threshold × (1 − margin), threshold) in asset units, at least this many. */
  structuringThreshold: string;
  structuringMargin: number;
  structuringMinCount: number;
  /** Address poisoning: leading and trailing characters (after `0x` or `T`) a lookalike shares. */
  poisonPrefix: number;
  poisonSuffix: number;
  /** Inducement: the victim's later payments must be at least this many times the "profits" paid to it. */
  inducementRatio: number;
  /** Inducement: how long after the first "profit" the victim's payments count, ms. */
  inducementWindowMs: number;
}

export const DEFAULT_DETECT_PARAMS: DetectParams = {
  windowMs: 7 * 86_400_000,
  minAmount: '0',
  dustFloor: { USDT: '1', USDC: '1', TRX: '1', ETH: '0.0001' },
  passThroughShare: 0.85,
  passThroughMaxShare: 1.1,
  passThroughPriorShare: 0.1,
  fanK: 5,
  fanAmountSimilarity: 0,
  cycleMaxHops: 6,
  cycleMinShare: 0,
  peelMinHops: 3,
  peelOnShare: 0.7,
  sweepMinWallets: 3,
  sweepShare: 0.95,
  structuringThreshold: '10000',
  structuringMargin: 0.1,
  structuringMinCount: 3,
  poisonPrefix: 4,
  poisonSuffix: 4,
  inducementRatio: 3,
  inducementWindowMs: 60 * 86_400_000,
};

export interface Finding {
  typology: TypologyName;
  accounts: number[];
  evidence: number[];
  /** 0–1; what it means is stated per typology in docs/detection.md. */
  score: number;
}

export type Typology = (data: DetectData, params: DetectParams) => Finding[];

/** A score rounded to three decimals and held in [0, 1], so stored findings are byte-stable. */
export function unitScore(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return value >= 1 ? 1 : Math.round(value * 1000) / 1000;
}

/** Whether an account is a tagged service (exchange, OTC, processor, market, bridge …): hops there end a path. */
export function isService(data: DetectData, id: number): boolean {
  return data.accounts.isService(id);
}

/** The victims detection protects: `data.victims`, or else the accounts tagged `victim`. */
export function victimsOf(data: DetectData): ReadonlySet<number> {
  if (data.victims) return data.victims;
  const victims = new Set<number>();
  for (const id of data.accounts.tagged()) if (data.accounts.categories(id)!.includes('victim')) victims.add(id);
  return victims;
}

/**
 * Whether a transfer counts as a payment: above `minAmount` and above its asset's dust floor
 * (zero-value transfers never count). Address-poisoning spam is zero or dust (docs/detection.md,
 * "Dust and zero-value transfers").
 */
export function countedTest(params: Pick<DetectParams, 'minAmount' | 'dustFloor'>): (t: DetectTransfer) => boolean {
  const min = unitsOf(params.minAmount);
  const floors = new Map<string, (t: DetectTransfer) => bigint>();
  for (const [asset, floor] of Object.entries(params.dustFloor)) floors.set(asset, unitsOf(floor));
  return (t) => t.amount > 0n && t.amount >= min(t) && !(floors.has(t.asset) && t.amount < floors.get(t.asset)!(t));
}

type ByAccount = { out: Map<number, DetectTransfer[]>; in: Map<number, DetectTransfer[]> };
const byAccountCache = new WeakMap<readonly DetectTransfer[], Map<string, ByAccount>>();

/**
 * Transfers grouped by sender and by recipient, each in time order (dust, zero-value and
 * self-transfers left out). Built once per list of transfers and floors and shared by the
 * typologies that ask (callers only read it): six typologies each building their own took a
 * second of CPU and over 100 MB of garbage on 500,000 transfers.
 */
export function byAccount(transfers: readonly DetectTransfer[], params: Pick<DetectParams, 'minAmount' | 'dustFloor'>): ByAccount {
  const key = JSON.stringify([params.minAmount, params.dustFloor]);
  const cached = byAccountCache.get(transfers) ?? new Map<string, ByAccount>();
  byAccountCache.set(transfers, cached);
  const grouped = cached.get(key) ?? groupByAccount(transfers, params);
  cached.set(key, grouped);
  return grouped;
}

function groupByAccount(transfers: readonly DetectTransfer[], params: Pick<DetectParams, 'minAmount' | 'dustFloor'>): ByAccount {
  const out = new Map<number, DetectTransfer[]>();
  const inn = new Map<number, DetectTransfer[]>();
  const counted = countedTest(params);
  for (const t of transfers) {
    if (!counted(t) || t.from === t.to) continue;
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
