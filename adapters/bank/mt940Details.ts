/**
 * The `:86:` information-to-account-owner field of MT940 has no single syntax; banks agree on a
 * few dialects, and these are the ones whose counterparty fields are defined (so hoptrace
 * reads them rather than guessing from free text):
 *
 * - German ZKA / DFÜ-Abkommen (Sparkassen, Volksbanken, Deutsche Bank, SEPA snippets):
 *   `GVC?00text?10primanota?20…?29 purpose?30bank code?31account?32?33name?60…?63 purpose`.
 * - Dutch SEPA tags (ABN AMRO, ING, Rabobank, Triodos): `/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…`
 *   and Rabobank's `/CNTP/iban/bic/name/city/`.
 *
 * Anything else is kept as free text in the description.
 */
export interface Mt940Details {
  text: string;
  counterpartyName?: string;
  counterpartyAccount?: string;
  counterpartyBankCode?: string;
  /** The end-to-end reference (EREF) the payer gave, when the bank prints one. */
  endToEnd?: string;
}

const DUTCH_TAGS = [
  'TRTP',
  'IBAN',
  'BIC',
  'NAME',
  'REMI',
  'EREF',
  'MARF',
  'CSID',
  'CNTP',
  'ORDP',
  'BENM',
  'ID',
  'ADDR',
  'ISDT',
  'PREF',
  'SVCL',
  'RTRN',
  'ULTC',
  'ULTD',
  'PURP',
  'USTD',
  'FX',
  'CHGS',
  'RTYP',
];

export function parseMt940Details(lines: readonly string[]): Mt940Details {
  // Banks wrap :86: at 65 characters wherever the text reaches it, even inside a word.
  const joined = lines.join('');
  const german = /^\d{3}\?/.test(joined) || /^\d{3}\s*\?/.test(joined);
  if (german) return parseGerman(joined);
  if (/^\/[A-Z]{2,4}\//.test(joined)) return parseDutch(joined);
  return {
    text: lines
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(' '),
  };
}

function parseGerman(joined: string): Mt940Details {
  const fields = new Map<string, string>();
  for (const match of joined.slice(3).matchAll(/\?\s*(\d{2})([^?]*)/g)) {
    const key = match[1]!;
    fields.set(key, (fields.get(key) ?? '') + match[2]!);
  }
  const purpose = [...range(20, 29), ...range(60, 63)].map((k) => fields.get(String(k))?.trim()).filter((t) => t);
  const name = [fields.get('32'), fields.get('33')]
    .map((t) => t?.trim())
    .filter((t) => t)
    .join(' ');
  const details: Mt940Details = { text: [fields.get('00')?.trim(), ...purpose].filter((t) => t).join(' ') };
  if (name !== '') details.counterpartyName = name;
  const account = fields.get('31')?.replace(/\s+/g, '');
  if (account) details.counterpartyAccount = account;
  const bankCode = fields.get('30')?.replace(/\s+/g, '');
  if (bankCode) details.counterpartyBankCode = bankCode;
  const eref = purpose.map((p) => /^EREF\+(.*)$/.exec(p!)?.[1]).find((e) => e);
  if (eref) details.endToEnd = eref.trim();
  return details;
}

function parseDutch(joined: string): Mt940Details {
  const fields = new Map<string, string>();
  const pattern = new RegExp(`/(${DUTCH_TAGS.join('|')})/`, 'g');
  const starts = [...joined.matchAll(pattern)];
  starts.forEach((match, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : joined.length;
    const value = joined
      .slice(match.index + match[0].length, end)
      .replace(/\/$/, '')
      .trim();
    if (!fields.has(match[1]!)) fields.set(match[1]!, value);
  });
  const details: Mt940Details = { text: [fields.get('TRTP'), fields.get('REMI')?.replace(/^USTD\/\//, '')].filter((t) => t).join(' | ') || joined.trim() };
  const counterpartyTag = fields.get('CNTP') ?? fields.get('BENM') ?? fields.get('ORDP');
  if (counterpartyTag !== undefined && fields.get('CNTP') !== undefined) {
    // /CNTP/account/bic/name/city/
    const [account, bic, name] = counterpartyTag.split('/');
    if (account) details.counterpartyAccount = account.trim();
    if (bic) details.counterpartyBankCode = bic.trim();
    if (name) details.counterpartyName = name.trim();
  }
  const iban = fields.get('IBAN');
  if (iban) details.counterpartyAccount = iban;
  const bic = fields.get('BIC');
  if (bic) details.counterpartyBankCode = bic;
  const name = fields.get('NAME');
  if (name) details.counterpartyName = name;
  const eref = fields.get('EREF');
  if (eref && eref.toUpperCase() !== 'NOTPROVIDED') details.endToEnd = eref;
  return details;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
