import type { AccountColumns } from '../cluster/accountColumns.js';
import type { TransferColumns } from '../cluster/transferColumns.js';
import { parseAmount } from '../model/amount.js';
import { AccountRows } from './accountRows.js';

/**
 * Detectors read the same snapshot as clustering: accounts, and transfers in time order as
 * columns. A typology addresses a transfer by its row index and materialises only its findings'
 * evidence (transfer ids): as one object each, the transfers took most of detection's memory
 * (docs/performance.md, `detect`).
 */
export interface DetectData {
  accounts: AccountColumns;
  transfers: TransferColumns;
  /**
   * Accounts known to be victims (docs/detection.md, "Victims"): never reported as mules. When
   * absent, the accounts tagged `victim` (see `victimsOf`).
   */
  victims?: ReadonlySet<number>;
}

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

/** A typology's findings: an array, or a generator that yields each as it is found (pass-through). */
export type Typology = (data: DetectData, params: DetectParams) => Iterable<Finding>;

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
 * Whether a transfer (a row of `columns`) counts as a payment: above `minAmount` and above its
 * asset's dust floor (zero-value transfers never count). Address-poisoning spam is zero or dust
 * (docs/detection.md, "Dust and zero-value transfers").
 */
export function countedTest(columns: TransferColumns, params: Pick<DetectParams, 'minAmount' | 'dustFloor'>): (row: number) => boolean {
  const min = unitsOf(params.minAmount);
  const floors = new Map<string, (decimals: number) => bigint>();
  for (const [asset, floor] of Object.entries(params.dustFloor)) floors.set(asset, unitsOf(floor));
  // The least amount that counts, per asset index and decimals (a case holds a few of each).
  const least = new Map<number, bigint>();
  return (row) => {
    const amount = columns.amount(row);
    if (amount <= 0n) return false;
    const decimals = columns.decimals[row]!;
    const key = columns.asset[row]! * 256 + decimals;
    let bar = least.get(key);
    if (bar === undefined) {
      const floor = floors.get(columns.assetOf(row))?.(decimals);
      const atLeast = min(decimals);
      least.set(key, (bar = floor !== undefined && floor > atLeast ? floor : atLeast));
    }
    return amount >= bar;
  };
}

type ByAccount = { out: AccountRows; in: AccountRows };
const byAccountCache = new WeakMap<TransferColumns, Map<string, ByAccount>>();

/**
 * Transfers (rows) grouped by sender and by recipient, each in time order (dust, zero-value and
 * self-transfers left out). Built once per snapshot and floors and shared by the typologies that
 * ask (callers only read it): six typologies each building their own took a second of CPU and
 * over 100 MB of garbage on 500,000 transfers.
 */
export function byAccount(columns: TransferColumns, params: Pick<DetectParams, 'minAmount' | 'dustFloor'>): ByAccount {
  const key = JSON.stringify([params.minAmount, params.dustFloor]);
  const cached = byAccountCache.get(columns) ?? new Map<string, ByAccount>();
  byAccountCache.set(columns, cached);
  const grouped = cached.get(key) ?? groupByAccount(columns, countedTest(columns, params));
  cached.set(key, grouped);
  return grouped;
}

/** The rows `include` accepts, self-transfers left out, by sender and by recipient. */
export function groupByAccount(columns: TransferColumns, include: (row: number) => boolean): ByAccount {
  const mask = new Uint8Array(columns.length);
  for (let row = 0; row < columns.length; row++) if (columns.from[row] !== columns.to[row] && include(row)) mask[row] = 1;
  const taken = (row: number): boolean => mask[row] === 1;
  return { out: AccountRows.group(columns, [columns.from], taken), in: AccountRows.group(columns, [columns.to], taken) };
}

/** One past the largest account id of the transfers: the length of an array indexed by account id. */
export function idBound(columns: TransferColumns): number {
  let bound = 0;
  for (let row = 0; row < columns.length; row++) bound = Math.max(bound, columns.from[row]! + 1, columns.to[row]! + 1);
  return bound;
}

export function ppm(share: number): bigint {
  return BigInt(Math.round(share * 1_000_000));
}

/** An amount given in asset units, in minor units of the given decimals (cached per decimals). */
export function unitsOf(amount: string): (decimals: number) => bigint {
  const cache = new Map<number, bigint>();
  return (decimals) => {
    let units = cache.get(decimals);
    if (units === undefined) cache.set(decimals, (units = parseAmount(amount, decimals, { excessPrecision: 'truncate' })));
    return units;
  };
}
