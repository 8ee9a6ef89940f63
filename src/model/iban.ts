import { HoptraceError } from './errors.js';

/**
 * IBAN validation after ISO 13616-1:2020 and the SWIFT IBAN Registry (release 98, 2024): a
 * two-letter country code, two check digits, and a BBAN whose length the country fixes. The
 * check digits make `BBAN + country + check digits`, read with A = 10 … Z = 35, equal 1 mod 97.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Removes the spacing people and banks write IBANs with (`DE32 5001 0517 …`) and upper-cases. */
export function compactIban(text: string): string {
  return text.replace(/[\s\u00a0\u202f-]+/g, '').toUpperCase();
}

/** True when the text has an IBAN's shape in a registry country (whether or not it is valid). */
export function looksLikeIban(text: string): boolean {
  const compact = compactIban(text);
  return /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact) && IBAN_LENGTHS[compact.slice(0, 2)] !== undefined;
}

/** `BBAN + country + check digits` as a number, mod 97, computed in chunks (no bigint needed). */
function mod97(rearranged: string): number {
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}

export type IbanProblem = 'not-an-iban' | 'unknown-country' | 'length' | 'characters' | 'checksum';

/** Why a text is not a valid IBAN, or undefined when it is one. */
export function ibanProblem(text: string): { problem: IbanProblem; message: string } | undefined {
  const iban = compactIban(text);
  if (!/^[A-Z]{2}\d{2}/.test(iban)) return { problem: 'not-an-iban', message: `${JSON.stringify(text)} is not an IBAN` };
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return { problem: 'unknown-country', message: `IBAN ${iban}: ${country} is not an IBAN country` };
  if (!/^[A-Z0-9]+$/.test(iban)) return { problem: 'characters', message: `IBAN ${iban}: only letters and digits are allowed` };
  if (iban.length !== length) return { problem: 'length', message: `IBAN ${iban}: ${country} IBANs have ${length} characters, this one has ${iban.length}` };
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return { problem: 'checksum', message: `IBAN ${iban}: bad check digits (ISO 13616 mod-97)` };
  return undefined;
}

export function isValidIban(text: string): boolean {
  return ibanProblem(text) === undefined;
}

/** The compact upper-case IBAN, or a HoptraceError saying what is wrong with it. */
export function canonicalIban(text: string): string {
  const problem = ibanProblem(text);
  if (problem)
    throw new HoptraceError(
      problem.message,
      problem.problem === 'checksum' ? { hint: 'a mistyped, altered or anonymised account number; check the source document' } : {},
    );
  return compactIban(text);
}

/** The check digits that make `country + ?? + bban` valid (for building test data and benches). */
export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(bban.toUpperCase() + country.toUpperCase() + '00');
  return String(check).padStart(2, '0');
}

/** A valid IBAN from a country and a BBAN. */
export function makeIban(country: string, bban: string): string {
  return country.toUpperCase() + ibanCheckDigits(country, bban) + bban.toUpperCase();
}
