import type pg from 'pg';
import type { Db } from '../caseStore.js';
import { inMemoryCase } from './accountWorkingSet.js';
import { copyRows } from './traceWorkingSet.js';

/** One table's rows of a working set: what PostgreSQL answers to `sql` with `params`. */
export interface TableRows {
  table: string;
  sql: string;
  params?: unknown[];
}

type Row = Record<string, unknown>;

/** Rows of one REPEATABLE READ transaction, as `read` asks for them, and the tables they go to. */
export type RowSetReader = (rows: (sql: string, params?: unknown[]) => Promise<Row[]>) => Promise<[string, Row[]][]>;

/**
 * An in-memory case holding the rows `read` selects, all read in one REPEATABLE READ transaction
 * (the case as one commit left it), for a command whose SQLite code reads only those rows.
 */
export async function readRowSet(client: pg.Client, read: RowSetReader): Promise<Db> {
  const db = inMemoryCase();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const tables = await read(async (sql, params = []) => (await client.query<Row>(sql, params)).rows);
    await client.query('COMMIT');
    db.transaction(() => {
      for (const [table, list] of tables) copyRows(db, table, list);
    })();
    return db;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    db.close();
    throw error;
  }
}

/** The rows `queries` select, one table each (readRowSet). */
export function openRowSet(client: pg.Client, queries: readonly TableRows[]): Promise<Db> {
  return readRowSet(client, async (rows) => {
    const tables: [string, Row[]][] = [];
    for (const q of queries) tables.push([q.table, await rows(q.sql, q.params ?? [])]);
    return tables;
  });
}

/**
 * `hoptrace tags` and `endpoints` on PostgreSQL (docs/postgresql.md, "Look-ups: a working set"):
 * they read tags, the accounts tagged and the sources the labels came from (../tags.ts), so only
 * those rows are fetched — the tags in `categories` (all when undefined), their accounts and the
 * case's sources — and the SQLite code runs over them unchanged.
 */
export async function openTagWorkingSet(client: pg.Client, categories: readonly string[] | undefined): Promise<Db> {
  const tagged = categories === undefined ? 'SELECT * FROM tags' : 'SELECT * FROM tags WHERE category = ANY($1::text[])';
  const params = categories === undefined ? [] : [[...categories]];
  return openRowSet(client, [
    { table: 'sources', sql: 'SELECT * FROM sources' },
    { table: 'tags', sql: tagged, params },
    { table: 'accounts', sql: `SELECT * FROM accounts WHERE id IN (SELECT account_id FROM (${tagged}) t)`, params },
  ]);
}

/** `hoptrace exchange-movements` on PostgreSQL: the movements of the exchange returns and their sources (../exchangeMovements.ts). */
export async function openMovementSet(client: pg.Client): Promise<Db> {
  return openRowSet(client, [
    { table: 'sources', sql: 'SELECT * FROM sources' },
    { table: 'exchange_movements', sql: 'SELECT * FROM exchange_movements' },
  ]);
}
