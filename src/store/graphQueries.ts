import { formatAmount } from '../model/amount.js';
import type { Rail } from '../model/types.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

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
  rail: Rail;
  ref: string;
  seq: number;
  time: number;
  asset: string;
  amount: string;
  units: bigint;
}

/** Accounts by id with their tags and cluster (one query per account set, not per node). */
export function selectGraphAccounts(db: Db, ids: Iterable<number>): Map<number, GraphAccountRow> {
  const wanted = [...ids].sort((a, b) => a - b);
  const out = new Map<number, GraphAccountRow>();
  const accounts = db.prepare('SELECT a.id, a.rail, a.ident, a.holder, c.cluster_id FROM accounts a LEFT JOIN clusters c ON c.account_id = a.id WHERE a.id = ?');
  const tags = db.prepare('SELECT DISTINCT category, label FROM tags WHERE account_id = ? ORDER BY category, label');
  for (const id of wanted) {
    const row = accounts.get(id) as { id: bigint; rail: Rail; ident: string; holder: string | null; cluster_id: bigint | null } | undefined;
    if (!row) continue;
    const tagRows = tags.all(id) as { category: string; label: string }[];
    out.set(id, {
      id,
      rail: row.rail,
      ident: row.ident,
      holder: row.holder,
      labels: [...new Set(tagRows.map((t) => t.label))],
      categories: [...new Set(tagRows.map((t) => t.category))],
      cluster: row.cluster_id === null ? null : toNumber(row.cluster_id),
    });
  }
  return out;
}

/** Every transfer of the case in trace order, streamed (the whole-case export never holds them all). */
export function* iterateGraphTransfers(db: Db, minUnitsByAsset?: (asset: string, decimals: number) => bigint | undefined): Generator<GraphTransferRow> {
  const rows = db.prepare('SELECT id, from_id, to_id, rail, ref, seq, time, asset, decimals, amount FROM transfers ORDER BY time, id').iterate() as Iterable<{
    id: bigint;
    from_id: bigint;
    to_id: bigint;
    rail: Rail;
    ref: string;
    seq: bigint;
    time: bigint;
    asset: string;
    decimals: bigint;
    amount: bigint | string;
  }>;
  for (const r of rows) {
    const units = amountFromDb(r.amount);
    const decimals = toNumber(r.decimals);
    const min = minUnitsByAsset?.(r.asset, decimals);
    if (min !== undefined && units < min) continue;
    yield { id: toNumber(r.id), fromId: toNumber(r.from_id), toId: toNumber(r.to_id), rail: r.rail, ref: r.ref, seq: toNumber(r.seq), time: toNumber(r.time), asset: r.asset, amount: formatAmount(units, decimals), units };
  }
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
