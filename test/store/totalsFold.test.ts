import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransferRecord } from '../../src/model/types.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { SourceBatch } from '../../src/store/sourceBatch.js';
import { SourceWriter } from '../../src/store/sourceWriter.js';
import { TotalsFold } from '../../src/store/totalsFold.js';
import { tempDir } from '../support/cli.js';

function transfer(i: number, from: string, to: string, amount: bigint, asset = 'USDT', decimals = 6): TransferRecord {
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

const meta = (name: string) => ({ path: `${name}.json`, sha256: name.padEnd(64, '0'), size: 10, adapter: 'usdt:trongrid', options: '{"token":"usdt"}' });

/** account_totals as stored, with the accounts' idents: [ident, side, asset, decimals, n, hi, lo, text_rows]. */
const totals = (db: Db): unknown[][] =>
  db
    .prepare(
      `SELECT a.ident, t.side, t.asset, t.decimals, t.n, t.hi, t.lo, t.text_rows FROM account_totals t JOIN accounts a ON a.id = t.account_id
       ORDER BY a.ident, t.side, t.asset, t.decimals`,
    )
    .raw()
    .all()
    .map((row) => (row as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v)));

const mark = (db: Db): number => Number(db.prepare("SELECT value FROM meta WHERE key = 'account_totals_through'").pluck().get());

describe('TotalsFold: the account totals of a source, summed as it stores its transfers', () => {
  it('writes the rows the grouped pass writes: amounts split at 10^9, assets apart, a taken-out transfer subtracted, an emptied account without a row', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
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
    expect(totals(db)).toEqual([
      ['TA', 0, 'USDT', 6, 2, 2, 500000008, 0],
      ['TA', 1, 'XYZ', 18, 1, 1, 0, 0],
      ['TB', 0, 'XYZ', 18, 1, 1, 0, 0],
      ['TB', 1, 'USDT', 6, 1, 2, 500000001, 0],
      ['TC', 1, 'USDT', 6, 1, 0, 7, 0],
    ]);
    expect(mark(db)).toBe(3);
  });

  it('adds to the rows a case holds already, across the sources of a batch; a source rolled back adds nothing', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
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
    expect(totals(db)).toEqual([
      ['TA', 0, 'USDT', 6, 2, 1, 30, 0],
      ['TA', 1, 'USDT', 6, 1, 0, 3, 0],
      ['TB', 0, 'USDT', 6, 1, 0, 3, 0],
      ['TB', 1, 'USDT', 6, 2, 1, 30, 0],
    ]);
    // The rolled-back source's transfer id is given again.
    expect(mark(db)).toBe(3);
  });

  it('gives up past 2^53, and is not used when transfers past the mark are not all its own: the grouped pass counts them', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const writer = new SourceWriter(db, meta('a'));
    // 2^63 - 1 still fits an INTEGER column, not a double: 9223372036 × 10^9 + 854775807.
    writer.addTransfer(transfer(0, 'TA', 'TB', 9_223_372_036_854_775_807n, 'XYZ', 18));
    writer.addTransfer(transfer(1, 'TA', 'TB', 4n));
    writer.commit();
    expect(totals(db)).toEqual([
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

  it('splits a negative amount as SQLite does (quotient and remainder toward zero)', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const fold = new TotalsFold();
    fold.add(1, 2, 'EUR', 2, -1_500_000_000n);
    fold.add(1, 2, 'EUR', 2, 3n);
    fold.write(db);
    const grouped = db.prepare('SELECT -1500000000 / 1000000000 + 3 / 1000000000, -1500000000 % 1000000000 + 3 % 1000000000').raw().get() as bigint[];
    expect(grouped.map(Number)).toEqual([-1, -499999997]);
    expect(
      (db.prepare('SELECT * FROM account_totals ORDER BY account_id').raw().all() as unknown[][]).map((r) =>
        r.map((v) => (typeof v === 'bigint' ? Number(v) : v)),
      ),
    ).toEqual([
      [1, 0, 'EUR', 2, 2, -1, -499999997, 0],
      [2, 1, 'EUR', 2, 2, -1, -499999997, 0],
    ]);
  });
});
