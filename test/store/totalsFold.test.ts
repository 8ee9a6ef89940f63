import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { SourceBatch } from '../../src/store/sourceBatch.js';
import { SourceWriter } from '../../src/store/sourceWriter.js';
import { TotalsFold } from '../../src/store/totalsFold.js';
import type { Db } from '../../src/store/caseStore.js';
import {
  groupedTotals,
  storedTotals,
  type TotalsRow,
  totalsThrough,
  tronSourceMeta as meta,
  tronTransfer as transfer,
  useCaseDbs,
} from '../support/caseTotals.js';
import { tempDir } from '../support/cli.js';

const caseDb = useCaseDbs();

/** account_totals holds `rows` (by account ident), what the grouped pass over every transfer gives, up to transfer `through`. */
function expectTotals(db: Db, through: number, rows: TotalsRow[]): void {
  expect(storedTotals(db)).toEqual(rows);
  expect(storedTotals(db)).toEqual(groupedTotals(db));
  expect(totalsThrough(db)).toBe(through);
}

describe('TotalsFold: the account totals of a source, summed as it stores its transfers', () => {
  it('writes the rows the grouped pass writes: amounts split at 10^9, assets apart, a taken-out transfer subtracted, an emptied account without a row', () => {
    const db = caseDb();
    const writer = new SourceWriter(db, meta('a'));
    writer.addTransfer(transfer(0, 'TA', 'TB', 2_500_000_001n));
    writer.addTransfer(transfer(1, 'TA', 'TC', 7n));
    writer.addTransfer(transfer(2, 'TB', 'TA', 1_000_000_000n, 'XYZ', 18));
    writer.addTransfer(transfer(3, 'TD', 'TA', 5n));
    // TD's only transfer is taken out again, as --skip-bad does with a contradicting one.
    writer.rejectConflict(
      { kind: 'conflict', id: 4, line: 5, transferId: 0, sourcePath: 'x', storedLine: 0, amount: 5n, storedAmount: 6n, decimals: 6 },
      'test',
    );
    writer.commit();
    expectTotals(db, 3, [
      ['TA', 0, 'USDT', 6, 2, 2, 500000008, 0],
      ['TA', 1, 'XYZ', 18, 1, 1, 0, 0],
      ['TB', 0, 'XYZ', 18, 1, 1, 0, 0],
      ['TB', 1, 'USDT', 6, 1, 2, 500000001, 0],
      ['TC', 1, 'USDT', 6, 1, 0, 7, 0],
    ]);
  });

  it('adds to the rows a case holds already, across the sources of a batch; a source rolled back adds nothing', () => {
    const db = caseDb();
    const first = new SourceWriter(db, meta('a'));
    first.addTransfer(transfer(0, 'TA', 'TB', 10n));
    first.commit();
    const batch = new SourceBatch(db);
    const b = batch.writer(meta('b'));
    b.addTransfer(transfer(1, 'TA', 'TB', 1_000_000_020n));
    b.commit();
    const bad = batch.writer(meta('c'));
    bad.addTransfer(transfer(2, 'TA', 'TE', 99n));
    bad.rollback();
    const c = batch.writer(meta('d'));
    c.addTransfer(transfer(3, 'TB', 'TA', 3n));
    c.commit();
    batch.commit();
    // The rolled-back source's transfer id is given again.
    expectTotals(db, 3, [
      ['TA', 0, 'USDT', 6, 2, 1, 30, 0],
      ['TA', 1, 'USDT', 6, 1, 0, 3, 0],
      ['TB', 0, 'USDT', 6, 1, 0, 3, 0],
      ['TB', 1, 'USDT', 6, 2, 1, 30, 0],
    ]);
  });

  it('gives up past 2^53, and is not used when transfers past the mark are not all its own: the grouped pass counts them', () => {
    const db = caseDb();
    const writer = new SourceWriter(db, meta('a'));
    // 2^63 - 1 still fits an INTEGER column, not a double: 9223372036 × 10^9 + 854775807.
    writer.addTransfer(transfer(0, 'TA', 'TB', 9_223_372_036_854_775_807n, 'XYZ', 18));
    writer.addTransfer(transfer(1, 'TA', 'TB', 4n));
    writer.commit();
    expectTotals(db, 2, [
      ['TA', 0, 'USDT', 6, 1, 0, 4, 0],
      ['TA', 0, 'XYZ', 18, 1, 9223372036, 854775807, 0],
      ['TB', 1, 'USDT', 6, 1, 0, 4, 0],
      ['TB', 1, 'XYZ', 18, 1, 9223372036, 854775807, 0],
    ]);

    const fold = new TotalsFold();
    fold.add(1, 2, 'USDT', 6, 4n);
    expect(fold.abandoned).toBe(false);
    expect(fold.covers(db, 0)).toBe(false);
    expect(fold.covers(db, 1)).toBe(true);
    fold.add(1, 2, 'USDT', 6, 9_007_199_254_740_992n);
    expect(fold.abandoned).toBe(true);
    expect(fold.covers(db, 1)).toBe(false);
  });

  it('counts an amount stored as TEXT (past 64 bits) in text_rows instead of giving up', () => {
    const db = caseDb();
    const writer = new SourceWriter(db, meta('a'));
    writer.addTransfer(transfer(0, 'TA', 'TB', 2n ** 64n + 5n, 'XYZ', 18));
    writer.addTransfer(transfer(1, 'TA', 'TB', 7n, 'XYZ', 18));
    writer.commit();
    expectTotals(db, 2, [
      ['TA', 0, 'XYZ', 18, 2, 0, 7, 1],
      ['TB', 1, 'XYZ', 18, 2, 0, 7, 1],
    ]);

    const fold = new TotalsFold();
    fold.add(1, 2, 'XYZ', 18, -(2n ** 64n));
    expect(fold.abandoned).toBe(false);
  });

  it('gives up when a sum would pass 2^53, not at a fixed count of transfers: 9,007,200 transfers of one minor unit stay exact', () => {
    const db = caseDb();
    // Two folds absorbing each other's sums (as a SourceBatch absorbs its sources') grow as Fibonacci numbers.
    const grow = (amount: bigint): { fold: TotalsFold; n: number } => {
      const a = new TotalsFold();
      const b = new TotalsFold();
      a.add(1, 2, 'EUR', 2, amount);
      b.add(1, 2, 'EUR', 2, amount);
      let [na, nb] = [1, 1];
      while (na < 9_007_200) {
        a.absorb(b);
        na += nb;
        b.absorb(a);
        nb += na;
      }
      return { fold: a, n: na };
    };
    const ones = grow(1n);
    expect(ones.n).toBe(9_227_465);
    expect(ones.fold.abandoned).toBe(false);
    ones.fold.write(db);
    expect(db.prepare('SELECT account_id, side, n, hi, lo, text_rows FROM account_totals ORDER BY account_id').raw().all()).toEqual([
      [1n, 0n, 9_227_465n, 0n, 9_227_465n, 0n],
      [2n, 1n, 9_227_465n, 0n, 9_227_465n, 0n],
    ]);
    // 9,227,465 × 999,999,999 is past 2^53 in the low part.
    expect(grow(999_999_999n).fold.abandoned).toBe(true);
  });

  it('splits a negative amount as SQLite does (quotient and remainder toward zero)', () => {
    const db = caseDb();
    const fold = new TotalsFold();
    fold.add(1, 2, 'EUR', 2, -1_500_000_000n);
    fold.add(1, 2, 'EUR', 2, 3n);
    fold.write(db);
    const grouped = db.prepare('SELECT -1500000000 / 1000000000 + 3 / 1000000000, -1500000000 % 1000000000 + 3 % 1000000000').raw().get() as bigint[];
    expect(grouped.map(Number)).toEqual([-1, -499999997]);
    expect(db.prepare('SELECT * FROM account_totals ORDER BY account_id').raw().all()).toEqual([
      [1n, 0n, 'EUR', 2n, 2n, -1n, -499999997n, 0n],
      [2n, 1n, 'EUR', 2n, 2n, -1n, -499999997n, 0n],
    ]);
  });
});

