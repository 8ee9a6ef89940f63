import type { ExchangeLayout, RowResult } from './types.js';

const COMPLETED = new Set(['completed', 'success', 'successful']);

function historyRow(direction: 'deposit' | 'withdrawal', cell: (name: string) => string): RowResult {
  return {
    kind: 'movement',
    direction,
    asset: cell('coin'),
    network: cell('network'),
    // Binance's histories: `Amount` is what arrived (deposit) or was received on chain
    // (withdrawal); `TransactionFee` is charged on top (binance-withdrawals-metko21neon README).
    amount: cell('amount'),
    fee: cell('transactionfee') || '0',
    address: cell('address'),
    txid: cell('txid'),
    time: cell('date(utc)'),
    status: COMPLETED.has(cell('status').toLowerCase()) ? 'completed' : 'other',
    statusText: cell('status'),
  };
}

/**
 * Binance "Deposit History" export: `Date(UTC),Coin,[Network,]Amount,TransactionFee,Address,TXID,
 * SourceAddress,PaymentID,Status` (test/fixtures/binance-deposits-jdelichotti). It names no
 * account: `--account` gives it.
 */
export const binanceDepositsLayout: ExchangeLayout = {
  name: 'binance-deposits',
  exchange: 'binance',
  description: 'Binance deposit history (Date(UTC),Coin,…,Address,TXID,SourceAddress,…,Status)',
  matches: (h) => h.includes('date(utc)') && h.includes('coin') && h.includes('txid') && h.includes('sourceaddress'),
  row: (row) => historyRow('deposit', row.cell),
};

/**
 * Binance "Withdrawal History" export: `Date(UTC),Coin,Network,Amount,TransactionFee,Address,TXID,
 * PaymentID,Status` (test/fixtures/binance-withdrawals-metko21neon). It names no account either.
 * The deposit history of newer exports has the same columns plus `SourceAddress`; a file without
 * it is read as withdrawals unless `--direction deposit` says otherwise.
 */
export const binanceWithdrawalsLayout: ExchangeLayout = {
  name: 'binance-withdrawals',
  exchange: 'binance',
  description: 'Binance withdrawal history (Date(UTC),Coin,Network,Amount,TransactionFee,Address,TXID,PaymentID,Status)',
  matches: (h) => h.includes('date(utc)') && h.includes('coin') && h.includes('txid') && h.includes('transactionfee') && !h.includes('sourceaddress'),
  row: (row, options) => historyRow(options.direction ?? 'withdrawal', row.cell),
};

/**
 * Binance "Transaction History" statement: `User_ID,UTC_Time,Account,Operation,Coin,Change,Remark`
 * (test/fixtures/exchange-exports-rotki/binance_history.csv). It names the account but carries no
 * address or tx hash, so its deposits and withdrawals cannot be matched on chain (they are listed
 * as unmatched, with that reason); trades, fees and interest are skipped.
 */
export const binanceStatementLayout: ExchangeLayout = {
  name: 'binance-statement',
  exchange: 'binance',
  description: 'Binance transaction history statement (User_ID,UTC_Time,Account,Operation,Coin,Change,Remark)',
  matches: (h) => ['user_id', 'utc_time', 'operation', 'coin', 'change'].every((c) => h.includes(c)),
  row(row) {
    const operation = row.cell('operation').toLowerCase();
    const direction = operation === 'deposit' ? 'deposit' : operation === 'withdraw' || operation === 'withdrawal' ? 'withdrawal' : undefined;
    if (!direction) return { kind: 'skip', reason: `operation ${JSON.stringify(row.cell('operation'))} is not a deposit or withdrawal` };
    const change = row.cell('change');
    return {
      kind: 'movement',
      account: row.cell('user_id'),
      direction,
      asset: row.cell('coin'),
      amount: change.replace(/^[-+]/, ''),
      fee: '0',
      time: row.cell('utc_time'),
      status: 'completed',
    };
  },
};
