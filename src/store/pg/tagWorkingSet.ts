import type pg from 'pg';
import type { Db } from '../caseStore.js';
import { inMemoryCase } from './accountWorkingSet.js';
import { copyRows } from './traceWorkingSet.js';

/**
 * `hoptrace tags` and `endpoints` on PostgreSQL (docs/postgresql.md, "Tags: a working set"): they
 * read tags, the accounts tagged and the sources the labels came from (../tags.ts), so only those
 * rows are fetched — the tags in `categories` (all when undefined), their accounts and the case's
 * sources — into an in-memory case, in one REPEATABLE READ transaction, and the SQLite code runs
 * over it unchanged.
 */
export async function openTagWorkingSet(client: pg.Client, categories: readonly string[] | undefined): Promise<Db> {
  const db = inMemoryCase();
  const rows = async (sql: string, params: unknown[] = []) => (await client.query<Record<string, unknown>>(sql, params)).rows;
  const tagged = categories === undefined ? 'SELECT * FROM tags' : 'SELECT * FROM tags WHERE category = ANY($1::text[])';
  const params = categories === undefined ? [] : [[...categories]];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const tables: [string, Record<string, unknown>[]][] = [
      ['sources', await rows('SELECT * FROM sources')],
      ['tags', await rows(tagged, params)],
      ['accounts', await rows(`SELECT * FROM accounts WHERE id IN (SELECT account_id FROM (${tagged}) t)`, params)],
    ];
    await client.query('COMMIT');
    db.transaction(() => {
      for (const [table, list] of tables) copyRows(db, table, list);
    })();
    return db;
  } catch (error) {
    await client.query('ROLLBACK');
    db.close();
    throw error;
  }
}
