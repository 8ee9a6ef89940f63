import type { ExchangeLayout } from './types.js';

/** Kraken's asset codes for the assets hoptrace traces (`USDT` is written plainly). */
const ASSETS: Record<string, string> = { USDT: 'USDT', ZUSDT: 'USDT' };

/**
 * Kraken ledger export, the 10-column layout `txid,refid,time,type,subtype,aclass,asset,amount,
 * fee,balance` and the newer one with `wallet` (test/fixtures/kraken-ledger-feelhip). Ledger rows
 * carry Kraken's own ids, no chain address or tx hash: the movements are the customer account's
 * history, listed as unmatched on chain. A deposit appears twice, pending (empty `txid`) and then
 * credited: only the credited row is a movement.
 */
export const krakenLedgerLayout: ExchangeLayout = {
  name: 'kraken-ledger',
  exchange: 'kraken',
  description: 'Kraken ledger (txid,refid,time,type,subtype,aclass,asset,amount,fee,balance)',
  matches: (h) => ['txid', 'refid', 'time', 'type', 'asset', 'amount', 'fee', 'balance'].every((c) => h.includes(c)),
  row(row) {
    const type = row.cell('type').toLowerCase();
    if (type !== 'deposit' && type !== 'withdrawal') return { kind: 'skip', reason: `type ${JSON.stringify(row.cell('type'))} is not a deposit or withdrawal` };
    if (row.cell('txid') === '') return { kind: 'skip', reason: 'pending row (no ledger id): the credited row follows' };
    const asset = ASSETS[row.cell('asset').toUpperCase()] ?? row.cell('asset');
    return {
      kind: 'movement',
      direction: type,
      asset,
      amount: row.cell('amount').replace(/^[-+]/, ''),
      fee: row.cell('fee').replace(/^[-+]/, '') || '0',
      time: row.cell('time'),
      status: 'completed',
    };
  },
};
