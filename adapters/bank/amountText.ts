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
  let body = text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(SYMBOLS, '')
    .trim();
  let negative = false;
  if (/^\(.*\)$/.test(body)) {
    negative = true;
    body = body.slice(1, -1).trim();
  }
  if (/^[0-9.,' ]+-$/.test(body)) {
    negative = !negative;
    body = body.slice(0, -1).trim();
  }
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body.startsWith('-')) negative = !negative;
    body = body.slice(1).trim();
  }
  if (body === '') throw new AmountParseError(text, 'empty');
  if (!style.thousands.includes(' ')) body = body.replace(/ /g, '') === body ? body : rejectSpaces(text);
  const units = parseAmount(body, decimals, { decimalSeparator: style.decimal, thousandsSeparators: style.thousands, allowNegative: false });
  return negative ? -units : units;
}

function rejectSpaces(text: string): never {
  throw new AmountParseError(text, 'not a number');
}

/** True for an empty cell or a zero amount (debit/credit exports fill the unused side with 0,00). */
export function isBlankAmount(text: string): boolean {
  const body = text.replace(SYMBOLS, '').replace(/[\s']/g, '');
  return body === '' || /^[+-]?0*([.,]0*)?$/.test(body);
}
