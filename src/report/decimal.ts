import { formatAmount } from '../model/amount.js';

/**
 * Exact arithmetic on the decimal strings of a trace result, so the report can add, subtract and
 * re-check figures without ever going through a float. The amounts of one asset all carry that
 * asset's decimals ("1500.000000"); mixed scales are aligned to the larger.
 */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export function toUnits(text: string, decimals: number): bigint {
  const negative = text.charCodeAt(0) === 45; // '-'
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  let digits: string;
  if (dot < 0) digits = body + '0'.repeat(decimals);
  else {
    const fraction = body.length - dot - 1;
    // The common case: the amount already has the asset's decimals.
    digits =
      fraction === decimals ? body.slice(0, dot) + body.slice(dot + 1) : body.slice(0, dot) + body.slice(dot + 1, dot + 1 + decimals).padEnd(decimals, '0');
  }
  const units = BigInt(digits === '' ? '0' : digits);
  return negative ? -units : units;
}

export { formatAmount as fromUnits };

function scaleOf(values: readonly string[]): number {
  return values.reduce((max, v) => Math.max(max, decimalsOf(v)), 0);
}

export function sumDecimals(values: readonly string[], decimals = scaleOf(values)): string {
  return formatAmount(
    values.reduce((sum, v) => sum + toUnits(v, decimals), 0n),
    decimals,
  );
}
