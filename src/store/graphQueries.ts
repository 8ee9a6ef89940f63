import { formatAmount } from '../model/amount.js';
import type { Rail } from '../model/types.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';
import { iterateAccountTags, selectTagsOf } from './tags.js';

export interface GraphAccountRow {
  id: number;
  rail: Rail;
  ident: string;
  labels: string[];
  categories: string[];
  cluster: number | null;
  holder: string | null;
}

export interface GraphTransferRow {
  id: number;
  fromId: number;
  toId: number;
  ref: string;
  seq: number;
  time: number;
  asset: string;
  amount: string;
  /** The amount as stored (decimal digits, or `0x…` past 64 bits): `BigInt(stored)` is its minor units. */
  stored: string;
}

/** Beyond this many accounts, one scan of accounts and tags beats a lookup per account. */
const SCAN_ABOVE = 5000;

type AccountRow = { id: bigint; rail: Rail; ident: string; holder: string | null; cluster_id: bigint | null };

function graphAccount(row: AccountRow, tagRows: readonly { category: string; label: string }[]): GraphAccountRow {
  return {
    id: toNumber(row.id),
    rail: row.rail,
    ident: row.ident,
    holder: row.holder,
    ...tagNames(tagRows),
    cluster: row.cluster_id === null ? null : toNumber(row.cluster_id),
  };
}

/** An account's distinct labels and categories, each list its own array (cluster nodes add to them). */
function tagNames(tagRows: readonly { category: string; label: string }[]): { labels: string[]; categories: string[] } {
  if (tagRows.length === 0) return { labels: [], categories: [] };
  return { labels: [...new Set(tagRows.map((t) => t.label))], categories: [...new Set(tagRows.map((t) => t.category))] };
}

/** How many accounts each of these clusters holds (a cluster node of a trace export stands for all of them). */
export function selectClusterSizes(db: Db, clusterIds: Iterable<number>): Map<number, number> {
  const size = db.prepare('SELECT COUNT(*) FROM clusters WHERE cluster_id = ?').pluck().safeIntegers(false);
  return new Map([...new Set(clusterIds)].map((id) => [id, size.get(id) as number]));
}

/** Accounts by id, in ascending id order, with their tags and cluster. */
export function selectGraphAccounts(db: Db, ids: Iterable<number>): Map<number, GraphAccountRow> {
  const wanted = [...ids].sort((a, b) => a - b);
  const out = new Map<number, GraphAccountRow>();
  const select = 'SELECT a.id, a.rail, a.ident, a.holder, c.cluster_id FROM accounts a LEFT JOIN clusters c ON c.account_id = a.id';
  if (wanted.length > SCAN_ABOVE) {
    // A whole-case export wants nearly every account: two scans instead of two lookups each.
    // Rows as bare arrays of plain numbers (account and cluster ids are below 2^53).
    const keep = new Set(wanted);
    const tags = selectTagsOf(db, keep);
    const rows = db.prepare(`${select} ORDER BY a.id`).raw(true).safeIntegers(false);
    for (const [id, rail, ident, holder, cluster] of rows.iterate() as IterableIterator<[number, Rail, string, string | null, number | null]>) {
      if (!keep.has(id)) continue;
      const tagRows = tags.get(id);
      out.set(id, { id, rail, ident, holder, cluster, ...tagNames(tagRows ?? []) });
    }
    return out;
  }
  const accounts = db.prepare(`${select} WHERE a.id = ?`);
  const tags = db.prepare('SELECT DISTINCT category, label FROM tags WHERE account_id = ? ORDER BY category, label');
  for (const id of wanted) {
    const row = accounts.get(id) as AccountRow | undefined;
    if (row) out.set(id, graphAccount(row, tags.all(id) as { category: string; label: string }[]));
  }
  return out;
}

/**
 * Every transfer of the case in time order, streamed (the whole-case export never holds them all).
 * `+time` keeps SQLite off the time index: walking it would fetch each row from a random table page
 * (23 s for 1,000,000 transfers); a scan in storage order sorted by SQLite's sorter, which spills to
 * disk past its memory, takes a few seconds. Rows come as bare arrays of plain numbers (ids, times
 * and seqs are below 2^53: seqs are 48-bit fingerprints) with the amount as text, so it stays exact.
 */
export function* iterateGraphTransfers(db: Db, minUnitsByAsset?: (asset: string, decimals: number) => bigint | undefined): Generator<GraphTransferRow> {
  const rows = db
    .prepare('SELECT id, from_id, to_id, ref, seq, time, asset, decimals, CAST(amount AS TEXT) FROM transfers ORDER BY +time, id')
    .raw(true)
    .safeIntegers(false);
  for (const [id, fromId, toId, ref, seq, time, asset, decimals, stored] of rows.iterate() as IterableIterator<
    [number, number, number, string, number, number, string, number, string]
  >) {
    const min = minUnitsByAsset?.(asset, decimals);
    if (min !== undefined && BigInt(stored) < min) continue;
    yield { id, fromId, toId, ref, seq, time, asset, amount: storedAmountText(stored, decimals), stored };
  }
}

const PLAIN_DIGITS = /^(?:0|[1-9]\d*)$/;

/**
 * `formatAmount(BigInt(stored), decimals)` without the bigint: an amount stored as an INTEGER
 * comes as its decimal digits, which only need the point put in (a bigint and its toString per
 * transfer were a tenth of a 1,000,000-edge export). Anything else (`0x…` text past 64 bits) goes
 * through the bigint.
 */
