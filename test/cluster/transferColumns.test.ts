import { describe, expect, it } from 'vitest';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import type { ClusterTransfer } from '../../src/cluster/types.js';

const WEI_100_ETH = 100_000_000_000_000_000_000n; // beyond a signed 64-bit slot
const MAX_I64 = 2n ** 63n - 1n;

function transfer(id: number, time: number, amount: bigint, asset = 'USDT', decimals = 6): ClusterTransfer {
  return { id, from: id * 10, to: id * 10 + 1, asset, amount, time, decimals };
}

describe('TransferColumns', () => {
  it('gives back every row exactly, across growth and amounts beyond 64 bits', () => {
    const input = Array.from({ length: 3_000 }, (_, i) =>
      transfer(i + 1, 1_000 + i, BigInt(i) * 1_000_001n, i % 3 === 0 ? 'ETH' : 'USDT', i % 3 === 0 ? 18 : 6),
    );
    input[7] = transfer(8, 1_007, WEI_100_ETH, 'ETH', 18);
    input[8] = transfer(9, 1_008, MAX_I64, 'ETH', 18);
    input[9] = transfer(10, 1_009, MAX_I64 + 1n, 'ETH', 18);
    const columns = TransferColumns.of(input);
    expect(columns.length).toBe(3_000);
    expect(columns.rows()).toEqual(input);
    expect(columns.amount(7)).toBe(WEI_100_ETH);
    expect(columns.amount(8)).toBe(MAX_I64);
    expect(columns.amount(9)).toBe(MAX_I64 + 1n);
    expect(columns.assets).toEqual(['ETH', 'USDT']);
  });

  it('gives an amount as a number exactly when a number holds it, across growth, sorting and columns read in chunks', () => {
    const amounts = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n - 1n, -1n, -(2n ** 32n), -(2n ** 53n)];
    const beyond = [2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, MAX_I64, -(2n ** 63n), WEI_100_ETH, 123_456_789_012_345_678n];
    // More rows than the first capacity (1,024), so the column grows under the values.
    const input = Array.from({ length: 2_000 }, (_, i) => {
      const k = i % (amounts.length + beyond.length);
      return transfer(i + 1, 5_000 - i, k < amounts.length ? amounts[k]! : beyond[k - amounts.length]!);
    });
    const columns = TransferColumns.of(input);
    columns.sortByTime();
    for (let i = 0; i < columns.length; i++) {
      const amount = columns.amount(i);
      const exact = amount >= -(2n ** 53n) && amount < 2n ** 53n;
      expect(columns.amountNumber(i), `row ${i}: ${amount}`).toBe(exact ? Number(amount) : Number.NaN);
    }
    const chunked = new TransferColumns(4);
    chunked.pushColumns(
      {
        firstId: 1,
        idOffsets: new Float64Array([0, 1, 2]),
        from: new Float64Array([1, 2, 3]),
        to: new Float64Array([2, 3, 4]),
        assetOf: new Float64Array([0, 0, 0]),
        assetNames: ['USDT'],
        amounts: new BigInt64Array([2n ** 40n + 7n, -(2n ** 63n), 2n ** 53n]),
        time: new Float64Array([1, 2, 3]),
        decimals: new Float64Array([6, 6, 6]),
      },
      3,
    );
    expect([0, 1, 2].map((i) => chunked.amountNumber(i))).toEqual([2 ** 40 + 7, Number.NaN, Number.NaN]);
  });

  it('sorts by time, then id, carrying every column and the large amounts with their rows', () => {
    // Two imports, each chronological, interleaved in storage, as two sources leave a case file.
    const first = [transfer(1, 100, 5n), transfer(2, 300, WEI_100_ETH, 'ETH', 18), transfer(3, 500, 7n)];
    const second = [transfer(4, 200, 9n, 'TRX'), transfer(5, 300, 11n), transfer(6, 400, WEI_100_ETH + 1n, 'ETH', 18)];
    const columns = TransferColumns.of([...first, ...second]);
    columns.sortByTime();
    expect(columns.rows().map((t) => t.id)).toEqual([1, 4, 2, 5, 6, 3]);
    expect(columns.rows()).toEqual([first[0], second[0], first[1], second[1], second[2], first[2]]);
    expect(columns.amount(2)).toBe(WEI_100_ETH);
    expect(columns.amount(4)).toBe(WEI_100_ETH + 1n);
  });

  it('leaves rows already in order untouched, and breaks equal times by id', () => {
    const columns = TransferColumns.of([transfer(2, 100, 1n), transfer(1, 100, 2n), transfer(3, 100, 3n)]);
    columns.sortByTime();
    expect(columns.rows().map((t) => [t.id, t.amount])).toEqual([
      [1, 2n],
      [2, 1n],
      [3, 3n],
    ]);
    const ordered = TransferColumns.of([transfer(1, 100, 1n), transfer(2, 200, 2n)]);
    const ids = ordered.ids;
    ordered.sortByTime();
    expect(ordered.ids).toBe(ids);
  });

  it('refuses decimals a column of bytes cannot hold, rather than wrapping them', () => {
    expect(() => TransferColumns.of([transfer(1, 100, 1n, 'TOKEN:X', 256)])).toThrow('transfer 1 has 256 decimals; hoptrace reads 0 to 255');
    expect(TransferColumns.of([transfer(1, 100, 1n, 'TOKEN:X', 255)]).row(0).decimals).toBe(255);
  });

  it('holds ids in Uint32 columns and widens them, exactly, when one does not fit', () => {
    const columns = new TransferColumns(4);
    columns.push(3, 4_294_967_295, 7, 'USDT', 1n, 300, 6);
    expect([columns.ids, columns.from, columns.to].map((c) => c.constructor.name)).toEqual(['Uint32Array', 'Uint32Array', 'Uint32Array']);
    columns.push(4_294_967_296, 1, 2 ** 53, 'USDT', 2n, 100, 6);
    columns.push(5, 2, 3, 'USDT', 3n, 200, 6);
    expect([columns.ids, columns.from, columns.to].map((c) => c.constructor.name)).toEqual(['Float64Array', 'Float64Array', 'Float64Array']);
    columns.sortByTime();
    expect(columns.rows().map((t) => [t.id, t.from, t.to, t.amount])).toEqual([
      [4_294_967_296, 1, 2 ** 53, 2n],
      [5, 2, 3, 3n],
      [3, 4_294_967_295, 7, 1n],
    ]);
  });

  it('sized for its rows up front, never reallocates a column while loading them', () => {
    const columns = new TransferColumns(3);
    const before = [columns.ids, columns.time, columns.asset];
    for (const t of [transfer(3, 300, 3n), transfer(1, 100, 1n), transfer(2, 200, WEI_100_ETH, 'ETH', 18)])
      columns.push(t.id, t.from, t.to, t.asset, t.amount, t.time, t.decimals!);
    columns.sortByTime();
    expect([columns.ids, columns.time, columns.asset]).toEqual(before);
    expect(columns.ids).toBe(before[0]);
    expect(columns.ids.length).toBe(3);
    expect(columns.rows()).toEqual([transfer(1, 100, 1n), transfer(2, 200, WEI_100_ETH, 'ETH', 18), transfer(3, 300, 3n)]);
  });

  it('appends a chunk of columns as push would row by row: ids, assets in first-use order, exact amounts, -2^63 too', () => {
    const columns = new TransferColumns(2);
    columns.push(1, 5, 6, 'TRX', 3n, 1_000, 6);
    const amounts = new BigInt64Array([7n, -(2n ** 63n), 2n ** 63n - 1n, -5n]);
    columns.pushColumns(
      {
        firstId: 10,
        idOffsets: new Float64Array([0, 1, 3, 4]),
        from: new Float64Array([1, 2, 3, 4]),
        to: new Float64Array([2, 3, 4, 2 ** 32]),
        assetOf: new Float64Array([2, 1, 2, 3]),
        assetNames: ['', 'USDT', 'TRX', 'ETH'],
        amounts,
        time: new Float64Array([2_000, 1_500, 3_000, -1]),
        decimals: new Float64Array([6, 6, 6, 18]),
      },
      4,
    );
    expect(columns.rows()).toEqual([
      { id: 1, from: 5, to: 6, asset: 'TRX', amount: 3n, time: 1_000, decimals: 6 },
      { id: 10, from: 1, to: 2, asset: 'TRX', amount: 7n, time: 2_000, decimals: 6 },
      { id: 11, from: 2, to: 3, asset: 'USDT', amount: -(2n ** 63n), time: 1_500, decimals: 6 },
      { id: 13, from: 3, to: 4, asset: 'TRX', amount: 2n ** 63n - 1n, time: 3_000, decimals: 6 },
      { id: 14, from: 4, to: 2 ** 32, asset: 'ETH', amount: -5n, time: -1, decimals: 18 },
    ]);
    // An account id past 2^32 - 1 widened the id columns; names unused by any row are not learnt.
    expect(columns.to).toBeInstanceOf(Float64Array);
    expect(columns.assets).toEqual(['TRX', 'USDT', 'ETH']);
    columns.sortByTime();
    expect(columns.rows().map((t) => [t.id, t.amount])).toEqual([
      [14, -5n],
      [1, 3n],
      [11, -(2n ** 63n)],
      [10, 7n],
      [13, 2n ** 63n - 1n],
    ]);
    expect(() =>
      columns.pushColumns(
        {
          firstId: 20,
          idOffsets: new Float64Array([0]),
          from: new Float64Array([1]),
          to: new Float64Array([2]),
          assetOf: new Float64Array([1]),
          assetNames: ['', 'USDT'],
          amounts: new BigInt64Array([1n]),
          time: new Float64Array([1]),
          decimals: new Float64Array([256]),
        },
        1,
      ),
    ).toThrow('transfer 20 has 256 decimals; hoptrace reads 0 to 255 (ERC-20 and TRC-20 decimals are a uint8)');
  });

  it('gives the least and greatest account id the transfers name, from 0, and again after more rows', () => {
    const columns = TransferColumns.of([transfer(1, 1, 1n), transfer(3, 2, 1n)]);
    expect(columns.accountIdRange()).toEqual({ min: 0, max: 31 });
    columns.push(4, 7, 1_000, 'USDT', 1n, 3, 6);
    expect(columns.accountIdRange()).toEqual({ min: 0, max: 1_000 });
    expect(new TransferColumns().accountIdRange()).toEqual({ min: 0, max: 0 });
  });
});
