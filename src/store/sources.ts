import { NO_HOLDINGS, type RejectedRow, type SourceHoldings, type SourceInfo } from '../model/types.js';
import { toNumber, type Db } from './caseStore.js';

interface SourceRow {
  id: bigint;
  path: string;
  sha256: string;
  size: bigint;
  adapter: string;
  options: string;
  imported_at: string;
  rows: bigint;
  rejected: bigint;
  skipped: bigint;
  duplicates: bigint;
  notes: string;
}

function fromRow(row: SourceRow): SourceInfo {
  return {
    id: toNumber(row.id),
    path: row.path,
    sha256: row.sha256,
    size: toNumber(row.size),
    adapter: row.adapter,
    options: row.options,
    importedAt: row.imported_at,
    rows: toNumber(row.rows),
    rejected: toNumber(row.rejected),
    skipped: toNumber(row.skipped),
    duplicates: toNumber(row.duplicates),
    notes: JSON.parse(row.notes) as string[],
  };
}

export function findSourceByContent(db: Db, sha256: string, adapter: string, options: string): SourceInfo | undefined {
  const row = db.prepare('SELECT * FROM sources WHERE sha256 = ? AND adapter = ? AND options = ?').get(sha256, adapter, options) as SourceRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** The tags, links and freeze events each source holds (by source id; a source holding none is absent). */
export function selectSourceHoldings(db: Db): Map<number, SourceHoldings> {
  const holdings = new Map<number, SourceHoldings>();
  for (const [table, field] of HOLDING_TABLES) {
    for (const row of db.prepare(holdingCountSql(table)).all() as { source_id: bigint; n: bigint }[]) {
      const id = toNumber(row.source_id);
      const held = holdings.get(id) ?? { ...NO_HOLDINGS };
      held[field] = toNumber(row.n);
      holdings.set(id, held);
    }
  }
  return holdings;
}

/** The tables that hold what a source stores besides transfers, and the SourceHoldings field each is counted in. */
export const HOLDING_TABLES = [
  ['tags', 'tags'],
  ['links', 'links'],
  ['usdt_freeze_events', 'freezeEvents'],
] as const;

/** Rows of `table` per source (both backends). */
export function holdingCountSql(table: (typeof HOLDING_TABLES)[number][0]): string {
  return `SELECT source_id, COUNT(*) AS n FROM ${table} WHERE source_id IS NOT NULL GROUP BY source_id`;
}

/** Every source recorded with these bytes, whatever adapter and options read them. */
export function findSourcesBySha(db: Db, sha256: string): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources WHERE sha256 = ? ORDER BY id').all(sha256) as SourceRow[]).map(fromRow);
}

export function selectSources(db: Db): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources ORDER BY id').all() as SourceRow[]).map(fromRow);
}

export function selectRejects(db: Db): RejectedRow[] {
  const rows = db
    .prepare('SELECT r.source_id, s.path, r.line, r.reason FROM rejects r JOIN sources s ON s.id = r.source_id ORDER BY r.source_id, r.line')
    .all() as { source_id: bigint; path: string; line: bigint; reason: string }[];
  return rows.map((r) => ({ sourceId: toNumber(r.source_id), path: r.path, line: toNumber(r.line), reason: r.reason }));
}

export function selectSourceById(db: Db, id: number): SourceInfo | undefined {
  const row = db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
  return row ? fromRow(row) : undefined;
}
