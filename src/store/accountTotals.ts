import { amountFromDb, toNumber, type Db } from './caseStore.js';
import { withSortCache } from './bulkWrite.js';
import type { TotalsFold } from './totalsFold.js';

/**
 * An account's totals, read so that an exchange-sized account (100,000 transfers) answers as fast
 * as any other (docs/workbench.md, "Scale"): balances from `account_totals` (src/store/schema.ts),
 * totals with a counterparty through the smaller account's index, and counterparties counted over
 * the latest `COUNTERPARTY_WINDOW` transfers each way.
 */
export interface FlowTotals {
  asset: string;
  decimals: number;
  count: number;
  sum: bigint;
  /** The first and last transfer's time (ms). */
  first: number;
  last: number;
}

export type Side = 'sent' | 'received';

/** An account's transfers on one side in one asset: how many, and their exact sum. */
export type SideTotals = Omit<FlowTotals, 'first' | 'last'>;

// SQLite's SUM fails past 2^63: integer amounts are summed in a high and a low part, amounts
// stored as TEXT (18-decimal tokens) in JavaScript (the same split as info's sums per asset).
export const EXACT_SUM = `COUNT(*) AS n,
  SUM(CASE WHEN typeof(amount) = 'integer' THEN amount / 1000000000 ELSE 0 END) AS hi,
  SUM(CASE WHEN typeof(amount) = 'integer' THEN amount % 1000000000 ELSE 0 END) AS lo,
  SUM(typeof(amount) <> 'integer') AS text_rows, MIN(time) AS first, MAX(time) AS last`;

export type TotalRow = { asset: string; decimals: bigint; n: bigint; hi: bigint | null; lo: bigint | null; text_rows: bigint; first: bigint; last: bigint };

/** Counterparties and neighbours of an account are counted over its latest this-many transfers each way. */
export const COUNTERPARTY_WINDOW = 2_000;

const columns = (side: Side): [mine: string, other: string] => (side === 'sent' ? ['from_id', 'to_id'] : ['to_id', 'from_id']);

function hasAccountTotals(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account_totals'").get() !== undefined;
}

/** Rows of EXACT_SUM as totals; TEXT amounts are added from `texts` (the rows of that asset). */
function toTotals(r: TotalRow, texts: (asset: string, decimals: bigint) => Iterable<unknown>): FlowTotals {
  let sum = amountFromDb(r.hi ?? 0n) * 1_000_000_000n + amountFromDb(r.lo ?? 0n);
  if (toNumber(r.text_rows) > 0) for (const value of texts(r.asset, r.decimals)) sum += amountFromDb(value as bigint | string);
  return { asset: r.asset, decimals: toNumber(r.decimals), count: toNumber(r.n), sum, first: toNumber(r.first), last: toNumber(r.last) };
}

/**
 * The account's transfers on one side, per asset and decimals (amounts in different units are
 * never added): the `account_totals` rows (a few, whatever the account's size) plus the
 * transfers past their mark (found on the account's index entries, `+id` keeping SQLite off a
 * scan of the newest transfers); in a case file from before that table, opened read-only, all
 * grouped from the transfers.
 */
export function selectSideTotals(db: Db, accountId: number, side: Side): SideTotals[] {
  const [mine] = columns(side);
  const through = totalsMark(db);
  const texts = (past: boolean) =>
    db
      .prepare(
        `SELECT amount FROM transfers WHERE ${mine} = ? AND ${past ? '+id > ?' : '+id <= ?'} AND asset = ? AND decimals = ? AND typeof(amount) <> 'integer'`,
      )
      .pluck();
  const stored =
    through === null
      ? []
      : (db
          .prepare('SELECT asset, decimals, n, hi, lo, text_rows, 0 AS first, 0 AS last FROM account_totals WHERE account_id = ? AND side = ?')
          .all(accountId, side === 'sent' ? 0 : 1) as TotalRow[]);
  const after = db
    .prepare(`SELECT asset, decimals, ${EXACT_SUM} FROM transfers WHERE ${mine} = ? AND +id > ? GROUP BY asset, decimals`)
    .all(accountId, through ?? -1) as TotalRow[];
  const merged = new Map<string, SideTotals>();
  for (const [rows, past] of [
    [stored, false],
    [after, true],
  ] as const)
    for (const r of rows) {
      const totals = toTotals(r, (asset, decimals) => texts(past).iterate(accountId, through ?? -1, asset, decimals));
      const key = `${r.asset}\u0000${r.decimals}`;
      const before = merged.get(key);
      merged.set(key, { asset: totals.asset, decimals: totals.decimals, count: (before?.count ?? 0) + totals.count, sum: (before?.sum ?? 0n) + totals.sum });
    }
  return [...merged.values()].sort((x, y) => (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : x.decimals - y.decimals));
}

/** The last transfer id `account_totals` holds; null when the case file has no such table. */
export function totalsMark(db: Db): number | null {
  if (!hasAccountTotals(db)) return null;
  return Number(db.prepare("SELECT value FROM meta WHERE key = 'account_totals_through'").pluck().get() ?? 0);
}

/**
 * Folds the transfers past the mark into `account_totals`, in bulk (one grouped pass over the new
 * rows, in id order): an import calls it before it commits, so the table stays current at the
 * cost of one sort of what was imported, not a write per transfer. With the sums the import kept
 * as it stored its transfers (`fold`), when they cover every transfer past the mark, those are
 * written instead: the same rows without reading the transfers again.
 */
