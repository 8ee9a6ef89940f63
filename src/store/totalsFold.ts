import type { Db } from './caseStore.js';

/** Past this many (account, side, asset) entries a fold gives up and the grouped pass is used: memory stays bounded. */
const MAX_ENTRIES = 200_000;
/** Partial sums stay exact as long as every one is below 2^53. */
const SAFE = Number.MAX_SAFE_INTEGER;

/** One account's transfers on one side in one asset, as `account_totals` holds them. */
interface Entry {
  n: number;
  hi: number;
  lo: number;
}

interface Group {
  asset: string;
  decimals: number;
  /** By account id: sent (side 0), received (side 1). */
  sides: [Map<number, Entry>, Map<number, Entry>];
}

/**
 * The `account_totals` rows of the transfers a source stores, summed as it stores them, so that
 * the commit writes them instead of grouping the new transfers again with two sorts of them
 * (src/store/accountTotals.ts, refreshAccountTotals; docs/performance.md). The same split as the
 * grouped pass: `hi` sums amount / 10^9 truncated, `lo` amount % 10^9 (signs as SQLite's).
 *
 * It gives up (`abandoned`) when it cannot be exact in plain numbers (an amount past 2^53, sums
 * that could pass it) or would grow past MAX_ENTRIES; the grouped pass then runs as before. It is
 * used only when it covers every transfer past the mark (`covers`).
 */
export class TotalsFold {
  private groups: Group[] = [];
  private last: Group | undefined;
  private entries = 0;
  /** Net transfers folded (deleted ones subtracted). */
  private rows = 0;
  /** Bounds of every partial sum: rows × 10^9 for `lo`, the sum of |hi| for `hi`. */
  private absHi = 0;
  private absRows = 0;
  abandoned = false;

  /** Adds a stored transfer (`sign` 1) or takes a deleted one out again (-1). */
  add(fromId: number, toId: number, asset: string, decimals: number, amount: bigint, sign: 1 | -1 = 1): void {
    if (this.abandoned) return;
    if (amount > 9007199254740991n || amount < -9007199254740991n) return this.abandon();
    const value = Number(amount);
    const lo = value % 1_000_000_000;
    const hi = (value - lo) / 1_000_000_000;
    this.absHi += Math.abs(hi);
    this.absRows++;
    if (this.absHi > SAFE || this.absRows * 1_000_000_000 > SAFE) return this.abandon();
    const group = this.groupOf(asset, decimals);
    this.rows += sign;
    this.addTo(group.sides[0], fromId, sign, sign * hi, sign * lo);
    this.addTo(group.sides[1], toId, sign, sign * hi, sign * lo);
  }

  /** Adds another fold's sums (a SourceBatch's source, when it commits). */
  absorb(other: TotalsFold): void {
    if (this.abandoned) return;
    if (other.abandoned) return this.abandon();
    this.rows += other.rows;
    this.absHi += other.absHi;
    this.absRows += other.absRows;
    if (this.absHi > SAFE || this.absRows * 1_000_000_000 > SAFE) return this.abandon();
    for (const g of other.groups) {
      const group = this.groupOf(g.asset, g.decimals);
      for (const side of [0, 1] as const) for (const [id, e] of g.sides[side]) this.addTo(group.sides[side], id, e.n, e.hi, e.lo);
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
      `INSERT INTO account_totals (account_id, side, asset, decimals, n, hi, lo, text_rows) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + excluded.n, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows`,
    );
    for (const group of this.groups) {
      for (const side of [0, 1] as const) {
        // In key order: the table is clustered on (account_id, side, …).
        const ids = [...group.sides[side].keys()].sort((a, b) => a - b);
        for (const id of ids) {
          const e = group.sides[side].get(id)!;
          // An account whose only transfers here were taken out again has no row, as in the grouped pass.
          if (e.n !== 0) upsert.run(id, side, group.asset, group.decimals, BigInt(e.n), BigInt(e.hi), BigInt(e.lo));
        }
      }
    }
  }

  private groupOf(asset: string, decimals: number): Group {
    const last = this.last;
    if (last !== undefined && last.asset === asset && last.decimals === decimals) return last;
    let group = this.groups.find((g) => g.asset === asset && g.decimals === decimals);
    if (group === undefined) {
      group = { asset, decimals, sides: [new Map(), new Map()] };
      this.groups.push(group);
    }
    this.last = group;
    return group;
  }

  private addTo(side: Map<number, Entry>, id: number, n: number, hi: number, lo: number): void {
    const e = side.get(id);
    if (e !== undefined) {
      e.n += n;
      e.hi += hi;
      e.lo += lo;
      return;
    }
    side.set(id, { n, hi, lo });
    if (++this.entries > MAX_ENTRIES) this.abandon();
  }

  private abandon(): void {
    this.abandoned = true;
    this.groups = [];
    this.last = undefined;
  }
}
