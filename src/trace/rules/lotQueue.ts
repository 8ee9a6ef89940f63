import { sumBySeed, UNTRACED, type Lot, type Pool, type Withdrawal } from './pool.js';

/**
 * An ordered list of lots cut from the front (oldest first) or the back (newest first). Adjacent
 * lots of the same seed and hop are merged: cutting them apart or together gives the same pieces.
 */
export class LotQueue implements Pool {
  private lots: Lot[] = [];
  private head = 0;
  private total = 0n;
  private traced = 0n;

  constructor(private readonly newestFirst: boolean) {}

  deposit(lot: Lot): void {
    if (lot.amount <= 0n) return;
    this.total += lot.amount;
    if (lot.seed !== UNTRACED) this.traced += lot.amount;
    const last = this.lots.length > this.head ? this.lots[this.lots.length - 1] : undefined;
    if (last && last.seed === lot.seed && last.hop === lot.hop) last.amount += lot.amount;
    else this.lots.push({ ...lot });
  }

  withdraw(amount: bigint): Withdrawal {
    const pieces: Lot[] = [];
    let remaining = amount;
    while (remaining > 0n && this.lots.length > this.head) {
      const index = this.newestFirst ? this.lots.length - 1 : this.head;
      const lot = this.lots[index]!;
      const cut = lot.amount <= remaining ? lot.amount : remaining;
      pieces.push({ seed: lot.seed, amount: cut, hop: lot.hop });
      lot.amount -= cut;
      remaining -= cut;
      this.total -= cut;
      if (lot.seed !== UNTRACED) this.traced -= cut;
      if (lot.amount === 0n) {
        if (this.newestFirst) this.lots.pop();
        else this.head++;
      }
    }
    this.compact();
    if (remaining > 0n) pieces.push({ seed: UNTRACED, amount: remaining, hop: 0 });
    return { pieces, unknownDrawn: remaining };
  }

  balance(): bigint {
    return this.total;
  }

  tracedTotal(): bigint {
    return this.traced;
  }

  tracedBySeed(): Map<number, bigint> {
    return sumBySeed(this.lots.slice(this.head));
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.lots.length) {
      this.lots = this.lots.slice(this.head);
      this.head = 0;
    }
  }
}