export function refreshAccountTotals(db: Db, fold?: TotalsFold): void {
  const through = totalsMark(db);
  if (through === null) return;
  if (fold?.covers(db, through)) {
    fold.write(db);
    db.prepare(MOVE_MARK).run();
    return;
  }
  for (const [column, side] of [
    ['from_id', 0],
    ['to_id', 1],
  ] as const) {
    withSortCache(db, () =>
      db
        .prepare(
          `INSERT INTO account_totals SELECT ${column}, ${side}, asset, decimals, COUNT(*),
         SUM(CASE WHEN typeof(amount) = 'integer' THEN amount / 1000000000 ELSE 0 END), SUM(CASE WHEN typeof(amount) = 'integer' THEN amount % 1000000000 ELSE 0 END),
         SUM(typeof(amount) <> 'integer') FROM transfers WHERE id > ? GROUP BY ${column}, asset, decimals
       ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + excluded.n, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows`,
        )
        .run(through),
    );
  }
  db.prepare(MOVE_MARK).run();
}

const MOVE_MARK = "UPDATE meta SET value = (SELECT COALESCE(MAX(id), 0) FROM transfers) WHERE key = 'account_totals_through'";

/**
 * What went each way between the account and each of `others`, per asset. A pair's transfers are
 * found through the smaller of the two accounts' indexes (`+column` keeps SQLite off the other):
 * a hub's 200 counterparties are read through theirs, an ordinary account's exchange through its own.
 */
export function selectCounterpartyTotals(db: Db, accountId: number, side: Side, others: readonly number[]): Map<number, FlowTotals[]> {
  const [mine, other] = columns(side);
  const mySize = sideSize(db, [accountId], side).get(accountId) ?? 0;
  const theirSizes = sideSize(db, others, side === 'sent' ? 'received' : 'sent');
  const known = hasAccountTotals(db);
  const viaTheirs = known ? others.filter((id) => (theirSizes.get(id) ?? 0) <= mySize) : [];
  const viaMine = others.filter((id) => !viaTheirs.includes(id));
  const select = (through: 'theirs' | 'mine') =>
    through === 'theirs'
      ? `SELECT ${other} AS other, asset, decimals, ${EXACT_SUM} FROM transfers WHERE ${other} IN (SELECT value FROM json_each(@others)) AND +${mine} = @account GROUP BY ${other}, asset, decimals`
      : `SELECT ${other} AS other, asset, decimals, ${EXACT_SUM} FROM transfers WHERE ${mine} = @account AND +${other} IN (SELECT value FROM json_each(@others)) GROUP BY ${other}, asset, decimals`;
  const rows = [
    ...(viaTheirs.length > 0 ? db.prepare(select('theirs')).all({ others: JSON.stringify(viaTheirs), account: accountId }) : []),
    ...(viaMine.length > 0 ? db.prepare(select('mine')).all({ others: JSON.stringify(viaMine), account: accountId }) : []),
  ] as (TotalRow & { other: bigint })[];
  rows.sort((x, y) => Number(x.other - y.other) || (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : Number(x.decimals - y.decimals)));
  const texts = db
    .prepare(`SELECT amount FROM transfers WHERE ${other} = ? AND +${mine} = ? AND asset = ? AND decimals = ? AND typeof(amount) <> 'integer'`)
    .pluck();
  const out = new Map<number, FlowTotals[]>();
  for (const r of rows) {
    const id = toNumber(r.other);
    out.set(id, [...(out.get(id) ?? []), toTotals(r, (asset, decimals) => texts.iterate(id, accountId, asset, decimals))]);
  }
  return out;
}

/** How many transfers each account has on one side, from account_totals (without it, every pair is read through the account's own index). */
function sideSize(db: Db, accounts: readonly number[], side: Side): Map<number, number> {
  if (!hasAccountTotals(db) || accounts.length === 0) return new Map();
  const rows = db
    .prepare('SELECT account_id, SUM(n) FROM account_totals WHERE account_id IN (SELECT value FROM json_each(?)) AND side = ? GROUP BY account_id')
    .raw()
    .all(JSON.stringify(accounts), side === 'sent' ? 0 : 1) as [bigint, bigint][];
  return new Map(rows.map(([id, n]) => [toNumber(id), toNumber(n)]));
}

/** The latest COUNTERPARTY_WINDOW transfers each way, as (counterparty) rows: through the (account, time) indexes. */
const WINDOWED = `SELECT to_id AS other FROM (SELECT to_id FROM transfers WHERE from_id = @account ORDER BY time DESC LIMIT ${COUNTERPARTY_WINDOW})
  UNION ALL SELECT from_id FROM (SELECT from_id FROM transfers WHERE to_id = @account ORDER BY time DESC LIMIT ${COUNTERPARTY_WINDOW})`;

/** Distinct counterparties in the window: every one when the account has at most COUNTERPARTY_WINDOW transfers each way. */
export function countCounterparties(db: Db, accountId: number): number {
  return toNumber(db.prepare(`SELECT COUNT(DISTINCT other) FROM (${WINDOWED})`).pluck().get({ account: accountId }));
}

/** The `limit` busiest counterparties in the window (transfers both ways, ties by id), and how many there are in it. */
export function rankCounterparties(db: Db, accountId: number, limit: number): { kept: number[]; total: number } {
  const counted = db.prepare(`SELECT other, COUNT(*) FROM (${WINDOWED}) GROUP BY other`).raw().all({ account: accountId }) as [bigint, bigint][];
  counted.sort(([a, n], [b, m]) => Number(m - n) || Number(a - b));
  return { kept: counted.slice(0, limit).map(([id]) => toNumber(id)), total: counted.length };
}
