import { HoptraceError } from '../../src/model/errors.js';
import type { Rail } from '../../src/model/types.js';

/** The two USDT deployments hoptrace follows by default; both have 6 decimals. */
export const USDT_ETHEREUM = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
export const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
export const USDT_DECIMALS = 6;

/** `usdt` (default): only USDT; `all`: every token; otherwise one contract address. */
export type TokenFilter = 'usdt' | 'all' | { rail: Rail; contract: string };

export function usdtContract(rail: Rail): string | undefined {
  return rail === 'ethereum' ? USDT_ETHEREUM : rail === 'tron' ? USDT_TRON : undefined;
}

export function tokenWanted(filter: TokenFilter, rail: Rail, contract: string): boolean {
  if (filter === 'all') return true;
  if (filter === 'usdt') return contract === usdtContract(rail);
  return filter.rail === rail && filter.contract === contract;
}

/** Symbol stored as the transfer's asset: USDT by contract (a spam token may call itself USDT). */
export function assetSymbol(rail: Rail, contract: string, claimedSymbol: string | undefined): string {
  if (contract === usdtContract(rail)) return 'USDT';
  const symbol = (claimedSymbol ?? '').trim();
  return symbol === '' || symbol === 'USDT' ? `TOKEN:${contract}` : `${symbol}:${contract}`;
}

/**
 * The decimals an export declares for a token, checked: USDT has 6 on both chains, so a USDT row
 * that says otherwise is damaged (its amount would be off by powers of ten); a missing value is 6
 * for USDT and an error for any other token, whose decimals nothing else tells.
 */
export function tokenDecimals(rail: Rail, contract: string, declared: string | number | undefined): number {
  const text = declared === undefined ? '' : String(declared).trim();
  const isUsdt = contract === usdtContract(rail);
  if (text === '') {
    if (isUsdt) return USDT_DECIMALS;
    throw new HoptraceError(`no token decimals for token ${contract}`);
  }
  if (!/^\d{1,2}$/.test(text) || Number(text) > 36) throw new HoptraceError(`token decimals ${JSON.stringify(text)} is not a number from 0 to 36`);
  const decimals = Number(text);
  if (isUsdt && decimals !== USDT_DECIMALS) throw new HoptraceError(`token decimals ${decimals} for USDT, which has ${USDT_DECIMALS}`);
  return decimals;
}
