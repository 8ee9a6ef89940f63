import type { Db } from './caseStore.js';
import { IdSums } from './idSums.js';

/** Past this many (account, side, asset) entries a fold gives up and the grouped pass is used: memory stays bounded. */
const MAX_ENTRIES = 200_000;
/** Amounts a double holds exactly: past them the fold gives up. */
const SAFE = 9_007_199_254_740_991n;
/** Amounts past 64 bits are stored as TEXT (storedAmount): `account_totals` only counts them. */
const INT64_MAX = (1n << 63n) - 1n;

interface Group {
  asset: string;
  decimals: number;
  /**
   * By account id, sent (side 0) and received (side 1): each account's transfers on that side in
   * this asset, as `account_totals` holds them (n, hi, lo, and text_rows: amounts stored as TEXT).
   */
  sides: [IdSums, IdSums];
}

/**
 * The `account_totals` rows of the transfers a source stores, summed as it stores them, so that
 * the commit writes them instead of grouping the new transfers again with two sorts of them
 * (src/store/accountTotals.ts, refreshAccountTotals; docs/performance.md). Every source keeps
 * them this way, explorer exports and bank statements alike (SourceWriter). The same rows as the
 * grouped pass: `hi` sums amount / 10^9 truncated, `lo` amount % 10^9 (signs as SQLite's), an
 * amount stored as TEXT (past 64 bits) is only counted (`text_rows`).
 *
 * It gives up (`abandoned`) when it cannot be exact in plain numbers (an amount past 2^53, a sum
 * that would pass it) or would grow past MAX_ENTRIES; the grouped pass then runs as before. It is
 * used only when it covers every transfer past the mark (`covers`): not when the case's totals
 * were behind its transfers before the source.
 */
export class TotalsFold {
  private groups: Group[] = [];
  private last: Group | undefined;
  private entries = 0;
  /** Net transfers folded (deleted ones subtracted). */
  private rows = 0;
  abandoned = false;

  /** Adds a stored transfer (`sign` 1) or takes a deleted one out again (-1). */
  add(fromId: number, toId: number, asset: string, decimals: number, amount: bigint, sign: 1 | -1 = 1): void {
    if (this.abandoned) return;
    let hi = 0;
    let lo = 0;
    let text = 0;
    if (amount > INT64_MAX || amount < -INT64_MAX) text = sign;
    else if (amount > SAFE || amount < -SAFE) return this.abandon();
    else {
      // JavaScript's remainder truncates toward zero, as SQLite's integer division and remainder do.
      const value = Number(amount);
      lo = value % 1_000_000_000;
      hi = (value - lo) / 1_000_000_000;
    }
    const group = this.groupOf(asset, decimals);
    this.rows += sign;
    this.addTo(group.sides[0], fromId, sign, sign * hi, sign * lo, text);
    this.addTo(group.sides[1], toId, sign, sign * hi, sign * lo, text);
  }

  /** Adds another fold's sums (a SourceBatch's source, when it commits). */
  absorb(other: TotalsFold): void {
    if (this.abandoned) return;
    if (other.abandoned) return this.abandon();
    this.rows += other.rows;
    for (const g of other.groups) {
      const group = this.groupOf(g.asset, g.decimals);
      for (const side of [0, 1] as const) g.sides[side].forEachById((id, n, hi, lo, text) => this.addTo(group.sides[side], id, n, hi, lo, text));
    }
  }

  /** Whether the fold holds every transfer past `through`: then `write` stands for the grouped pass. */
  covers(db: Db, through: number): boolean {
    if (this.abandoned) return false;
    return Number(db.prepare('SELECT COUNT(*) FROM transfers WHERE id > ?').pluck().get(through)) === this.rows;
  }

  /** Adds the sums to `account_totals`, as the grouped pass's upsert does. */
  write(db: Db): void {
    const upsert = db.prepare(
      `INSERT INTO account_totals (account_id, side, asset, decimals, n, hi, lo, text_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + excluded.n, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows`,
    );
    for (const group of this.groups) {
      for (const side of [0, 1] as const) {
        // In key order: the table is clustered on (account_id, side, …).
        group.sides[side].forEachById((id, n, hi, lo, text) => {
          // An account whose only transfers here were taken out again has no row, as in the grouped pass.
          if (n !== 0) upsert.run(id, side, group.asset, group.decimals, BigInt(n), BigInt(hi), BigInt(lo), BigInt(text));
        });
      }
    }
  }

  private groupOf(asset: string, decimals: number): Group {
    const last = this.last;
    if (last !== undefined && last.asset === asset && last.decimals === decimals) return last;
    let group = this.groups.find((g) => g.asset === asset && g.decimals === decimals);
    if (group === undefined) {
      group = { asset, decimals, sides: [new IdSums(), new IdSums()] };
      this.groups.push(group);
    }
    this.last = group;
    return group;
  }

  private addTo(side: IdSums, id: number, n: number, hi: number, lo: number, text: number): void {
    if (this.abandoned) return;
    if (side.add(id, n, hi, lo, text) && ++this.entries > MAX_ENTRIES) this.abandon();
    else if (side.inexact) this.abandon();
  }

  private abandon(): void {
    this.abandoned = true;
    this.groups = [];
    this.last = undefined;
  }
}
