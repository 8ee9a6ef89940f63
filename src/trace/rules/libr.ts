/**
 * LIBR — lowest intermediate balance rule: untraced money leaves first, traced money (oldest
 * first) only when nothing else is left; so the traced money still in an account never exceeds
 * its lowest balance since the money arrived, and later deposits do not refill it.
 * Sources: Roscoe (James) (Bolton) Ltd v Winder [1915] 1 Ch 62; Re Hallett's Estate (1880) 13 Ch D
 * 696 (a wrongdoer is presumed to spend his own money first).
 */
import { UNTRACED, type Lot, type Pool, type PoolFactory, type Withdrawal } from './pool.js';
import { LotQueue } from './lotQueue.js';

class LibrPool implements Pool {
  private untraced = 0n;
  private readonly traced = new LotQueue(false);

  deposit(lot: Lot): void {
    if (lot.seed === UNTRACED) this.untraced += lot.amount;
    else this.traced.deposit(lot);
  }

  withdraw(amount: bigint): Withdrawal {
    const pieces: Lot[] = [];
    const fromUntraced = amount <= this.untraced ? amount : this.untraced;
    if (fromUntraced > 0n) pieces.push({ seed: UNTRACED, amount: fromUntraced, hop: 0 });
    this.untraced -= fromUntraced;
    const rest = amount - fromUntraced;
    if (rest === 0n) return { pieces, unknownDrawn: 0n };
    const cut = this.traced.withdraw(rest);
    return { pieces: [...pieces, ...cut.pieces], unknownDrawn: cut.unknownDrawn };
  }

  balance(): bigint {
    return this.untraced + this.traced.balance();
  }

  tracedTotal(): bigint {
    return this.traced.tracedTotal();
  }

  tracedBySeed(): Map<number, bigint> {
    return this.traced.tracedBySeed();
  }
}

export const librRule: PoolFactory = () => new LibrPool();
