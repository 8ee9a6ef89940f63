import { amountFromDb, toNumber, type Db } from './caseStore.js';

/**
 * An account's totals, read so that an exchange-sized account (100,000 transfers) answers as fast
 * as any other (docs/workbench.md, "Scale"): balances from the `account_totals` rows the schema's
 * triggers keep, totals with a counterparty through the counterparty's own index, and
 * counterparties counted over the latest `COUNTERPARTY_WINDOW` transfers each way.
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
 * never added): from `account_totals` (a few rows whatever the account's size), or, in a case
 * file from before that table opened read-only, grouped from the transfers.
 */
export function selectSideTotals(db: Db, accountId: number, side: Side): FlowTotals[] {
  const [mine] = columns(side);
  const texts = db.prepare(`SELECT amount FROM transfers WHERE ${mine} = ? AND asset = ? AND decimals = ? AND typeof(amount) <> 'integer'`).pluck();
  const rows = hasAccountTotals(db)
    ? db.prepare('SELECT asset, decimals, n, hi, lo, text_rows, first, last FROM account_totals WHERE account_id = ? AND side = ? ORDER BY asset, decimals').all(accountId, side === 'sent' ? 0 : 1)
    : db.prepare(`SELECT asset, decimals, ${EXACT_SUM} FROM transfers WHERE ${mine} = ? GROUP BY asset, decimals ORDER BY asset, decimals`).all(accountId);
  return (rows as TotalRow[]).map((r) => toTotals(r, (asset, decimals) => texts.iterate(accountId, asset, decimals)));
}

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
  const texts = db.prepare(`SELECT amount FROM transfers WHERE ${other} = ? AND +${mine} = ? AND asset = ? AND decimals = ? AND typeof(amount) <> 'integer'`).pluck();
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
  const rows = db.prepare('SELECT account_id, SUM(n) FROM account_totals WHERE account_id IN (SELECT value FROM json_each(?)) AND side = ? GROUP BY account_id').raw().all(JSON.stringify(accounts), side === 'sent' ? 0 : 1) as [bigint, bigint][];
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
