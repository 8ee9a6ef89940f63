import { HoptraceError } from './errors.js';
import { normaliseHolderName } from './holderName.js';
import { canonicalIban, looksLikeIban } from './iban.js';

/**
 * Bank account idents (rail `bank`). docs/design.md, "Data model": "a validated IBAN or bank-code:account-number".
 * Statements also name parties without an account number; those get idents that can never be
 * mistaken for an account:
 *
 * - `NL91ABNA0417164300`      a validated IBAN (compact, upper case)
 * - `309457:48201736`         bank code (sort code, BLZ, BIC, or the profile's bank name) : number
 * - `acct:99999999`           an account number whose bank the statement does not say
 * - `name:gert janssen`       no account number: the normalised holder name (src/model/holderName.ts)
 * - `unidentified:<ident>`    neither number nor name (card payments, fees, cash): one sink per
 *                             statement account, "the outside world as this statement shows it"
 */
export const NAME_PREFIX = 'name:';
export const UNKNOWN_BANK_PREFIX = 'acct:';
export const UNIDENTIFIED_PREFIX = 'unidentified:';

/** Removes spreadsheet text guards and spacing around a cell (`'30-94-57` → `30-94-57`, BMO's `'5191…0000'` → `5191…0000`). */
function cleanCell(text: string): string {
  return text
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .replace(/^'+/, '')
    .replace(/^"(.*)"$/, '$1')
    .trim();
}

/** Bank codes compare without separators: sort code `30-94-57` = `309457`, BLZ `500 105 17` = `50010517`. */
export function canonicalBankCode(text: string): string {
  const code = cleanCell(text)
    .replace(/[\s.\-/]+/g, '')
    .toUpperCase();
  if (!/^[A-Z0-9]+$/.test(code)) throw new HoptraceError(`bank code ${JSON.stringify(text)}: only letters and digits are allowed`);
  return code;
}

function canonicalNumber(text: string): string {
  const number = cleanCell(text)
    .replace(/[\s\u00a0]+/g, '')
    .toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9.\-/*]*$/.test(number)) throw new HoptraceError(`account number ${JSON.stringify(text)}: unexpected characters`);
  return number;
}

/**
 * The ident of an account number as a statement prints it: an IBAN (validated: a bad checksum
 * is an error), `bankCode:number` when the bank is known, `acct:number` otherwise.
 */
export function bankAccountIdent(text: string, bankCode?: string): string {
  const cell = cleanCell(text);
  if (cell === '') throw new HoptraceError('empty account number');
  if (looksLikeIban(cell)) return canonicalIban(cell);
  const number = canonicalNumber(cell);
  return bankCode === undefined || bankCode.trim() === '' ? UNKNOWN_BANK_PREFIX + number : `${canonicalBankCode(bankCode)}:${number}`;
}

/**
 * A counterparty cell as a statement or hoptrace's generic layout writes it: any canonical ident
 * form (an IBAN, `BANKCODE:NUMBER`, `acct:NUMBER`, `name:…`) is taken as written, so statements
 * typed up in the generic layout can name domestic accounts (a US routing number, a UK sort code)
 * and match the other statement of the payment (DESIGN, "Data model": account idents). A plain
 * number gets the bank code of a separate column when the profile names one.
 */
export function counterpartyIdent(text: string, bankCode?: string): string {
  const cell = cleanCell(text);
  if (cell === '') throw new HoptraceError('empty account number');
  const lower = cell.toLowerCase();
  if (lower.startsWith(NAME_PREFIX)) {
    const ident = nameIdent(cell.slice(NAME_PREFIX.length));
    if (ident === undefined) throw new HoptraceError(`counterparty ${JSON.stringify(text)}: no name after name:`);
    return ident;
  }
  if (lower.startsWith(UNKNOWN_BANK_PREFIX)) return bankAccountIdent(cell.slice(UNKNOWN_BANK_PREFIX.length), bankCode);
  const colon = cell.indexOf(':');
  if (colon > 0) {
    if (colon === cell.length - 1) throw new HoptraceError(`account ${JSON.stringify(text)}: no number after the bank code`);
    return `${canonicalBankCode(cell.slice(0, colon))}:${canonicalNumber(cell.slice(colon + 1))}`;
  }
  return bankAccountIdent(cell, bankCode);
}

/** `--account` and profile-given idents: an IBAN, or `BANKCODE:NUMBER`. */
export function parseAccountOption(text: string): string {
  const value = text.trim();
  if (looksLikeIban(value)) return canonicalIban(value);
  const colon = value.indexOf(':');
  if (colon > 0 && colon < value.length - 1) return `${canonicalBankCode(value.slice(0, colon))}:${canonicalNumber(value.slice(colon + 1))}`;
  if (/^[A-Z]{2}\d{2}/i.test(value)) return canonicalIban(value);
  throw new HoptraceError(`account ${JSON.stringify(text)}: give an IBAN or BANKCODE:NUMBER (e.g. 309457:48201736)`);
}

export function nameIdent(holderName: string): string | undefined {
  const normal = normaliseHolderName(holderName);
  return normal === '' ? undefined : NAME_PREFIX + normal;
}

export function unidentifiedIdent(ownIdent: string): string {
  return UNIDENTIFIED_PREFIX + ownIdent;
}

/** True for idents that name a real account (an IBAN or bank-code:number): the two-sided match needs one on each side. */
export function isAccountIdent(ident: string): boolean {
  return !ident.startsWith(NAME_PREFIX) && !ident.startsWith(UNIDENTIFIED_PREFIX) && !ident.startsWith(UNKNOWN_BANK_PREFIX);
}
