import type { RejectedRow, SourceInfo } from '../model/types.js';
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
