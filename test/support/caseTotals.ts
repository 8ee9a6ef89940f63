import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { TransferRecord } from '../../src/model/types.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { tempDir } from './cli.js';

/** `caseDb()` opens a new case file in a temporary folder; every one is closed after each test. */
export function useCaseDbs(): () => Db {
  const open: Db[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });
  return () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    open.push(db);
    return db;
  };
}

/** A USDT (or other TRC-20 token's) transfer on Tron, the i-th of a test source: its own transaction, time and line. */
export function tronTransfer(i: number, from: string, to: string, amount: bigint = BigInt(1000 + i), asset = 'USDT', decimals = 6): TransferRecord {
  return {
    rail: 'tron',
    asset,
    token: asset === 'USDT' ? 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' : 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
    decimals,
    amount,
    from: { rail: 'tron', ident: from },
    to: { rail: 'tron', ident: to },
    time: 1_700_000_000_000 + i,
    ref: `tx${i}`,
    seq: 0,
    line: i + 2,
  };
}

/** A TronGrid export's source row, named `name`. */
export const tronSourceMeta = (name: string) => ({
  path: `${name}.json`,
  sha256: name.padEnd(64, '0'),
  size: 10,
  adapter: 'usdt:trongrid',
  options: '{"token":"usdt"}',
});

/** One `account_totals` row by account ident: [ident, side, asset, decimals, n, hi, lo, text_rows]. */
export type TotalsRow = [account: string, side: number, asset: string, decimals: number, n: number, hi: number, lo: number, textRows: number];

const numbers = (rows: unknown[]): TotalsRow[] => rows.map((row) => (row as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v)) as TotalsRow);

/** account_totals as stored, by account ident, side, asset and decimals. */
export function storedTotals(db: Db): TotalsRow[] {
  return numbers(
    db
      .prepare(
        `SELECT a.ident, t.side, t.asset, t.decimals, t.n, t.hi, t.lo, t.text_rows FROM account_totals t JOIN accounts a ON a.id = t.account_id
         ORDER BY a.ident, t.side, t.asset, t.decimals`,
      )
      .raw()
      .all(),
  );
}

/** What the schema's own fill of account_totals gives (src/store/schema.ts): every transfer grouped again, ordered as storedTotals. */
export function groupedTotals(db: Db): TotalsRow[] {
  const side = (column: string, n: number) =>
    `SELECT ${column} AS account_id, ${n} AS side, asset, decimals, COUNT(*) AS n,
       SUM(CASE WHEN typeof(amount) = 'integer' THEN amount / 1000000000 ELSE 0 END) AS hi,
       SUM(CASE WHEN typeof(amount) = 'integer' THEN amount % 1000000000 ELSE 0 END) AS lo,
       SUM(typeof(amount) <> 'integer') AS text_rows FROM transfers GROUP BY ${column}, asset, decimals`;
  return numbers(
    db
      .prepare(
        `SELECT a.ident, g.side, g.asset, g.decimals, g.n, g.hi, g.lo, g.text_rows FROM (${side('from_id', 0)} UNION ALL ${side('to_id', 1)}) g
         JOIN accounts a ON a.id = g.account_id ORDER BY a.ident, g.side, g.asset, g.decimals`,
      )
      .raw()
      .all(),
  );
}

/** The last transfer id account_totals holds (meta.account_totals_through). */
export const totalsThrough = (db: Db): number => Number(db.prepare("SELECT value FROM meta WHERE key = 'account_totals_through'").pluck().get());
