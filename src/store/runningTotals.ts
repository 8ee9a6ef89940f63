import { refreshAccountTotals, totalsMark } from './accountTotals.js';
import type { Db } from './caseStore.js';

/** One account's transfers on one side in one asset and decimals, as `account_totals` sums them. */
interface Sum {
  asset: string;
  decimals: number;
  n: number;
  hi: number;
  lo: number;
  textRows: number;
  /** The account's sum in another asset or decimals (rare: a list, not a map per account). */
  next: Sum | undefined;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Sums kept at most (about 100 bytes each): past it the fold reads the transfers again, so memory stays bounded on any file. */
const MAX_SUMS = 200_000;

/**
 * A source's new transfers summed per account as they are stored, so that its commit writes
 * `account_totals` (src/store/schema.ts) from these sums instead of the grouped pass over the
 * transfers that refreshAccountTotals makes — two sorts of everything the source brought, a
 * tenth of a large statement's import (docs/performance.md, "Ingest against a bare pipeline").
 * The rows are the same: the same groups, the same split of each amount into a high and a low
 * part, the same count of amounts stored as TEXT. Wherever that could not hold, the fold falls
 * back to refreshAccountTotals: the case's totals were behind its transfers before the source,
 * the source stored transfers these sums did not see, an amount or a sum left the range a double
 * holds exactly, or there were more than MAX_SUMS sums to keep.
 */
export class RunningTotals {
  private readonly sides = [new Map<number, Sum>(), new Map<number, Sum>()] as const;
  private sums = 0;
  private count = 0;
  /** False once the sums can no longer give the rows exactly (see above). */
  private exact: boolean;
  private readonly mark: number | null;

  constructor(db: Db) {
    this.mark = totalsMark(db);
    const stored = Number(db.prepare('SELECT COALESCE(MAX(id), 0) FROM transfers').pluck().get());
    this.exact = this.mark !== null && this.mark === stored;
  }

  /** A transfer the source has just stored, with its amount as stored (storedAmount). */
  add(fromId: number, toId: number, asset: string, decimals: number, amount: bigint | string): void {
    if (!this.exact) return;
    let hi = 0;
    let lo = 0;
    let text = 0;
    if (typeof amount === 'string') text = 1;
    else if (amount <= SAFE && amount >= -SAFE) {
      // SQLite's integer division and remainder truncate toward zero, as Math.trunc does.
      const value = Number(amount);
      hi = Math.trunc(value / 1_000_000_000);
      lo = value - hi * 1_000_000_000;
    } else {
      this.giveUp();
      return;
    }
    this.count++;
    this.addTo(0, fromId, asset, decimals, hi, lo, text);
    this.addTo(1, toId, asset, decimals, hi, lo, text);
  }

  private addTo(side: 0 | 1, accountId: number, asset: string, decimals: number, hi: number, lo: number, text: number): void {
    if (!this.exact) return;
    const first = this.sides[side].get(accountId);
    let sum = first;
    while (sum !== undefined && (sum.asset !== asset || sum.decimals !== decimals)) sum = sum.next;
    if (sum === undefined) {
      if (this.sums >= MAX_SUMS) {
        this.giveUp();
        return;
      }
      this.sums++;
      sum = { asset, decimals, n: 0, hi: 0, lo: 0, textRows: 0, next: first };
      this.sides[side].set(accountId, sum);
    }
    sum.n++;
    sum.hi += hi;
    sum.lo += lo;
    sum.textRows += text;
    if (!Number.isSafeInteger(sum.hi) || !Number.isSafeInteger(sum.lo)) this.giveUp();
  }

  private giveUp(): void {
    this.exact = false;
    this.sides[0].clear();
    this.sides[1].clear();
  }

  /**
   * Folds the source's transfers into `account_totals` and moves the mark past them, inside its
   * transaction (SourceWriter.commit): from these sums when they cover exactly the transfers past
   * the mark, else with refreshAccountTotals.
   */
  fold(db: Db): void {
    if (this.mark === null) return;
    const past = Number(db.prepare('SELECT COUNT(*) FROM transfers WHERE id > ?').pluck().get(this.mark));
    if (!this.exact || past !== this.count) {
      refreshAccountTotals(db);
      return;
    }
    const upsert = db.prepare(
      `INSERT INTO account_totals (account_id, side, asset, decimals, n, hi, lo, text_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + excluded.n, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows`,
    );
    for (const side of [0, 1] as const) {
      for (const [accountId, first] of this.sides[side]) {
        // Bound as 64-bit integers, as the grouped pass's COUNT and SUM give them.
        for (let sum: Sum | undefined = first; sum !== undefined; sum = sum.next) {
          upsert.run(BigInt(accountId), BigInt(side), sum.asset, BigInt(sum.decimals), BigInt(sum.n), BigInt(sum.hi), BigInt(sum.lo), BigInt(sum.textRows));
        }
      }
    }
    db.prepare("UPDATE meta SET value = (SELECT COALESCE(MAX(id), 0) FROM transfers) WHERE key = 'account_totals_through'").run();
  }
}
