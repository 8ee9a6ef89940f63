import { describe, expect, it } from 'vitest';
import type { BankItem } from '../../adapters/bank/bankLine.js';
import { numberBankLineBatches, numberBankLines } from '../../src/ingest/bankOccurrences.js';

const DAY = Date.UTC(2024, 2, 1);

function line(n: number, day: number, withReference: boolean): BankItem {
  return {
    kind: 'line',
    line: {
      record: {
        rail: 'bank',
        asset: 'EUR',
        decimals: 2,
        amount: 100n,
        from: { rail: 'bank', ident: 'DE89370400440532013000' },
        to: { rail: 'bank', ident: 'NL91ABNA0417164300' },
        time: day,
        ref: withReference ? `R${n}` : `ht-${n}`,
        seq: n,
        line: n,
      },
      own: 'DE89370400440532013000',
      counterparty: 'NL91ABNA0417164300',
      direction: 'out',
      bankReference: withReference,
      ...(withReference ? {} : { content: { prefix: `content-${day}`, occurrence: 0 } }),
    },
  };
}

describe('numberBankLines: reference-less lines numbered a day at a time', () => {
  it('passes lines with a bank reference on as they come, and holds only a day of reference-less lines and what follows them', async () => {
    const items = [
      line(2, DAY, true),
      line(3, DAY, true),
      line(4, DAY, false),
      line(5, DAY, true),
      line(6, DAY + 86_400_000, false),
      line(7, DAY + 86_400_000, true),
    ];
    let pulled = 0;
    async function* source(): AsyncGenerator<BankItem> {
      for (const item of items) {
        pulled++;
        yield item;
      }
    }
    const seen: [number, number][] = [];
    const stored = () => ({ occurrences: new Map<string, number[]>(), total: 0 });
    for await (const item of numberBankLines(source(), stored)) seen.push([item.kind === 'line' ? item.line.record.line : -1, pulled]);
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
    const items = [
      line(2, DAY, true),
      line(3, DAY, true),
      line(4, DAY, false),
      line(5, DAY, true),
      line(6, DAY + 86_400_000, false),
      line(7, DAY + 86_400_000, true),
    ];
    let pulled = 0;
    async function* source(): AsyncGenerator<BankItem> {
      for (const item of items) {
        pulled++;
        yield item;
      }
    }
    const seen: [number, number][] = [];
    let asked = 0;
    const stored = () => {
      asked++;
      return { occurrences: new Map<string, number[]>(), total: 0 };
    };
    for await (const item of numberBankLines(source(), stored, () => true)) seen.push([item.kind === 'line' ? item.line.record.line : -1, pulled]);
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
    const batch = [line(2, DAY, true), line(3, DAY, true), line(4, DAY, false), line(5, DAY, true), line(6, day2, false), line(7, day2, true)];
    async function* source(): AsyncGenerator<BankItem[]> {
      yield batch;
    }
    let taken = 0;
    const asked: [string, number, number][] = [];
    const stored = (_own: string, time: number) => {
      asked.push(['stored', time, taken]);
      return { occurrences: new Map<string, number[]>(), total: 0 };
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
