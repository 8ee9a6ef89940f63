/**
 * Pro-rata (the "rolling charge"): every outflow carries each seed's share of the balance, so
 * losses and withdrawals are borne rateably by everyone whose money is in the account.
 * Source: Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA). Per seed, an outflow
 * carries floor(amount × traced_seed ÷ balance) minor units.
 */
import { mulDivFloor } from '../../model/amount.js';
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
    const pieces: Lot[] = [];
    let carried = 0n;
    for (const seed of [...this.traced.keys()].sort((a, b) => a - b)) {
      const held = this.traced.get(seed)!;
      const share = mulDivFloor(amount, held.amount, this.total);
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
