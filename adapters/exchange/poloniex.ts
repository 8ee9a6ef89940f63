import type { ExchangeLayout } from './types.js';

const COMPLETE = /^COMPLETE:\s*(\S+)\s*$/i;

/**
 * Poloniex withdrawal history `Date,Currency,Amount,Address,Status`, where a completed
 * withdrawal's status carries its tx hash: `COMPLETE: 562b…a28b`
 * (test/fixtures/exchange-demo-cryptotaxes/poloniex/withdrawalHistory.csv). Dates are UTC.
 */
export const poloniexWithdrawalsLayout: ExchangeLayout = {
  name: 'poloniex-withdrawals',
  exchange: 'poloniex',
  description: 'Poloniex withdrawal history (Date,Currency,Amount,Address,Status with "COMPLETE: TXID")',
  matches: (h) => h.length === 5 && ['date', 'currency', 'amount', 'address', 'status'].every((c) => h.includes(c)),
  row(row) {
    const complete = COMPLETE.exec(row.cell('status'));
    return {
      kind: 'movement',
      direction: 'withdrawal',
      asset: row.cell('currency'),
      amount: row.cell('amount'),
      fee: '0',
      address: row.cell('address'),
      ...(complete ? { txid: complete[1]! } : {}),
      time: row.cell('date'),
      status: complete ? 'completed' : 'other',
      statusText: row.cell('status'),
    };
  },
};
