import { describe, expect, it } from 'vitest';
import { amountToDb, type Db } from '../../src/store/caseStore.js';
import { readTransferColumns } from '../../src/store/transferColumnsReader.js';
import { sourcedCase } from '../support/sourcedCase.js';

function caseWith(rows: [id: number, asset: string, decimals: unknown, amount: unknown, from: unknown, to: unknown, time: unknown][]): Db {
  const db = sourcedCase('hoptrace-transfer-columns-', ['TA', 'TB', 'TC']);
  const transfer = db.prepare(
    "INSERT INTO transfers (id, rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES (?, 'tron', ?, NULL, ?, ?, ?, ?, ?, ?, 0, 1, 1)",
  );
  // Checked like an import leaves them, but some rows below hold what no import writes (a real time).
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    for (const [id, asset, decimals, amount, from, to, time] of rows) transfer.run(id, asset, decimals, amount, from, to, time, `r${id}`);
  })();
  return db;
}

describe('readTransferColumns', () => {
  it('reads every transfer exactly in row id order, over chunks, gaps wider than a chunk and an asset first met in a later chunk', () => {
    const db = caseWith([
      [1, 'USDT', 6, 5n, 1, 2, 1_700_000_000_000],
      [2, 'USDT', 6, amountToDb(2n ** 53n + 1n), 2, 3, 1_600_000_000_000],
      [3, 'TRX', 6, 9_007_199_254_740_991n, 3, 1, -86_400_000],
      [4, 'USDT', 6, amountToDb(2n ** 63n - 1n), 1, 3, 1_700_000_000_001],
      [100, 'ETH', 18, amountToDb(-(2n ** 53n) - 1n), 2, 1, 1_700_000_000_002],
      [101, 'USDT', 6, 0n, 1, 1, 0],
      [1_000_000, 'ETH', 18, 7n, 3, 2, 2 ** 53 - 1],
    ]);
    const expected = [
      { id: 1, from: 1, to: 2, asset: 'USDT', amount: 5n, time: 1_700_000_000_000, decimals: 6 },
      { id: 2, from: 2, to: 3, asset: 'USDT', amount: 2n ** 53n + 1n, time: 1_600_000_000_000, decimals: 6 },
      { id: 3, from: 3, to: 1, asset: 'TRX', amount: 9_007_199_254_740_991n, time: -86_400_000, decimals: 6 },
      { id: 4, from: 1, to: 3, asset: 'USDT', amount: 2n ** 63n - 1n, time: 1_700_000_000_001, decimals: 6 },
      { id: 100, from: 2, to: 1, asset: 'ETH', amount: -(2n ** 53n) - 1n, time: 1_700_000_000_002, decimals: 18 },
      { id: 101, from: 1, to: 1, asset: 'USDT', amount: 0n, time: 0, decimals: 6 },
      { id: 1_000_000, from: 3, to: 2, asset: 'ETH', amount: 7n, time: 2 ** 53 - 1, decimals: 18 },
    ];
    for (const idsPerChunk of [2, 3, 64, 65_536]) {
      const columns = readTransferColumns(db, idsPerChunk);
      expect(columns.rows()).toEqual(expected);
      // Assets are numbered as they first appear in row id order.
      expect(columns.assets).toEqual(['USDT', 'TRX', 'ETH']);
    }
    db.close();
  });

  it('reads amounts past 64 bits (stored as hex text, as sourceWriter.ts stores them) and a chunk with a real time or a text account id as a row-by-row read does', () => {
    const db = caseWith([
      [1, 'ETH', 18, '0x' + (2n ** 70n + 3n).toString(16), 1, 2, 1_000],
      [2, 'ETH', 18, '-0x' + (2n ** 70n + 1n).toString(16), 2, 1, 2_000],
      [3, 'USDT', 6, 4n, 1, 2, 3_000.5],
      [4, 'USDT', 6, 5n, 2, 3, 4_000],
      [5, 'USDT', 6, 6n, 3, 1, 5_000],
      [6, 'USDT', 6, 7n, 'x7', 2, 6_000],
    ]);
    const columns = readTransferColumns(db, 2);
    expect(columns.rows()).toEqual([
      { id: 1, from: 1, to: 2, asset: 'ETH', amount: 2n ** 70n + 3n, time: 1_000, decimals: 18 },
      { id: 2, from: 2, to: 1, asset: 'ETH', amount: -(2n ** 70n + 1n), time: 2_000, decimals: 18 },
      { id: 3, from: 1, to: 2, asset: 'USDT', amount: 4n, time: 3_000.5, decimals: 6 },
      { id: 4, from: 2, to: 3, asset: 'USDT', amount: 5n, time: 4_000, decimals: 6 },
      { id: 5, from: 3, to: 1, asset: 'USDT', amount: 6n, time: 5_000, decimals: 6 },
      // A text id is read as the row-by-row read always took it (the columns widen to hold it).
      { id: 6, from: Number.NaN, to: 2, asset: 'USDT', amount: 7n, time: 6_000, decimals: 6 },
    ]);
    db.close();
  });

  it('fails on bad decimals as the row-by-row read does, naming the transfer', () => {
    const db = caseWith([
      [1, 'USDT', 6, 1n, 1, 2, 1_000],
      [2, 'USDT', 300, 1n, 1, 2, 2_000],
    ]);
    expect(() => readTransferColumns(db)).toThrow('transfer 2 has 300 decimals; hoptrace reads 0 to 255');
    db.close();
  });

  it('reads an empty case', () => {
    const db = caseWith([]);
    expect(readTransferColumns(db).length).toBe(0);
    db.close();
  });
});
