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
