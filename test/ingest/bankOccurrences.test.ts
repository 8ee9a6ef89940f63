import { describe, expect, it } from 'vitest';
import type { BankItem } from '../../adapters/bank/bankLine.js';
import { numberBankLines } from '../../src/ingest/bankOccurrences.js';

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
});
