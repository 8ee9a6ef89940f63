/**
 * Which bank to write to for an account ident: the bank code inside an IBAN (its position is
 * fixed per country by the national BBAN format), or the code of a `BANKCODE:NUMBER` ident. The
 * case knows no bank names; the agency's template or its letter register supplies them.
 */
const IBAN_BANK_CODE: Readonly<Record<string, [start: number, length: number]>> = {
  DE: [4, 8],
  AT: [4, 5],
  CH: [4, 5],
  NL: [4, 4],
  BE: [4, 3],
  GB: [4, 10],
  IE: [4, 10],
  FR: [4, 5],
  ES: [4, 4],
  IT: [5, 5],
  PT: [4, 4],
  LU: [4, 3],
  PL: [4, 8],
  CZ: [4, 4],
  DK: [4, 4],
  SE: [4, 3],
  NO: [4, 4],
  FI: [4, 3],
};

export function bankOf(ident: string): string {
  const iban = /^([A-Z]{2})\d{2}[A-Z0-9]+$/.exec(ident);
  if (iban) {
    const [start, length] = IBAN_BANK_CODE[iban[1]!] ?? [4, 4];
    return `bank ${iban[1]} ${ident.slice(start, start + length)}`;
  }
  const domestic = /^([^:]+):/.exec(ident);
  if (domestic && !['acct', 'name', 'unidentified'].includes(domestic[1]!)) return `bank ${domestic[1]}`;
  return 'bank (unknown: the case has no bank code for this account)';
}
