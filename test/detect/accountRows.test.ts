import { describe, expect, it } from 'vitest';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import { AccountRows } from '../../src/detect/accountRows.js';
import { densestWindow } from '../../src/detect/typologies/fan.js';
import { byAccount, countedTest, DEFAULT_DETECT_PARAMS, groupByAccount, unitsOf } from '../../src/detect/types.js';

const H = 3_600_000;
/** Rows 0–5: [from, to, amount, time, asset, decimals]. */
const columns = TransferColumns.of(
  (
    [
      [1, 2, 5_000_000n, 0, 'USDT', 6],
      [3, 2, 0n, H, 'USDT', 6],
      [2, 4, 4_000_000n, 2 * H, 'USDT', 6],
      [4, 4, 9_000_000n, 3 * H, 'USDT', 6],
      [2, 5, 500_000n, 4 * H, 'USDT', 6],
      [5, 1, 2n * 10n ** 17n, 5 * H, 'ETH', 18],
    ] as const
  ).map(([from, to, amount, time, asset, decimals], i) => ({ id: 10 + i, from, to, amount, time, asset, decimals })),
);

describe('AccountRows', () => {
  it('groups the accepted rows under each key column, in row order, accounts ascending', () => {
    const touching = AccountRows.group(columns, [columns.from, columns.to], (row) => row !== 3);
    expect(touching.accounts).toEqual([1, 2, 3, 4, 5]);
    expect([...touching.of(1)]).toEqual([0, 5]);
    expect([...touching.of(2)]).toEqual([0, 1, 2, 4]);
    expect([...touching.of(4)]).toEqual([2]);
    expect([...touching.of(5)]).toEqual([4, 5]);
    // Ids without rows, beyond the largest or negative: empty.
    expect([...touching.of(0)]).toEqual([]);
    expect([...touching.of(6)]).toEqual([]);
    expect([...touching.of(-1)]).toEqual([]);
    expect(touching.has(3)).toBe(true);
    expect(touching.has(0)).toBe(false);
  });

  it('gives each account its rows by position, and a column gathered in that order', () => {
    const touching = AccountRows.group(columns, [columns.from, columns.to], (row) => row !== 3);
    // Account 2's rows are 0, 1, 2, 4 at positions 2–5 (account 1's two rows come first).
    expect([touching.first(2), touching.end(2)]).toEqual([2, 6]);
    expect([2, 3, 4, 5].map((at) => touching.rowAt(at))).toEqual([0, 1, 2, 4]);
    const senders = touching.gather(columns.from, (n) => new Uint32Array(n));
    expect([...senders.subarray(touching.first(2), touching.end(2))]).toEqual([1, 3, 2, 2]);
    const times = touching.gather(columns.time, (n) => new Float64Array(n));
    expect([...times.subarray(touching.first(5), touching.end(5))]).toEqual([4 * H, 5 * H]);
    // Accounts without rows, beyond the largest or negative: an empty span.
    for (const id of [0, 6, -1]) expect(touching.end(id) - touching.first(id)).toBe(0);
  });

  it('holds nothing for no rows', () => {
    const none = AccountRows.group(new TransferColumns(), [columns.from], () => true);
    expect(none.accounts).toEqual([]);
    expect([...none.of(1)]).toEqual([]);
  });
});

describe('counting rows as payments', () => {
  it('leaves out zero-value and dust rows, per asset and decimals', () => {
    const counted = countedTest(columns, DEFAULT_DETECT_PARAMS);
    // 0.5 USDT is under the 1 USDT floor; 0.2 ETH is over the 0.0001 ETH floor.
    expect([0, 1, 2, 3, 4, 5].map(counted)).toEqual([true, false, true, true, false, true]);
    const strict = countedTest(columns, { minAmount: '4.5', dustFloor: {} });
    expect([0, 1, 2, 3, 4, 5].map(strict)).toEqual([true, false, false, true, false, false]);
  });

  it('groups payments by sender and recipient without self-transfers', () => {
    const { out, in: incoming } = byAccount(columns, DEFAULT_DETECT_PARAMS);
    expect(out.accounts).toEqual([1, 2, 5]);
    expect([...out.of(2)]).toEqual([2]);
    expect(incoming.accounts).toEqual([1, 2, 4]);
    // The same snapshot and floors give the same grouping back.
    expect(byAccount(columns, DEFAULT_DETECT_PARAMS).out).toBe(out);
    const some = groupByAccount(columns, (row) => row >= 3);
    expect(some.out.accounts).toEqual([2, 5]);
    expect([...some.in.of(5)]).toEqual([4]);
  });

  it('scales an amount in asset units to each decimals', () => {
    const units = unitsOf('10000.5');
    expect([units(0), units(2), units(6)]).toEqual([10000n, 1000050n, 10000500000n]);
  });
});

describe('densestWindow', () => {
  // Account 9 receives from 1, 2, 1, 3, 4 at hours 0, 1, 2, 30, 31 (rows 0–4).
  const fan = TransferColumns.of(
    (
      [
        [1, 100n, 0],
        [2, 100n, 1],
        [1, 100n, 2],
        [3, 50n, 30],
        [4, 100n, 31],
      ] as const
    ).map(([from, amount, hour], i) => ({ id: i + 1, from, to: 9, amount, time: hour * H, asset: 'USDT' })),
  );
  const list = Uint32Array.from([0, 1, 2, 3, 4]);
  // As the fan typologies hand them over: each row's time and counterparty beside it.
  const rows = { rows: list, times: Float64Array.from(list, (row) => fan.time[row]!), parties: Float64Array.from(list, (row) => fan.from[row]!) };

  it('finds the window with the most distinct counterparties, the first of equals', () => {
    const within = densestWindow(fan, rows, 29 * H, 0);
    expect(within.counterparties).toEqual([1, 2, 3]);
    expect([...within.rows]).toEqual([1, 2, 3]);
    const day = densestWindow(fan, rows, 24 * H, 0);
    expect(day.counterparties).toEqual([1, 2]);
    expect([...day.rows]).toEqual([0, 1]);
  });

  it('skips windows whose payments are not alike in amount', () => {
    const alike = densestWindow(fan, rows, 29 * H, 0.9);
    expect(alike.counterparties).toEqual([1, 2]);
    expect([...alike.rows]).toEqual([0, 1]);
  });
});
