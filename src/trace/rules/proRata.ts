/**
 * Pro-rata (the "rolling charge"): every outflow carries each seed's share of the balance, so
 * losses and withdrawals are borne rateably by everyone whose money is in the account.
 * Source: Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA). Per seed, an outflow
 * carries floor(amount × traced_seed ÷ balance) minor units; the units rounding leaves over come
 * from untraced money, or (when none is left) from the seeds with the largest remainders.
 */
import { UNTRACED, type Lot, type Pool, type PoolFactory, type Withdrawal } from './pool.js';

class ProRataPool implements Pool {
  private total = 0n;
  private readonly traced = new Map<number, { amount: bigint; hop: number }>();

  deposit(lot: Lot): void {
    if (lot.amount <= 0n) return;
    this.total += lot.amount;
    if (lot.seed === UNTRACED) return;
    const held = this.traced.get(lot.seed);
    if (held) {
      held.amount += lot.amount;
      held.hop = Math.min(held.hop, lot.hop);
    } else this.traced.set(lot.seed, { amount: lot.amount, hop: lot.hop });
  }

  withdraw(amount: bigint): Withdrawal {
    const unknownDrawn = amount > this.total ? amount - this.total : 0n;
    this.total += unknownDrawn;
    const seeds = [...this.traced.keys()].sort((a, b) => a - b);
    const shares = seeds.map((seed) => {
      const held = this.traced.get(seed)!;
      const product = amount * held.amount;
      return { seed, share: product / this.total, remainder: product % this.total };
    });
    // Rounding down leaves a few minor units unassigned; they come from untraced money, but when
    // too little of it is left they go to the seeds with the largest remainders, so an account
    // never holds more traced money than its balance.
    const untracedAvailable = this.total - this.tracedTotal();
    let unassigned = amount - shares.reduce((sum, s) => sum + s.share, 0n) - untracedAvailable;
    for (const s of [...shares].sort((a, b) => (a.remainder === b.remainder ? a.seed - b.seed : a.remainder > b.remainder ? -1 : 1))) {
      if (unassigned <= 0n) break;
      s.share += 1n;
      unassigned -= 1n;
    }
    const pieces: Lot[] = [];
    let carried = 0n;
    for (const { seed, share } of shares) {
      const held = this.traced.get(seed)!;
      if (share > 0n) {
        pieces.push({ seed, amount: share, hop: held.hop });
        held.amount -= share;
        carried += share;
      }
      if (held.amount === 0n) this.traced.delete(seed);
    }
    if (amount > carried) pieces.push({ seed: UNTRACED, amount: amount - carried, hop: 0 });
    this.total -= amount;
    return { pieces, unknownDrawn };
  }

  balance(): bigint {
    return this.total;
  }

  tracedTotal(): bigint {
    let sum = 0n;
    for (const held of this.traced.values()) sum += held.amount;
    return sum;
  }

  tracedBySeed(): Map<number, bigint> {
    return new Map([...this.traced].map(([seed, held]) => [seed, held.amount]));
  }
}

export const proRataRule: PoolFactory = () => new ProRataPool();
