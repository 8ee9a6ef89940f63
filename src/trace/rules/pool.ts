/**
 * A pool is what one account holds of one asset, under one rule. Lots are homogeneous: all traced
 * to one seed (seed index ≥ 0) or all untraced (seed −1), each with the hop at which it arrived.
 */
export const UNTRACED = -1;

export interface Lot {
  seed: number;
  amount: bigint;
  hop: number;
}

export interface Withdrawal {
  /** The pieces cut, in the order the rule cut them; each arrives at the recipient as its own lot. */
  pieces: Lot[];
  /** Part of the outflow beyond the known balance, drawn from an untraced "unknown source" lot. */
  unknownDrawn: bigint;
}

export interface Pool {
  deposit(lot: Lot): void;
  withdraw(amount: bigint): Withdrawal;
  balance(): bigint;
  /** Traced amount per seed index (entries > 0 only). */
  tracedBySeed(): Map<number, bigint>;
  tracedTotal(): bigint;
}

export type PoolFactory = () => Pool;

/** Sums traced amounts per seed over some lots. */
export function sumBySeed(lots: Iterable<Lot>): Map<number, bigint> {
  const bySeed = new Map<number, bigint>();
  for (const lot of lots) if (lot.seed !== UNTRACED && lot.amount > 0n) bySeed.set(lot.seed, (bySeed.get(lot.seed) ?? 0n) + lot.amount);
  return bySeed;
}
