import type pg from 'pg';
import type { Db } from '../caseStore.js';
import { transferKeyset, type TransferQuery } from '../explore.js';
import { readRowSet } from './tagWorkingSet.js';

/**
 * `hoptrace transfers` without `--account` on PostgreSQL (docs/postgresql.md, "One account: a
 * working set"): the page's transfers are picked by PostgreSQL with the keyset, order and limit
 * ../explore.ts (selectTransferPage) uses on a case file, and go with their accounts and the
 * case's sources into an in-memory case, over which selectTransferPage runs unchanged: a page
 * reads its own rows, never the case.
 */
export async function openTransferPageSet(client: pg.Client, query: Omit<TransferQuery, 'account'>): Promise<Db> {
  const { time, id, cmp, dir, from, to, n } = transferKeyset(query);
  return readRowSet(client, async (rows) => {
    const transfers = await rows(
      `SELECT * FROM transfers WHERE (time, id) ${cmp} ($1::bigint, $2::bigint) AND time >= $3::bigint AND time <= $4::bigint ORDER BY time ${dir}, id ${dir} LIMIT $5`,
      [String(time), String(id), String(from), String(to), n],
    );
    const accounts = [...new Set(transfers.flatMap((t) => [String(t['from_id']), String(t['to_id'])]))];
    return [
      ['sources', await rows('SELECT * FROM sources')],
      ['accounts', await rows('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', [accounts])],
      ['transfers', transfers],
    ];
  });
}
