import type pg from 'pg';
import { RAILS } from '../../model/types.js';
import type { Db } from '../caseStore.js';
import { identCandidates } from './accountWorkingSet.js';
import { readRowSet } from './tagWorkingSet.js';
import { resolveSeedIdsPg } from './traceWorkingSet.js';

/**
 * `hoptrace search` on PostgreSQL (docs/postgresql.md, "One account: a working set"): each
 * question ../search.ts (searchCase) asks a case file is asked of PostgreSQL with the same
 * matching, order and limit, and the rows it answers with go into an in-memory case, over which
 * searchCase runs unchanged. A row of the case that one of its queries would pick is then either
 * in the set or ranked after everything the set holds for that query, so each query, and the
 * search, answers as on a case file. Text compares as SQLite compares it: LIKE ignores the case of
 * ASCII letters only, ordering is by bytes (COLLATE "C").
 */
const SEARCH_LIMIT = 20;
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** SQLite's LIKE: case-insensitive for ASCII letters only. */
const likeSqlite = (column: string, pattern: string): string =>
  `translate(${column}, '${UPPER}', '${LOWER}') LIKE translate(${pattern}, '${UPPER}', '${LOWER}') ESCAPE '\\'`;

type Row = Record<string, unknown>;

export async function openSearchWorkingSet(client: pg.Client, text: string): Promise<Db> {
  const query = text.trim();
  return readRowSet(client, async (rows) => {
    const accountIds = new Set<string>();
    const tags: Row[] = [];
    const transfers: Row[] = [];
    const refs: Row[] = [];
    const add = (found: Row[]) => {
      for (const r of found) accountIds.add(String(r['id']));
    };
    if (query !== '') {
      const like = '%' + query.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
      const compact = query.replace(/ /g, '');
      add(await rows('SELECT id FROM accounts WHERE ident = ANY($1::text[])', [identCandidates(query)]));
      for (const rail of RAILS)
        for (const prefix of new Set([compact, compact.toUpperCase()]))
          add(
            await rows(
              'SELECT id FROM accounts WHERE rail = $1 AND ident COLLATE "C" >= $2 AND ident COLLATE "C" < ($2 || chr(1114111)) ORDER BY ident COLLATE "C" LIMIT $3',
              [rail, prefix, SEARCH_LIMIT],
            ),
          );
      if (/^0x[0-9a-f]*$/i.test(compact))
        add(
          await rows(`SELECT id FROM accounts WHERE rail = 'ethereum' AND ${likeSqlite('ident', "$1 || '%'")} ORDER BY ident COLLATE "C" LIMIT $2`, [
            compact,
            SEARCH_LIMIT,
          ]),
        );
      add(
        await rows(`SELECT id FROM accounts WHERE ${likeSqlite('holder', '$1')} ORDER BY holder COLLATE "C", rail COLLATE "C", ident COLLATE "C" LIMIT $2`, [
          like,
          SEARCH_LIMIT,
        ]),
      );
      const tagged = await rows(
        `SELECT a.id FROM tags t JOIN accounts a ON a.id = t.account_id WHERE ${likeSqlite('t.label', '$1')}
         GROUP BY a.id, a.rail, a.ident ORDER BY MIN(t.label COLLATE "C"), a.rail COLLATE "C", a.ident COLLATE "C" LIMIT $2`,
        [like, SEARCH_LIMIT],
      );
      add(tagged);
      tags.push(
        ...(await rows(`SELECT * FROM tags WHERE account_id = ANY($1::bigint[]) AND ${likeSqlite('label', '$2')}`, [tagged.map((r) => String(r['id'])), like])),
      );
      if (!/^(account|transfer):/.test(query)) {
        // As on a case file, text that names no transfer in a way the case can read finds none (a savepoint keeps the snapshot usable).
        await client.query('SAVEPOINT resolve');
        const ids = await resolveSeedIdsPg(client, query).catch(async () => {
          await client.query('ROLLBACK TO SAVEPOINT resolve');
          return [] as number[];
        });
        transfers.push(...(await rows('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', [ids.map(String)])));
        refs.push(...(await rows('SELECT * FROM transfer_refs WHERE transfer_id = ANY($1::bigint[])', [ids.map(String)])));
        for (const t of transfers) accountIds.add(String(t['from_id'])).add(String(t['to_id']));
      }
    }
    return [
      ['sources', await rows('SELECT * FROM sources')],
      ['accounts', await rows('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', [[...accountIds]])],
      ['tags', tags],
      ['transfers', transfers],
      ['transfer_refs', refs],
    ];
  });
}
