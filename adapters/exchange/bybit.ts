import type { ExchangeLayout } from './types.js';

const PREAMBLE = /^UID:\s*([^,\s]+)/;

/**
 * Bybit EU funding-account statement: a `UID: …,Company Name: ,Country: ` line, then
 * `Uid,Date & Time(UTC),Coin,QTY,Type,Account Balance,Description`
 * (test/fixtures/exchange-layouts-everytrade/bybiteu_fund_v001.csv). Deposits and withdrawals
 * carry no address or tx hash: they are the account's history, unmatched on chain.
 */
export const bybitFundingLayout: ExchangeLayout = {
  name: 'bybit-funding',
  exchange: 'bybit',
  description: 'Bybit funding statement (UID preamble; Uid,Date & Time(UTC),Coin,QTY,Type,Account Balance,Description)',
  accountFromPreamble: (head) => PREAMBLE.exec(head.replace(/^\uFEFF/, ''))?.[1],
  matches: (h) => ['uid', 'date & time(utc)', 'coin', 'qty', 'type'].every((c) => h.includes(c)),
  row(row) {
    const type = row.cell('type').toLowerCase();
    const direction = type === 'deposit' ? 'deposit' : type === 'withdraw' || type === 'withdrawal' ? 'withdrawal' : undefined;
    if (!direction) return { kind: 'skip', reason: `type ${JSON.stringify(row.cell('type'))} is not a deposit or withdrawal` };
    return {
      kind: 'movement',
      account: row.cell('uid'),
      direction,
      asset: row.cell('coin'),
      amount: row.cell('qty').replace(/^[-+]/, ''),
      fee: '0',
      time: row.cell('date & time(utc)'),
      status: 'completed',
    };
  },
};
