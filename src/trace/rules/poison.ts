/**
 * Poison (taint): once an account holds traced money, every later outflow is wholly traced and
 * the account's traced money is not reduced. It bounds the other rules from above, so totals can
 * exceed the seeds; the report says so. Used in asset-freezing practice (e.g. exchange compliance
 * "taint analysis") rather than as a measure of a victim's share. Per seed, an outflow is split in
 * proportion to what each seed put in (floor), the remainder to the largest seed, so the pieces
 * always sum to the outflow.
 */
import { mulDivFloor } from '../../model/amount.js';
import { UNTRACED, type Lot, type Pool, type PoolFactory, type Withdrawal } from './pool.js';

class PoisonPool implements Pool {
  private total = 0n;
  private taint = 0n;
  private readonly tainted = new Map<number, { amount: bigint; hop: number }>();

  deposit(lot: Lot): void {
    if (lot.amount <= 0n) return;
    this.total += lot.amount;
    if (lot.seed === UNTRACED) return;
    this.taint += lot.amount;
    const held = this.tainted.get(lot.seed);
    if (held) {
      held.amount += lot.amount;
      held.hop = Math.min(held.hop, lot.hop);
    } else this.tainted.set(lot.seed, { amount: lot.amount, hop: lot.hop });
  }

  withdraw(amount: bigint): Withdrawal {
    const unknownDrawn = amount > this.total ? amount - this.total : 0n;
    this.total += unknownDrawn - amount;
    if (this.taint === 0n) return { pieces: [{ seed: UNTRACED, amount, hop: 0 }], unknownDrawn };
    return { pieces: this.split(amount), unknownDrawn };
  }

  private split(amount: bigint): Lot[] {
    const seeds = [...this.tainted.keys()].sort((a, b) => a - b);
    const pieces = seeds.map((seed) => {
      const held = this.tainted.get(seed)!;
      return { seed, amount: mulDivFloor(amount, held.amount, this.taint), hop: held.hop };
    });
    const rest = amount - pieces.reduce((sum, piece) => sum + piece.amount, 0n);
    if (rest > 0n) {
      let largest = pieces[0]!;
      for (const piece of pieces) if (this.tainted.get(piece.seed)!.amount > this.tainted.get(largest.seed)!.amount) largest = piece;
      largest.amount += rest;
    }
    return pieces.filter((piece) => piece.amount > 0n);
  }

  balance(): bigint {
    return this.total;
  }

  /** What is "held" is the poisoned balance: the balance, at most the taint, split like an outflow. */
  tracedTotal(): bigint {
    return this.taint === 0n ? 0n : this.total < this.taint ? (this.total > 0n ? this.total : 0n) : this.taint;
  }

  tracedBySeed(): Map<number, bigint> {
    const held = this.tracedTotal();
    return held === 0n ? new Map() : new Map(this.split(held).map((piece) => [piece.seed, piece.amount]));
  }
}

export const poisonRule: PoolFactory = () => new PoisonPool();
