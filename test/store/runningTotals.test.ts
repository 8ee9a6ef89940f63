import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { tempDir } from '../support/cli.js';

const MULE1 = 'DE77100100100123456789';
const MULE2 = 'NL91ABNA0417164300';
const HEADER = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';

const open: Db[] = [];
function caseDb(): Db {
  const db = openCaseDb(join(tempDir(), 'case.db'));
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function statement(name: string, lines: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, HEADER + lines);
  return path;
}

type Row = [account: string, side: bigint, asset: string, decimals: bigint, n: bigint, hi: bigint, lo: bigint, textRows: bigint];

/** account_totals, by account ident. */
function totals(db: Db): Row[] {
  return db
    .prepare(
      `SELECT a.ident, t.side, t.asset, t.decimals, t.n, t.hi, t.lo, t.text_rows FROM account_totals t JOIN accounts a ON a.id = t.account_id
       ORDER BY a.ident, t.side, t.asset, t.decimals`,
    )
    .raw()
    .all() as Row[];
}

/** What the schema's own fill of account_totals gives (src/store/schema.ts): every transfer grouped again. */
function grouped(db: Db): Row[] {
  const side = (column: string, n: number) =>
    `SELECT ${column} AS account_id, ${n} AS side, asset, decimals, COUNT(*) AS n,
       SUM(CASE WHEN typeof(amount) = 'integer' THEN amount / 1000000000 ELSE 0 END) AS hi,
       SUM(CASE WHEN typeof(amount) = 'integer' THEN amount % 1000000000 ELSE 0 END) AS lo,
       SUM(typeof(amount) <> 'integer') AS text_rows FROM transfers GROUP BY ${column}, asset, decimals`;
  return db
    .prepare(
      `SELECT a.ident, g.side, g.asset, g.decimals, g.n, g.hi, g.lo, g.text_rows FROM (${side('from_id', 0)} UNION ALL ${side('to_id', 1)}) g
       JOIN accounts a ON a.id = g.account_id ORDER BY a.ident, g.side, g.asset, g.decimals`,
    )
    .raw()
    .all() as Row[];
}

const mark = (db: Db): string => db.prepare("SELECT value FROM meta WHERE key = 'account_totals_through'").pluck().get() as string;

describe('account_totals from the sums a bank import keeps while storing (src/store/runningTotals.ts)', () => {
  it('gives the rows the grouped pass gives: two currencies, an amount stored as text, a payment in both statements', async () => {
    const db = caseDb();
    const first = statement(
      'mule1.csv',
      `2024-03-05,5000.00,EUR,DE89370400440532013000,Maria Mueller,M1-1,in,5000.00
2024-03-06,-1234567890.12,EUR,${MULE2},Mule Two,M1-2,out,-1234562890.12
2024-03-06,100000000000000000.00,EUR,AT611904300234573201,Whale,M1-3,huge,99999998765437109.88
2024-03-07,-25.50,USD,GB29NWBK60161331926819,Desk,M1-4,fee,
`,
    );
    const second = statement('mule2.csv', `2024-03-06,1234567890.12,EUR,${MULE1},Mule One,M2-1,in,1234567890.12\n`);
    await ingestBankFiles(db, [first], { account: MULE1 });
    await ingestBankFiles(db, [second], { account: MULE2 });
    expect(totals(db)).toEqual([
      ['AT611904300234573201', 0n, 'EUR', 2n, 1n, 0n, 0n, 1n],
      ['DE77100100100123456789', 0n, 'EUR', 2n, 1n, 123n, 456789012n, 0n],
      ['DE77100100100123456789', 0n, 'USD', 2n, 1n, 0n, 2550n, 0n],
      ['DE77100100100123456789', 1n, 'EUR', 2n, 2n, 0n, 500000n, 1n],
      ['DE89370400440532013000', 0n, 'EUR', 2n, 1n, 0n, 500000n, 0n],
      ['GB29NWBK60161331926819', 1n, 'USD', 2n, 1n, 0n, 2550n, 0n],
      ['NL91ABNA0417164300', 1n, 'EUR', 2n, 1n, 123n, 456789012n, 0n],
    ]);
    expect(totals(db)).toEqual(grouped(db));
    expect(mark(db)).toBe('4');
  });

  it('a case whose totals were behind its transfers before the statement is folded from the transfers', async () => {
    const db = caseDb();
    await ingestBankFiles(db, [statement('a.csv', `2024-03-05,10.00,EUR,${MULE2},Mule Two,A-1,in,10.00\n`)], { account: MULE1 });
    // A transfer past the mark that no import folded (a case file written by other code).
    db.prepare(
      `INSERT INTO transfers (rail, asset, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) SELECT 'bank', 'EUR', 2, 700, to_id, from_id, time, 'raw-1', 1, source_id, 9 FROM transfers WHERE id = 1`,
    ).run();
    await ingestBankFiles(db, [statement('b.csv', `2024-03-06,-3.00,EUR,${MULE2},Mule Two,B-1,out,7.00\n`)], { account: MULE1 });
    expect(totals(db)).toEqual([
      ['DE77100100100123456789', 0n, 'EUR', 2n, 2n, 0n, 1000n, 0n],
      ['DE77100100100123456789', 1n, 'EUR', 2n, 1n, 0n, 1000n, 0n],
      ['NL91ABNA0417164300', 0n, 'EUR', 2n, 1n, 0n, 1000n, 0n],
      ['NL91ABNA0417164300', 1n, 'EUR', 2n, 2n, 0n, 1000n, 0n],
    ]);
    expect(totals(db)).toEqual(grouped(db));
    expect(mark(db)).toBe('3');
  });
});
