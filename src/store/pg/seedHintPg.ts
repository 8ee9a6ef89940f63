import type pg from 'pg';
import { seedHint } from '../search.js';
import { identCandidates, inMemoryCase } from './accountWorkingSet.js';
import { copyRows } from './traceWorkingSet.js';

type Row = Record<string, unknown>;

/**
 * seedHint (../search.ts) on PostgreSQL: a seed that matched no transfer but names an account
 * gets the same hint as on a case file (docs/workbench.md). Only the rows the hint reads are
 * fetched — the accounts the text could name and one outgoing transfer of each — so a hub's
 * history is never read to word an error.
 */
export async function seedHintPg(client: pg.Client, seed: string): Promise<string> {
  const db = inMemoryCase();
  try {
    const rows = async (sql: string, params: unknown[]): Promise<Row[]> => (await client.query<Row>(sql, params)).rows;
    const accounts = await rows('SELECT * FROM accounts WHERE ident = ANY($1::text[])', [identCandidates(seed)]);
    const outgoing = await rows('SELECT t.* FROM unnest($1::bigint[]) AS a(id) CROSS JOIN LATERAL (SELECT * FROM transfers WHERE from_id = a.id LIMIT 1) t', [
      accounts.map((a) => String(a['id'])),
    ]);
    db.transaction(() => {
      copyRows(db, 'accounts', accounts);
      copyRows(db, 'transfers', outgoing);
    })();
    return seedHint(db, seed);
  } finally {
    db.close();
  }
}
