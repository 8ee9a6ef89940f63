import { HoptraceError } from './errors.js';
import type { AccountRef, Rail } from './types.js';

/**
 * One deposit or withdrawal of a customer account, as an exchange's return (or the customer's own
 * export) lists it. docs/design.md, rule 11: the customer's account at the exchange is an account
 * like any other; these rows are its history.
 */
export interface ExchangeMovement {
  /** Canonical exchange name: lower case letters, digits and `-` (`binance`, `okx`, `htx`). */
  exchange: string;
  /** The customer account id at the exchange (User_ID, UID, account number). */
  account: string;
  direction: 'deposit' | 'withdrawal';
  /** Asset symbol in upper case (`USDT`). */
  asset: string;
  /** The exchange's name for the chain (`TRC20`, `ERC20`, `TRX`, `ETH`, `BSC` …), when given. */
  network?: string;
  /** Minor units of `decimals`: the amount that arrived (deposit) or left on chain (withdrawal). */
  amount: bigint;
  /** Fee the exchange charged on top of `amount`, same units. */
  fee: bigint;
  decimals: number;
  /** Deposit address (deposit) or destination address (withdrawal), as the return writes it. */
  address?: string;
  txid?: string;
  /**
   * Set for a transfer between two accounts on the exchange's own books (OKX's `INNER_…`
   * deposits): the counterparty as the return names it. It has no chain transaction to match.
   */
  internal?: string;
  /** UTC ms: when the exchange credited (deposit) or sent (withdrawal). */
  time: number;
  line: number;
}

/** Decimals of the assets hoptrace traces through exchanges (USDT on both chains: 6). */
export const EXCHANGE_ASSET_DECIMALS: Readonly<Record<string, number>> = { USDT: 6 };

/** `Binance`, ` binance.com ` → `binance`, `Exchange One` → `exchange-one`; other characters are refused. */
export function canonicalExchangeName(name: string): string {
  const value = name
    .trim()
    .toLowerCase()
    .replace(/\.com$/, '')
    .replace(/\s+/g, '-');
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(value)) throw new HoptraceError(`exchange name ${JSON.stringify(name)}: use letters, digits and "-" (binance, okx, htx)`);
  return value;
}

/** A customer account id: printable, no `:` (the ident separator), trimmed. */
export function canonicalExchangeAccount(account: string): string {
  const value = account.trim();
  if (value === '' || /[:\s]/.test(value) || /[^\x21-\x7e]/.test(value))
    throw new HoptraceError(`exchange account ${JSON.stringify(account)}: expected an id without spaces or ":"`);
  return value;
}

const TITLE: Record<string, string> = {
  binance: 'Binance',
  okx: 'OKX',
  htx: 'HTX',
  bybit: 'Bybit',
  kraken: 'Kraken',
  coinbase: 'Coinbase',
  kucoin: 'KuCoin',
  bittrex: 'Bittrex',
  poloniex: 'Poloniex',
};

/** How letters and labels name an exchange: `binance` → `Binance`, `exchange-one` → `Exchange One`. */
export function exchangeTitle(exchange: string): string {
  return (
    TITLE[exchange] ??
    exchange
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  );
}

/** The exchange and customer account of an `exchange`-rail ident (`binance:4411`); undefined for the books (`binance`). */
export function parseCustomerIdent(ident: string): { exchange: string; account: string } | undefined {
  const at = ident.indexOf(':');
  return at < 0 ? undefined : { exchange: ident.slice(0, at), account: ident.slice(at + 1) };
}

/** How a report names a customer account: `customer 4411 at Binance`. */
export function customerName(exchange: string, account: string): string {
  return `customer ${account} at ${exchangeTitle(exchange)}`;
}

/** `exchange:binance:4411`: the customer's account (docs/design.md, data model). */
export function customerAccount(exchange: string, account: string): AccountRef {
  return { rail: 'exchange', ident: `${exchange}:${account}` };
}

/** `exchange:binance`: the exchange's own books, where fees go and credits come from. */
export function exchangeBooks(exchange: string): AccountRef {
  return { rail: 'exchange', ident: exchange };
}

/** The chain a network name means, for the rails hoptrace reads; undefined for other chains. */
export function railOfNetwork(network: string | undefined, address: string | undefined): Extract<Rail, 'ethereum' | 'tron'> | undefined {
  const n = (network ?? '').trim().toUpperCase();
  if (['TRC20', 'TRX', 'TRON', 'TRC-20'].includes(n)) return 'tron';
  if (['ERC20', 'ETH', 'ETHEREUM', 'ERC-20'].includes(n)) return 'ethereum';
  if (n !== '') return undefined;
  // No network column (older Binance layouts): the address says which chain.
  if (address && /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address.trim())) return 'tron';
  if (address && /^0x[0-9a-fA-F]{40}$/.test(address.trim())) return 'ethereum';
  return undefined;
}

/** The form the case stores a chain's transaction hash in: `0x…` lower case on Ethereum, bare lower-case hex on Tron. */
export function canonicalTxid(rail: 'ethereum' | 'tron', txid: string): string | undefined {
  const m = /^(?:0x)?([0-9a-fA-F]{64})$/.exec(txid.trim());
  if (!m) return undefined;
  const hex = m[1]!.toLowerCase();
  return rail === 'ethereum' ? '0x' + hex : hex;
}
