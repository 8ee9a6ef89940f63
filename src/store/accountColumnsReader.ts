import type { AccountColumns } from '../cluster/accountColumns.js';
import { RAILS, type Rail } from '../model/types.js';
import type { Db } from './caseStore.js';
import { parseIntegers } from './jsonIntegers.js';

/** The span of account ids one statement call reads. */
const IDS_PER_CHUNK = 4_096;
/** The rail as its index in RAILS (-1 for another, which AccountColumns stores as it did the name). */
const RAIL_INDEX = `CASE rail ${RAILS.map((rail, i) => `WHEN '${rail}' THEN ${i}`).join(' ')} ELSE -1 END`;

/**
 * Every account of the case into `accounts` without its ident (`addDeferred`), in id order.
 *
 * In chunks of ids, as transfers are read (transferColumnsReader.ts): the rails of a chunk come as
 * one JSON array of rail indexes, and only the accounts with a holder or a bank as rows of a second
 * one. A better-sqlite3 row per account was 2.6 CPU-s of `hoptrace cluster` at 1,000,000 accounts
 * (docs/performance.md, `cluster`). A chunk that JSON cannot carry (a blob) is read row by row.
 * `idsPerChunk` is for tests.
 */
export function readDeferredAccounts(db: Db, accounts: AccountColumns, idsPerChunk = IDS_PER_CHUNK): void {
  db.transaction(() => {
    const chunk = db
      .prepare(
        `SELECT COUNT(*), MAX(id) - @first, json_group_array(${RAIL_INDEX}),
          json_group_array(json_array(id, holder_norm, bank)) FILTER (WHERE holder_norm IS NOT NULL OR bank IS NOT NULL)
        FROM accounts WHERE id >= @first AND id < @end`,
      )
      .raw(true)
      .safeIntegers(false);
    const chunkIds = db.prepare('SELECT json_group_array(id - @first) FROM accounts WHERE id >= @first AND id < @end').pluck().safeIntegers(false);
    const next = db.prepare('SELECT MIN(id) FROM accounts WHERE id >= ?').pluck().safeIntegers(false);
    const ids = new Float64Array(idsPerChunk);
    const rails = new Float64Array(idsPerChunk);
    let first = next.get(Number.MIN_SAFE_INTEGER) as number | null;
    while (first !== null) {
      const end = first + idsPerChunk;
      if (!readChunk(first, end)) readRows(db, accounts, first, end);
      first = next.get(end) as number | null;
    }

    function readChunk(first: number, end: number): boolean {
      let row: [number, number, string, string];
      try {
        row = chunk.get({ first, end }) as typeof row;
      } catch (error) {
        if (error instanceof Error && /BLOB/.test(error.message)) return false;
        throw error;
      }
      const [count, lastOffset, railText, detailText] = row;
      // Rows come in id order; with no gap, the k-th is the chunk's first id + k.
      if (lastOffset === count - 1) for (let k = 0; k < count; k++) ids[k] = k;
      else if (parseIntegers(chunkIds.get({ first, end }) as string, ids) !== count) return false;
      if (parseIntegers(railText, rails) !== count) return false;
      const details = new Map<number, [string | null, string | null]>();
      for (const [id, holderNorm, bank] of JSON.parse(detailText) as [number, string | null, string | null][]) details.set(id, [holderNorm, bank]);
      for (let k = 0; k < count; k++) {
        const id = first + ids[k]!;
        const [holderNorm, bank] = details.get(id) ?? [null, null];
        accounts.addDeferred(id, RAILS[rails[k]!] as Rail, holderNorm, bank);
      }
      return true;
    }
  })();
}

/** The old way, for a chunk with a value JSON cannot carry: one row at a time. */
function readRows(db: Db, accounts: AccountColumns, first: number, end: number): void {
  const rows = db.prepare('SELECT id, rail, holder_norm, bank FROM accounts WHERE id >= ? AND id < ? ORDER BY id').raw(true).safeIntegers(false);
  for (const [id, rail, holderNorm, bank] of rows.iterate(first, end) as IterableIterator<[number, Rail, string | null, string | null]>)
    accounts.addDeferred(id, rail, holderNorm, bank);
}
