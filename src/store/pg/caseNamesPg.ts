import Database from 'better-sqlite3';
import type pg from 'pg';
import type { CaseNames } from '../../model/caseNames.js';
import { selectCaseNames, sourcesStored, type StoredCounts } from '../caseNames.js';
import { copyFromPg, createCaseSchema, inSnapshot } from './workingCopy.js';

/**
 * A report's names on a PostgreSQL case (../caseNames.ts): the named accounts with their tags,
 * the investigators' notes and assertions, and the exchange movements of named exchange accounts
 * are fetched into an in-memory SQLite database with the case schema, where selectCaseNames reads
 * them as on a case file; what each source stored is counted by PostgreSQL.
 */
export async function selectCaseNamesPg(client: pg.Client, accountKeys: readonly string[]): Promise<CaseNames> {
  const db = new Database(':memory:');
  try {
    createCaseSchema(db);
    const keys = [...new Set(accountKeys)];
    const counts = await inSnapshot(client, async () => {
      const named = "rail || ':' || ident = ANY($1::text[])";
      await copyFromPg(
        client,
        db,
        'accounts',
        `WHERE ${named} OR id IN (SELECT a FROM cluster_assertions UNION SELECT b FROM cluster_assertions UNION SELECT account_id FROM notes WHERE account_id IS NOT NULL)`,
        [keys],
      );
      await copyFromPg(client, db, 'tags', `WHERE account_id IN (SELECT id FROM accounts WHERE ${named})`, [keys]);
      for (const table of ['sources', 'notes', 'cluster_assertions']) await copyFromPg(client, db, table);
      await copyFromPg(client, db, 'exchange_movements', "WHERE 'exchange:' || exchange || ':' || account = ANY($1::text[])", [keys]);
      const count = async (table: string): Promise<Map<number, number>> =>
        new Map(
          (
            await client.query<{ id: string; n: string }>(
              `SELECT source_id::text AS id, COUNT(*)::text AS n FROM ${table} WHERE source_id IS NOT NULL GROUP BY source_id`,
            )
          ).rows.map((r) => [Number(r.id), Number(r.n)]),
        );
      return {
        transfers: await count('transfers'),
        sightings: await count('sightings'),
        tags: await count('tags'),
        links: await count('links'),
        opening_balances: await count('opening_balances'),
      } satisfies StoredCounts;
    });
    const sources = (db.prepare('SELECT id, path, sha256 FROM sources ORDER BY id').all() as { id: bigint; path: string; sha256: string }[]).map((s) => ({
      id: Number(s.id),
      path: s.path,
      sha256: s.sha256,
    }));
    return selectCaseNames(db, keys, sourcesStored(sources, counts));
  } finally {
    db.close();
  }
}
