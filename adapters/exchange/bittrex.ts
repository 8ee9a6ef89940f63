import type { ExchangeLayout, ExchangeRow, RowResult } from './types.js';
import { usDateTimeAsIso } from './utcTime.js';

/** Bittrex's time cells: `2023-03-07 07:51:43.043` (UTC), `2017-01-01 12:21:38Z`, or the 2017 web export's `5/21/2017 1:37:47 PM` (UTC). */
function bittrexTime(text: string): string {
  return usDateTimeAsIso(text) ?? text;
}

const TRUE = (text: string): boolean => text.toUpperCase() === 'TRUE';

/**
 * Bittrex's last transaction export (2023, before the exchange closed): deposits and withdrawals
 * in one file, `Date,Currency,Type,Address,Memo/Tag,TxId,Amount`, amounts signed
 * (test/fixtures/exchange-exports-rotki/bittrex_tx_history.csv). No network column: the address
 * says the chain. No fee column.
 */
export const bittrexTransactionsLayout: ExchangeLayout = {
  name: 'bittrex-transactions',
  exchange: 'bittrex',
  description: 'Bittrex transaction history 2023 (Date,Currency,Type,Address,Memo/Tag,TxId,Amount)',
  matches: (h) => ['date', 'currency', 'type', 'address', 'memo/tag', 'txid', 'amount'].every((c) => h.includes(c)),
  row(row) {
    const type = row.cell('type').toLowerCase();
    const direction = type === 'deposit' ? 'deposit' : type === 'withdrawal' ? 'withdrawal' : undefined;
    if (!direction) return { kind: 'skip', reason: `type ${JSON.stringify(row.cell('type'))} is not a deposit or withdrawal` };
    return {
      kind: 'movement',
      direction,
      asset: row.cell('currency'),
      amount: row.cell('amount').replace(/^[-+]/, ''),
      fee: '0',
      address: row.cell('address'),
      txid: row.cell('txid'),
      time: bittrexTime(row.cell('date')),
      status: 'completed',
    };
  },
};

/**
 * Bittrex deposit history, the 2017 export `Id,Amount,Currency,Confirmations,LastUpdated,TxId,
 * CryptoAddress` and the older upper-case one `UUID,AMOUNT,CURRENCY,CRYPTOADDRESS,TXID,LASTUPDATED,
 * CONFIRMATIONS,SOURCE,STATE` (test/fixtures/exchange-exports-rotki/bittrex_tx_history_deposits*.csv,
 * both with a blank first line). The credit time is `LastUpdated`.
 */
export const bittrexDepositsLayout: ExchangeLayout = {
  name: 'bittrex-deposits',
  exchange: 'bittrex',
  description: 'Bittrex deposit history 2013–2017 (…,Amount,Currency,…,LastUpdated,TxId,CryptoAddress[,State])',
  matches: (h) => ['amount', 'currency', 'lastupdated', 'txid', 'cryptoaddress'].every((c) => h.includes(c)),
  row(row) {
    const state = row.cell('state');
    return {
      kind: 'movement',
      direction: 'deposit',
      asset: row.cell('currency'),
      amount: row.cell('amount'),
      fee: '0',
      address: row.cell('cryptoaddress'),
      txid: row.cell('txid'),
      time: bittrexTime(row.cell('lastupdated')),
      status: state === '' || state.toUpperCase() === 'CONFIRMED' ? 'completed' : 'other',
      statusText: state,
    };
  },
};

/**
 * Bittrex withdrawal history, the 2017 export `PaymentUuid,Currency,Amount,Address,Opened,
 * Authorized,PendingPayment,TxCost,TxId,Canceled,InvalidAddress` and the older upper-case one
 * `UUID,AMOUNT,CURRENCY,ADDRESS,TXID,OPENED,LASTUPDATED,CLOSED,TXCOST,STATE`
 * (test/fixtures/exchange-exports-rotki/bittrex_tx_history_withdrawals*.csv). The debit time is
 * `Closed` when given, else `Opened`; `TxCost` is the fee; a canceled, pending or invalid-address
 * withdrawal (or a state other than PAID/COMPLETED) is not a movement.
 */
export const bittrexWithdrawalsLayout: ExchangeLayout = {
  name: 'bittrex-withdrawals',
  exchange: 'bittrex',
  description: 'Bittrex withdrawal history 2013–2017 (…,Currency,Amount,Address,Opened,…,TxCost,TxId,…)',
  matches: (h) => ['currency', 'amount', 'address', 'opened', 'txcost', 'txid'].every((c) => h.includes(c)),
  row: (row) => bittrexWithdrawal(row),
};

function bittrexWithdrawal(row: ExchangeRow): RowResult {
  const state = row.cell('state').toUpperCase();
  const flags = ['canceled', 'pendingpayment', 'invalidaddress'].filter((c) => TRUE(row.cell(c)));
  const authorized = row.cell('authorized') === '' || TRUE(row.cell('authorized'));
  const completed = flags.length === 0 && (state === '' || state === 'PAID' || state === 'COMPLETED') && authorized;
  return {
    kind: 'movement',
    direction: 'withdrawal',
    asset: row.cell('currency'),
    amount: row.cell('amount'),
    fee: row.cell('txcost') || '0',
    address: row.cell('address'),
    txid: row.cell('txid'),
    time: bittrexTime(row.cell('closed') || row.cell('opened')),
    status: completed ? 'completed' : 'other',
    statusText: state !== '' ? state : flags.length > 0 ? flags.join(', ') : authorized ? '' : 'not authorized',
  };
}
