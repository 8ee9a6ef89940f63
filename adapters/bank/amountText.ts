import { AmountParseError, parseAmount } from '../../src/model/amount.js';

export interface AmountStyle {
  decimal: '.' | ',';
  thousands: readonly string[];
}

// Currency symbols exports print beside figures (`$1,036.47`, `¥20.00`): unambiguous, so dropped.
const SYMBOLS = /[$€£¥￥₩₹₽₺₴]/g;

/**
 * A statement amount in minor units, signed as printed. Besides a leading sign it accepts the
 * accounting forms banks use: a trailing minus (`100,00-`) and parentheses (`(12.50)`).
 */
export function parseStatementAmount(text: string, decimals: number, style: AmountStyle): bigint {
  const plain = plainAmount(text, decimals, style.decimal);
  if (plain !== undefined) return plain;
  let body = text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(SYMBOLS, '')
    .trim();
  // One sign at most: `(-100.00)` is negative twice over, a malformed figure, not a credit (the
  // two minuses cancelled out and a debit was stored as money in).
  let negative = false;
  let signed: string | undefined;
  const sign = (form: string): void => {
    if (signed !== undefined) throw new AmountParseError(text, `two signs (${signed} and ${form})`);
    signed = form;
  };
  if (/^\(.*\)$/.test(body)) {
    sign('parentheses');
    negative = true;
    body = body.slice(1, -1).trim();
  }
  if (/^[0-9.,' ]+-$/.test(body)) {
    sign('a trailing minus');
    negative = true;
    body = body.slice(0, -1).trim();
  }
  if (body.startsWith('-') || body.startsWith('+')) {
    sign(`a leading ${body[0]}`);
    negative = body.startsWith('-');
    body = body.slice(1).trim();
  }
  if (body === '') throw new AmountParseError(text, 'empty');
  if (!style.thousands.includes(' ')) body = body.replace(/ /g, '') === body ? body : rejectSpaces(text);
  const units = parseAmount(body, decimals, { decimalSeparator: style.decimal, thousandsSeparators: style.thousands, allowNegative: false });
  return negative ? -units : units;
}

/** Digits of a plain figure at most: below 2^53, so a Number holds it exactly. */
const PLAIN_DIGITS = 15;

/**
 * The figure most statement cells hold — an optional minus, digits, and at most `decimals` digits
 * after the decimal separator (`-1234.50`) — read in one pass without building strings; anything
 * else (signs, symbols, separators, brackets, more digits) is undefined and goes the long way,
 * which gives the same units for these forms.
 */
function plainAmount(text: string, decimals: number, decimal: '.' | ','): bigint | undefined {
  const length = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const negative = i === 1;
  const start = i;
  let units = 0;
  while (i < length) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    units = units * 10 + c;
    i++;
  }
  let digits = i - start;
  if (digits === 0) return undefined;
  let fraction = 0;
  if (i < length) {
    if (text[i] !== decimal) return undefined;
    i++;
    const fractionStart = i;
    while (i < length) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      units = units * 10 + c;
      i++;
    }
    fraction = i - fractionStart;
    if (fraction === 0 || fraction > decimals) return undefined;
    digits += fraction;
  }
  if (digits + decimals - fraction > PLAIN_DIGITS) return undefined;
  for (let d = fraction; d < decimals; d++) units *= 10;
  return BigInt(negative ? -units : units);
}

function rejectSpaces(text: string): never {
  throw new AmountParseError(text, 'not a number');
}

/** True for an empty cell or a zero amount (debit/credit exports fill the unused side with 0,00). */
export function isBlankAmount(text: string): boolean {
  const body = text.replace(SYMBOLS, '').replace(/[\s']/g, '');
  return body === '' || /^[+-]?0*([.,]0*)?$/.test(body);
}