export function storedAmountText(stored: string, decimals: number): string {
  if (!PLAIN_DIGITS.test(stored)) return formatAmount(BigInt(stored), decimals);
  if (decimals === 0) return stored;
  const digits = stored.length > decimals ? stored : stored.padStart(decimals + 1, '0');
  const point = digits.length - decimals;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Every account at either end of a transfer, in ascending id order, with its tags and cluster: what a
 * whole-case export without a minimum amount draws as nodes, handed out one at a time so that the
 * export holds only each node's key, never every account (docs/performance.md, "Export"). One walk
 * of the accounts, each kept if either transfer index holds a row for it (two seeks), beside one
 * walk of the tags in the same order; instead of collecting the distinct ends of every transfer
 * from both indexes and then scanning the accounts again (2.8 of 13 CPU-s of a 1,000,000-edge
 * GraphML export).
 */
export function* iterateTransferEndAccounts(db: Db): Generator<GraphAccountRow> {
  const rows = db
    .prepare(
      `SELECT a.id, a.rail, a.ident, a.holder, c.cluster_id FROM accounts a LEFT JOIN clusters c ON c.account_id = a.id
       WHERE EXISTS (SELECT 1 FROM transfers WHERE from_id = a.id) OR EXISTS (SELECT 1 FROM transfers WHERE to_id = a.id)
       ORDER BY a.id`,
    )
    .raw(true)
    .safeIntegers(false);
  // The tags in account order, each account's taken as the walk reaches it.
  const tags = iterateAccountTags(db);
  let tag = tags.next();
  try {
    for (const [id, rail, ident, holder, cluster] of rows.iterate() as IterableIterator<[number, Rail, string, string | null, number | null]>) {
      while (!tag.done && tag.value[0] < id) tag = tags.next();
      const tagRows: { category: string; label: string }[] = [];
      for (; !tag.done && tag.value[0] === id; tag = tags.next()) tagRows.push({ category: tag.value[1], label: tag.value[2] });
      // Each account its own lists: cluster-level nodes add to them (src/export/graph/exportGraph.ts).
      yield { id, rail, ident, holder, cluster, ...tagNames(tagRows) };
    }
  } finally {
    tags.return?.();
  }
}

/** iterateTransferEndAccounts' accounts, all of them, by id. */
export function selectTransferEndAccounts(db: Db): Map<number, GraphAccountRow> {
  const out = new Map<number, GraphAccountRow>();
  for (const account of iterateTransferEndAccounts(db)) out.set(account.id, account);
  return out;
}

/** The accounts at either end of the transfers of at least the minimum amount, in one scan in storage order. */
export function selectTransferEndIds(db: Db, minUnitsByAsset: (asset: string, decimals: number) => bigint | undefined): Set<number> {
  const ids = new Set<number>();
  const rows = db.prepare('SELECT from_id, to_id, asset, decimals, amount FROM transfers').raw().iterate() as Iterable<
    [bigint, bigint, string, bigint, bigint | string]
  >;
  for (const [from, to, asset, decimals, amount] of rows) {
    const min = minUnitsByAsset(asset, toNumber(decimals));
    if (min !== undefined && amountFromDb(amount) < min) continue;
    ids.add(toNumber(from));
    ids.add(toNumber(to));
  }
  return ids;
}

export function selectAccountIdByIdent(db: Db, rail: string, ident: string): number | undefined {
  const id = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck().get(rail, ident) as bigint | undefined;
  return id === undefined ? undefined : toNumber(id);
}

/** A stable timestamp for exported objects: when the case's first source was read. */
export function selectCaseCreated(db: Db): string {
  const first = db.prepare('SELECT MIN(imported_at) FROM sources').pluck().get() as string | null;
  return first ?? '1970-01-01T00:00:00.000Z';
}

export interface GraphLinkSide {
  id: number;
  fromId: number;
  toId: number;
  rail: Rail;
  ref: string;
  time: number;
  asset: string;
  amount: string;
}

export interface GraphLinkRow {
  id: number;
  fiat: GraphLinkSide;
  crypto: GraphLinkSide;
}

/** Every link of the case (fiat transfer → crypto transfer) with both transfers, in link order. */
export function selectGraphLinks(db: Db): GraphLinkRow[] {
  type Side = { id: bigint; from_id: bigint; to_id: bigint; rail: Rail; ref: string; time: bigint; asset: string; decimals: bigint; amount: bigint | string };
  const side = (prefix: 'f' | 'c', row: Record<string, unknown>): GraphLinkSide => {
    const r = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k.startsWith(`${prefix}_`))
        .map(([k, v]) => [k.slice(2), v]),
    ) as unknown as Side;
    return {
      id: toNumber(r.id),
      fromId: toNumber(r.from_id),
      toId: toNumber(r.to_id),
      rail: r.rail,
      ref: r.ref,
      time: toNumber(r.time),
      asset: r.asset,
      amount: formatAmount(amountFromDb(r.amount), toNumber(r.decimals)),
    };
  };
  const columns = (p: string): string =>
    ['id', 'from_id', 'to_id', 'rail', 'ref', 'time', 'asset', 'decimals', 'amount'].map((c) => `${p}.${c} AS ${p}_${c}`).join(', ');
  const rows = db
    .prepare(
      `SELECT l.id AS link_id, ${columns('f')}, ${columns('c')} FROM links l JOIN transfers f ON f.id = l.fiat_id JOIN transfers c ON c.id = l.crypto_id ORDER BY l.id`,
    )
    .all() as Record<string, unknown>[];
  return rows.map((row) => ({ id: toNumber(row['link_id'] as bigint), fiat: side('f', row), crypto: side('c', row) }));
}