const MULE1 = 'DE77100100100123456789';
const MULE2 = 'NL91ABNA0417164300';
const HEADER = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';

function statement(name: string, lines: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, HEADER + lines);
  return path;
}

describe('account_totals of a bank statement: the same fold, kept by its SourceWriter', () => {
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
    expectTotals(db, 4, [
      ['AT611904300234573201', 0, 'EUR', 2, 1, 0, 0, 1],
      ['DE77100100100123456789', 0, 'EUR', 2, 1, 123, 456789012, 0],
      ['DE77100100100123456789', 0, 'USD', 2, 1, 0, 2550, 0],
      ['DE77100100100123456789', 1, 'EUR', 2, 2, 0, 500000, 1],
      ['DE89370400440532013000', 0, 'EUR', 2, 1, 0, 500000, 0],
      ['GB29NWBK60161331926819', 1, 'USD', 2, 1, 0, 2550, 0],
      ['NL91ABNA0417164300', 1, 'EUR', 2, 1, 123, 456789012, 0],
    ]);
  });

  it('a case whose totals were behind its transfers before the statement is folded from the transfers', async () => {
    const db = caseDb();
    await ingestBankFiles(db, [statement('a.csv', `2024-03-05,10.00,EUR,${MULE2},Mule Two,A-1,in,10.00\n`)], { account: MULE1 });
    // A transfer past the mark that no import folded (a case file written by other code).
    db.prepare(
      `INSERT INTO transfers (rail, asset, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) SELECT 'bank', 'EUR', 2, 700, to_id, from_id, time, 'raw-1', 1, source_id, 9 FROM transfers WHERE id = 1`,
    ).run();
    await ingestBankFiles(db, [statement('b.csv', `2024-03-06,-3.00,EUR,${MULE2},Mule Two,B-1,out,7.00\n`)], { account: MULE1 });
    expectTotals(db, 3, [
      ['DE77100100100123456789', 0, 'EUR', 2, 2, 0, 1000, 0],
      ['DE77100100100123456789', 1, 'EUR', 2, 1, 0, 1000, 0],
      ['NL91ABNA0417164300', 0, 'EUR', 2, 1, 0, 1000, 0],
      ['NL91ABNA0417164300', 1, 'EUR', 2, 2, 0, 1000, 0],
    ]);
  });
});
