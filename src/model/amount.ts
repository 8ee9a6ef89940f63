import { HoptraceError } from './errors.js';

/**
 * Money is an integer count of minor units. Parsing is exact string arithmetic (no float ever
 * touches a figure); why integers suffice: docs/design.md, "Data model".
 * @public vocabulary (STYLE.md) that no module names yet
 */
export interface Amount {
  readonly units: bigint;
  readonly decimals: number;
}

export interface ParseAmountOptions {
  /** Character separating the fraction: '.' (default) or ','. */
  decimalSeparator?: string;
  /** Thousands separators accepted and removed (default: ',' when the decimal separator is '.'). */
  thousandsSeparators?: readonly string[];
  /** Accept a leading minus sign (bank amounts); token values never are negative. */
  allowNegative?: boolean;
  /**
   * What to do with more fraction digits than `decimals`: 'reject' (default) or 'truncate'.
   * Etherscan writes token values at full precision, so a 6-decimal token never needs truncation.
   */
  excessPrecision?: 'reject' | 'truncate';
}

export class AmountParseError extends HoptraceError {
  constructor(text: string, reason: string) {
    super(`amount ${JSON.stringify(text)}: ${reason}`);
    this.name = 'AmountParseError';
  }
}

/** Parse a decimal string into minor units, exactly. Throws AmountParseError. */
export function parseAmount(text: string, decimals: number, options: ParseAmountOptions = {}): bigint {
  const decimalSeparator = options.decimalSeparator ?? '.';
  const thousands = options.thousandsSeparators ?? (decimalSeparator === '.' ? [','] : ['.', ' ', "'"]);
  let body = text.trim();
  if (body === '') throw new AmountParseError(text, 'empty');
  // A number in scientific notation (1.5E+21, as spreadsheets write large amounts); other text with an e is not a number.
  if (/^[+-]?[\d.,]*\d[eE][+-]?\d+$/.test(body)) throw new AmountParseError(text, 'scientific notation is not accepted (the export lost precision)');
  let negative = false;
  if (body.startsWith('-') || body.startsWith('+')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  if (negative && !options.allowNegative) throw new AmountParseError(text, 'negative value');
  const decimalAt = body.lastIndexOf(decimalSeparator);
  let whole = decimalAt < 0 ? body : body.slice(0, decimalAt);
  let fraction = decimalAt < 0 ? '' : body.slice(decimalAt + 1);
  for (const sep of thousands) {
    if (sep !== decimalSeparator && whole.includes(sep)) whole = removeThousands(whole, sep, text);
  }
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || whole + fraction === '' || (decimalAt >= 0 && fraction === '')) {
    throw new AmountParseError(text, 'not a number');
  }
  if (fraction.length > decimals) {
    if (/[^0]/.test(fraction.slice(decimals)) && options.excessPrecision !== 'truncate') {
      throw new AmountParseError(text, `more than ${decimals} decimal places`);
    }
    fraction = fraction.slice(0, decimals);
  }
  const units = BigInt((whole === '' ? '0' : whole) + fraction.padEnd(decimals, '0'));
  return negative ? -units : units;
}

// A thousands separator must split the integer part into groups of three: "1,2.5" is a typo,
// not 12.5, and accepting it silently would change a figure.
function removeThousands(whole: string, sep: string, original: string): string {
  const groups = whole.split(sep);
  if (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) {
    throw new AmountParseError(original, `misplaced thousands separator '${sep}'`);
  }
  return groups.join('');
}

/** Integer base units given as a string (TronScan `quant`, TronGrid `value`, hex log data). */
export function parseUnits(text: string): bigint {
  const s = text.trim();
  if (/^\d+$/.test(s)) return BigInt(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return BigInt(s);
  if (/^-/.test(s)) throw new AmountParseError(text, 'negative value');
  if (/[eE]/.test(s)) throw new AmountParseError(text, 'scientific notation is not accepted (the export lost precision)');
  throw new AmountParseError(text, 'not an integer count of base units');
}

/**
 * parseUnits' answer for plain digits up to 15 of them (what TronGrid's `value` nearly always is),
 * or undefined for any other text, which parseUnits then reads or rejects. Fifteen digits stay
 * below 2^53, so the figure is exact as a number before it becomes a bigint.
 */
export function unitsFromDigits(text: string): bigint | undefined {
  const length = text.length;
  if (length === 0 || length > 15) return undefined;
  let units = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    units = units * 10 + digit;
  }
  return BigInt(units);
}

/** Format minor units as a plain decimal string with exactly `decimals` places: "1250.500000". */
export function formatAmount(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return (negative ? '-' : '') + whole + (decimals > 0 ? '.' + fraction : '');
}

/** floor(a × b ÷ c) in bigint, the one rounding every proportional rule uses. */
export function mulDivFloor(a: bigint, b: bigint, c: bigint): bigint {
  if (c === 0n) return 0n;
  return (a * b) / c;
}
