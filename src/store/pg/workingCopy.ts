import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { logHead } from '../auditLog.js';
import type { Db } from '../caseStore.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../schema.js';
import { storedAmount } from '../sourceWriter.js';
import { schemaTables } from './schema.js';

/**
 * A whole-case analysis on PostgreSQL (docs/postgresql.md, "Whole-case commands"): the case's
 * tables stream from PostgreSQL, in batches through a server-side cursor, into a temporary SQLite
 * file with the case schema, and the command's SQLite code runs over it unchanged — which is why
 * its output is byte for byte the one a case file gives. All tables are read in one REPEATABLE
 * READ transaction: the copy is the case as one commit left it, even while someone ingests. The
 * copy lives in os.tmpdir() and is deleted when the command ends; it needs as much local disk as
 * the case takes as a case file.
 */
export interface PgWorkingCopy {
  db: Db;
  /** The temporary case file. */
  path: string;
  /** The audit log's head when the copy was taken: a command that changed the copy appended after it. */
  head: { seq: number; hash: string };
  close(): void;
}

const BATCH_ROWS = 10_000;
const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);

interface Column {
  name: string;
  /** An amount column (minor units), NUMERIC on PostgreSQL. */
  amount: boolean;
  pk: number;
}

export function tableColumns(db: Db, table: string): Column[] {
  return (db.pragma(`table_info(${table})`) as { name: string; type: string; pk: bigint | number }[]).map((c) => ({
    name: c.name,
    amount: c.type === 'INTEGER' && AMOUNT_COLUMNS.has(c.name),
    pk: Number(c.pk),
  }));
}

/**
 * A PostgreSQL value as a case file stores it. BIGINT and NUMERIC arrive as text; SQLite's INTEGER
 * affinity stores text of up to 18 digits as the integer itself, so only an amount past 64 bits
 * needs converting (to the hex text a case file keeps it as).
 */
function sqliteValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.amount && typeof value === 'string' && value.replace('-', '').length > 18) return storedAmount(BigInt(value));
  return value;
}

/**
 * Copies every table of the case (`tables`, default all) from PostgreSQL into a new temporary
 * case file. Rows go in primary-key order (the order a case file's rowids give them); a table
 * without one in source and line order, then by all its columns.
 */
export async function openWorkingCopy(client: pg.Client, tables: readonly string[] = schemaTables()): Promise<PgWorkingCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'hoptrace-pg-copy-'));
  const path = join(dir, 'case.db');
  const db = new Database(path);
  const close = (): void => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    createCaseSchema(db);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    // As a bulk import does: indexes and triggers are built once, after the rows are in.
    const deferred = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL").all() as {
      type: string;
      name: string;
      sql: string;
    }[];
    for (const { type, name } of deferred) db.exec(`DROP ${type.toUpperCase()} ${name}`);
    await inSnapshot(client, async () => {
      for (const table of tables) await copyFromPg(client, db, table);
    });
    for (const { sql } of deferred) db.exec(sql);
    db.pragma('foreign_keys = ON');
    return { db, path, head: logHead(db), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The case schema in an empty SQLite database, integers read as bigint, references not enforced while it is filled. */
export function createCaseSchema(db: Db): void {
  db.defaultSafeIntegers(true);
  db.pragma('foreign_keys = OFF');
  for (const migration of MIGRATIONS) db.exec(migration);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** Runs the reads of `work` in one read-only REPEATABLE READ transaction: one committed state of the case. */
export async function inSnapshot<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The rows of `table` (those `where` selects, with `params`) into the same table of `db`, through
 * a server-side cursor, BATCH_ROWS at a time. Call it inside a transaction (inSnapshot).
 */
export async function copyFromPg(client: pg.Client, db: Db, table: string, where = '', params: unknown[] = []): Promise<void> {
  const columns = tableColumns(db, table);
  const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  // Without a key, rows a source stored come in the order it stored them (source, line), as a
  // case file's rowids keep them; then by every column, so the order is always the same.
  const byLine = ['source_id', 'line'].filter((name) => columns.some((c) => c.name === name));
  const order = (keys.length > 0 ? keys.map((c) => c.name) : [...new Set([...(byLine.length === 2 ? byLine : []), ...columns.map((c) => c.name)])]).join(', ');
  const names = columns.map((c) => c.name).join(', ');
  // meta's rows replace those the migrations wrote; every other table starts empty.
  const insert = db.prepare(`INSERT OR REPLACE INTO ${table} (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
  const insertBatch = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...columns.map((c, i) => sqliteValue(c, row[i])));
  });
  await client.query(`DECLARE working_copy NO SCROLL CURSOR FOR SELECT ${names} FROM ${table} ${where} ORDER BY ${order}`, params);
  for (;;) {
    const batch = await client.query<unknown[]>({ text: `FETCH ${BATCH_ROWS} FROM working_copy`, rowMode: 'array' });
    if (batch.rows.length === 0) break;
    insertBatch(batch.rows);
  }
  await client.query('CLOSE working_copy');
}
