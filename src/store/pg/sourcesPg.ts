import type pg from 'pg';
import { NO_HOLDINGS, type RejectedRow, type SourceHoldings, type SourceInfo } from '../../model/types.js';
import { HOLDING_TABLES, holdingCountSql } from '../sources.js';

/** The sources and rejects of a PostgreSQL case, as ../sources.ts reads them from a case file. */
const SOURCE_COLUMNS =
  'id::text AS id, path, sha256, size::text AS size, adapter, options, imported_at, rows::text AS rows, rejected::text AS rejected, skipped::text AS skipped, duplicates::text AS duplicates, notes';

interface SourceRow {
  id: string;
  path: string;
  sha256: string;
  size: string;
  adapter: string;
  options: string;
  imported_at: string;
  rows: string;
  rejected: string;
  skipped: string;
  duplicates: string;
  notes: string;
}

function fromRow(row: SourceRow): SourceInfo {
  return {
    id: Number(row.id),
    path: row.path,
    sha256: row.sha256,
    size: Number(row.size),
    adapter: row.adapter,
    options: row.options,
    importedAt: row.imported_at,
    rows: Number(row.rows),
    rejected: Number(row.rejected),
    skipped: Number(row.skipped),
    duplicates: Number(row.duplicates),
    notes: JSON.parse(row.notes) as string[],
  };
}

export async function selectSourcesPg(client: pg.Client): Promise<SourceInfo[]> {
  return (await client.query<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY sources.id`)).rows.map(fromRow);
}

/** selectSourceHoldings on PostgreSQL. */
export async function selectSourceHoldingsPg(client: pg.Client): Promise<Map<number, SourceHoldings>> {
  const holdings = new Map<number, SourceHoldings>();
  for (const [table, field] of HOLDING_TABLES) {
    // pg gives a BIGINT (the count; an id, by its column's type) as text.
    const found = await client.query<{ source_id: string | number; n: string }>(holdingCountSql(table));
    for (const row of found.rows) {
      const id = Number(row.source_id);
      const held = holdings.get(id) ?? { ...NO_HOLDINGS };
      held[field] = Number(row.n);
      holdings.set(id, held);
    }
  }
  return holdings;
}

export async function findSourcesByShaPg(client: pg.Client, sha256: string): Promise<SourceInfo[]> {
  return (await client.query<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources WHERE sha256 = $1 ORDER BY sources.id`, [sha256])).rows.map(fromRow);
}

export async function selectRejectsPg(client: pg.Client): Promise<RejectedRow[]> {
  const result = await client.query<{ source_id: string; path: string; line: string; reason: string }>(
    'SELECT r.source_id::text AS source_id, s.path, r.line::text AS line, r.reason FROM rejects r JOIN sources s ON s.id = r.source_id ORDER BY r.source_id, r.line',
  );
  return result.rows.map((r) => ({ sourceId: Number(r.source_id), path: r.path, line: Number(r.line), reason: r.reason }));
}
