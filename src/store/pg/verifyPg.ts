import Database from 'better-sqlite3';
import type pg from 'pg';
import { MIGRATIONS } from '../schema.js';
import type { IntegrityReport } from '../verify.js';
import { schemaTables } from './schema.js';

/**
 * `hoptrace verify`'s database checks on PostgreSQL (../verify.ts does them on a case file with
 * SQLite's own PRAGMAs). The server keeps its pages whole; what hoptrace can check is the case:
 *
 * - integrity: every table and column of the case schema is there (a table dropped or altered by
 *   hand is named), 'ok' when all are;
 * - foreign keys: each reference of the schema checked by an anti-join, one count per row whose
 *   referenced row is missing, as SQLite's foreign_key_check counts — including the references a
 *   Citus distribution drops (./citus.ts), which the server then no longer enforces;
 * - transfers whose source is gone.
 */
export async function checkCaseIntegrityPg(client: pg.Client): Promise<IntegrityReport> {
  const schema = new Database(':memory:');
  try {
    for (const migration of MIGRATIONS) schema.exec(migration);
    const present = new Map<string, Set<string>>();
    for (const row of (
      await client.query<{ table_name: string; column_name: string }>(
        'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
      )
    ).rows) {
      if (!present.has(row.table_name)) present.set(row.table_name, new Set());
      present.get(row.table_name)!.add(row.column_name);
    }
    const problems: string[] = [];
    let foreignKeys = 0;
    for (const table of schemaTables()) {
      const columns = present.get(table);
      if (!columns) {
        problems.push(`table ${table} is missing`);
        continue;
      }
      const missing = (schema.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).filter((c) => !columns.has(c));
      if (missing.length > 0) {
        problems.push(`table ${table} lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
        continue;
      }
      for (const fk of schema.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string }[]) {
        if (!present.has(fk.table)) continue;
        const violations = await client.query<{ n: string }>(
          `SELECT COUNT(*)::text AS n FROM ${table} c WHERE c.${fk.from} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${fk.table} p WHERE p.${fk.to} = c.${fk.from})`,
        );
        foreignKeys += Number(violations.rows[0]!.n);
      }
    }
    const orphans = await client.query<{ n: string }>(
      'SELECT COUNT(*)::text AS n FROM transfers t WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = t.source_id)',
    );
    return { integrity: problems.length === 0 ? ['ok'] : problems, foreignKeys, orphanTransfers: Number(orphans.rows[0]!.n) };
  } finally {
    schema.close();
  }
}
