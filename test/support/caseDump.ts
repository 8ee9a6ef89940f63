import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Every row of a case's tables, as text, on either backend: for comparing a SQLite case file with
 * a PostgreSQL case built from the same files. Values are compared as text (PostgreSQL gives
 * BIGINT and NUMERIC as strings; a case file keeps amounts past 64 bits as hex text, turned back
 * into decimals here); rows are sorted, so the comparison does not depend on scan order. Left
 * out: when a source was imported or a checkpoint written, and the audit log's time, command line
 * (it names the case) and hashes (they cover those).
 */
const TABLES: Record<string, string[]> = {
  sources: ['imported_at'],
  accounts: [],
  transfers: [],
  sightings: [],
  transfer_refs: [],
  tags: [],
  tag_sightings: [],
  links: [],
  rejects: [],
  opening_balances: [],
  bank_lines: [],
  balance_gaps: [],
  exchange_movements: [],
  usdt_freeze_events: [],
  notes: [],
  cluster_assertions: [],
  audit_log: ['time', 'command', 'prev_hash', 'hash', 'tool_version'],
  fetch_checkpoints: ['updated_at'],
  block_times: [],
};
const AMOUNTS = new Set(['amount', 'fee', 'missing']);

export type CaseDump = Record<string, string[]>;

function text(column: string, value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (AMOUNTS.has(column)) return BigInt(value as string).toString();
  return String(value);
}

function dumpRows(table: string, rows: Record<string, unknown>[]): string[] {
  const skip = new Set(TABLES[table]);
  return rows
    .map((row) =>
      Object.entries(row)
        .filter(([column]) => !skip.has(column))
        .map(([column, value]) => `${column}=${text(column, value)}`)
        .join(' | '),
    )
    .sort();
}

export function dumpSqliteCase(path: string): CaseDump {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    const out: CaseDump = {};
    for (const table of Object.keys(TABLES)) out[table] = dumpRows(table, db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]);
    return out;
  } finally {
    db.close();
  }
}

export async function dumpPgCase(url: string): Promise<CaseDump> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: CaseDump = {};
    for (const table of Object.keys(TABLES)) out[table] = dumpRows(table, (await client.query<Record<string, unknown>>(`SELECT * FROM ${table}`)).rows);
    return out;
  } finally {
    await client.end();
  }
}
