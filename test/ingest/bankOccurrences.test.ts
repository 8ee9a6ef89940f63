import { describe, expect, it } from 'vitest';
import type { BankItem } from '../../adapters/bank/bankLine.js';
import { numberBankLineBatches, numberBankLines } from '../../src/ingest/bankOccurrences.js';
import { BANK_DAY as DAY, bankLineItem as line, countedSource, storesNothing } from '../support/bankItems.js';

/** Lines 2–7: a day with a reference-less line among referenced ones, then the next day's. */
const TWO_DAYS = [
  line(2, DAY, true),
  line(3, DAY, true),
  line(4, DAY, false),
  line(5, DAY, true),
  line(6, DAY + 86_400_000, false),
  line(7, DAY + 86_400_000, true),
];

describe('numberBankLines: reference-less lines numbered a day at a time', () => {
  it('passes lines with a bank reference on as they come, and holds only a day of reference-less lines and what follows them', async () => {
    const { source, pulled } = countedSource(TWO_DAYS);
    const seen: [number, number][] = [];
    for await (const item of numberBankLines(source, storesNothing)) seen.push([item.kind === 'line' ? item.line.record.line : -1, pulled()]);
    // Lines 2 and 3 come out as soon as they are read; line 4 starts a day, which ends when line 6 starts another.
    expect(seen).toEqual([
      [2, 1],
      [3, 2],
      [4, 5],
      [5, 5],
      [6, 6],
      [7, 6],
    ]);
  });

  it('passes every item on as it comes on a day the case holds none of, and never asks what the case holds of it', async () => {
    const { source, pulled } = countedSource(TWO_DAYS);
    const seen: [number, number][] = [];
    let asked = 0;
    const stored = () => {
      asked++;
      return storesNothing();
    };
    for await (const item of numberBankLines(source, stored, () => true)) seen.push([item.kind === 'line' ? item.line.record.line : -1, pulled()]);
    expect(seen).toEqual([
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
      [7, 6],
    ]);
    expect(asked).toBe(0);
  });

  it('in batches, asks about a day only once every item before it has been taken', async () => {
    const day2 = DAY + 86_400_000;
    async function* source(): AsyncGenerator<BankItem[]> {
      yield TWO_DAYS;
    }
    let taken = 0;
    const asked: [string, number, number][] = [];
    const stored = (_own: string, time: number) => {
      asked.push(['stored', time, taken]);
      return storesNothing();
    };
    // The first day may be in the case (its lines wait for the day's end), the second not.
    const holdsNone = (_own: string, time: number): boolean => {
      asked.push(['holdsNone', time, taken]);
      return time === day2;
    };
    const batches: number[][] = [];
    for await (const out of numberBankLineBatches(source(), stored, holdsNone)) {
      batches.push(out.map((item) => (item.kind === 'line' ? item.line.record.line : -1)));
      taken += out.length;
    }
    expect(batches).toEqual([
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(asked).toEqual([
      ['holdsNone', DAY, 2],
      ['stored', DAY, 2],
      ['holdsNone', day2, 4],
    ]);
  });
});
