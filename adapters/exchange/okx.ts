import type { ExchangeLayout } from './types.js';

/** OKX's internal deposit: address `INNER_<n>_3`, txid `<n>_3_7_0_<n>_0_WALLET`. */
const INNER_ADDRESS = /^INNER_/i;
const INNER_TXID = /_WALLET$/i;

/**
 * OKX's data production to a law-enforcement request, the deposit and withdrawal sheets
 * (`;`-delimited): deposits `uuid;currency;address;amount;txid;creation time;update time`,
 * withdrawals the same plus `chain name`. Built from the layout of a real production as
 * documented in the project's third-party index (nothing of it was copied: it holds the subject's
 * personal data); the fixture test/fixtures/okx-le-return-synthetic has synthetic values.
 *
 * Transfers between two OKX accounts are rows too, with no chain transaction: a deposit from
 * another OKX account has the address `INNER_<n>_3` and a txid ending `_WALLET`; a withdrawal to
 * another OKX account has a numeric account id as its address, no txid and a chain name such as
 * `Omni`. They move the customer's pool like any credit or debit, so they are movements, listed as
 * internal (unmatched on chain, the other account's own return being what follows them).
 * A deposit is credited at its `update time` (when it was confirmed), a withdrawal debited at its
 * `creation time` (when it was requested and the balance taken); both read as UTC.
 */
export const okxLeReturnLayout: ExchangeLayout = {
  name: 'okx-le-return',
  exchange: 'okx',
  delimiter: ';',
  description: 'OKX law-enforcement return, deposit or withdrawal sheet (uuid;currency;address;amount;txid;creation time;update time[;chain name])',
  matches: (h) => ['uuid', 'currency', 'address', 'amount', 'txid', 'creation time', 'update time'].every((c) => h.includes(c)),
  row(row) {
    const direction = row.columns.includes('chain name') ? 'withdrawal' : 'deposit';
    const address = row.cell('address');
    const txid = row.cell('txid');
    const internal =
      direction === 'deposit'
        ? INNER_ADDRESS.test(address) || INNER_TXID.test(txid)
          ? `another OKX account (${address})`
          : undefined
        : txid === '' && /^\d+$/.test(address)
          ? `OKX account ${address}`
          : undefined;
    return {
      kind: 'movement',
      account: row.cell('uuid'),
      direction,
      asset: row.cell('currency'),
      ...(direction === 'withdrawal' && !internal ? { network: row.cell('chain name') } : {}),
      amount: row.cell('amount'),
      fee: '0',
      address,
      txid,
      ...(internal ? { internal } : {}),
      time: direction === 'deposit' ? row.cell('update time') || row.cell('creation time') : row.cell('creation time'),
      status: 'completed',
    };
  },
};
