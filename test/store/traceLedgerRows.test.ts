import { describe, expect, it } from 'vitest';
import { compareRowOrder, compareRowTo, type NumberRow } from '../../src/store/traceLedger.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';

/** A row of the account read: id, rail index, decimals, amount, from, to, time, block, log index. */
const row = (id: number, time: number, block: number | null, logIndex: number | null): NumberRow => [id, 2, 6, 100, 1, 2, time, block, logIndex];
const transfer = (id: number, time: number, block: number | null, logIndex: number | null): LedgerTransfer => ({
  id,
  rail: 'tron',
  asset: 'USDT',
  decimals: 6,
  amount: 100n,
  fromId: 1,
  toId: 2,
  time,
  block,
  logIndex,
});

describe('the account read rows in trace order', () => {
  it('sorts rows by time, block, log index and id, a missing block or log index first', () => {
    const rows = [row(5, 2000, 7, 1), row(4, 1000, null, null), row(3, 2000, 7, 0), row(9, 2000, null, 3), row(1, 2000, 7, 0), row(2, 1000, 3, null)];
    expect(rows.sort(compareRowOrder).map((r) => r[0])).toEqual([4, 2, 9, 1, 3, 5]);
  });

  it('compares a row with a transfer as compareTraceOrder compares two transfers', () => {
    expect(compareRowTo(row(3, 2000, 7, 0), transfer(3, 2000, 7, 0))).toBe(0);
    expect(compareRowTo(row(3, 1999, 7, 0), transfer(3, 2000, 7, 0))).toBe(-1);
    expect(compareRowTo(row(3, 2000, null, 0), transfer(3, 2000, 7, 0))).toBe(-8);
    expect(compareRowTo(row(3, 2000, 7, 2), transfer(3, 2000, 7, null))).toBe(3);
    expect(compareRowTo(row(2, 2000, 7, 0), transfer(3, 2000, 7, 0))).toBe(-1);
  });
});
