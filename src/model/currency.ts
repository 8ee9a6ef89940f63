import { HoptraceError } from './errors.js';

/**
 * Minor-unit exponents of ISO 4217 (list one, 2024): most currencies have 2 decimals; these do
 * not. A bank amount is stored as an integer count of the currency's minor units.
 */
const ZERO_DECIMALS = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const FOUR_DECIMALS = ['CLF', 'UYW'];

export function currencyDecimals(code: string): number {
  if (ZERO_DECIMALS.includes(code)) return 0;
  if (THREE_DECIMALS.includes(code)) return 3;
  if (FOUR_DECIMALS.includes(code)) return 4;
  return 2;
}

/** Upper-cased ISO 4217 code (`eur` → `EUR`), or an error for anything that is not three letters. */
export function canonicalCurrency(text: string): string {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new HoptraceError(`currency ${JSON.stringify(text)} is not an ISO 4217 code`);
  return code;
}
