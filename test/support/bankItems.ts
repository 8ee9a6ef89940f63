import type { BankItem } from '../../adapters/bank/bankLine.js';

/** The start of 2024-03-01 (UTC): a statement day. */
export const BANK_DAY = Date.UTC(2024, 2, 1);

/**
 * Line `n` of a statement of DE89370400440532013000 paying NL91ABNA0417164300 100 EUR on `day`:
 * with the bank's reference R<n>, or without one (hoptrace's ht-<n>, numbered by its content, the same for every such line of the day).
 */
export function bankLineItem(n: number, day: number, withReference: boolean): BankItem {
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

/** `items` one at a time, counting how many have been taken from the source so far (`pulled()`). */
export function countedSource(items: readonly BankItem[]): { source: AsyncGenerator<BankItem>; pulled: () => number } {
  let pulled = 0;
  async function* source(): AsyncGenerator<BankItem> {
    for (const item of items) {
      pulled++;
      yield item;
    }
  }
  return { source: source(), pulled: () => pulled };
}

/** What the case holds of a day when it holds none of it. */
export const storesNothing = () => ({ occurrences: new Map<string, number[]>(), total: 0 });
