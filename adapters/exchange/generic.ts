import type { ExchangeLayout } from './types.js';

const COLUMNS = ['exchange', 'account', 'direction', 'asset', 'network', 'amount', 'fee', 'address', 'txid', 'time', 'status'];

/**
 * hoptrace's own layout for an exchange's return, for what arrives as a letter, a PDF table or a
 * spreadsheet of another shape (docs/exchange-returns.md):
 * `exchange,account,direction,asset,network,amount,fee,address,txid,time,status`; direction
 * `deposit`|`withdrawal`, time ISO 8601 UTC, amount what arrived (deposit) or left on chain
 * (withdrawal), fee charged on top; status `completed` (other statuses are counted as skipped).
 */
export const genericLayout: ExchangeLayout = {
  name: 'generic',
  exchange: undefined,
  description: 'hoptrace generic layout: exchange,account,direction,asset,network,amount,fee,address,txid,time,status',
  matches: (header) => COLUMNS.every((c) => header.includes(c)),
  row(row) {
    const direction = row.cell('direction').toLowerCase();
    if (direction !== 'deposit' && direction !== 'withdrawal')
      return { kind: 'skip', reason: `direction ${JSON.stringify(row.cell('direction'))} is neither deposit nor withdrawal` };
    const status = row.cell('status').toLowerCase();
    return {
      kind: 'movement',
      exchange: row.cell('exchange'),
      account: row.cell('account'),
      direction,
      asset: row.cell('asset'),
      network: row.cell('network'),
      amount: row.cell('amount'),
      fee: row.cell('fee') || '0',
      address: row.cell('address'),
      txid: row.cell('txid'),
      time: row.cell('time'),
      status: status === 'completed' || status === 'success' ? 'completed' : 'other',
      statusText: row.cell('status'),
    };
  },
};
