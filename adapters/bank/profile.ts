/**
 * A bank profile says how one bank's CSV export is laid out, so one reader handles every bank.
 * Profiles are JSON (adapters/bank/profiles/*.json, or a user's file given to --profile); the
 * README's "Bank statements" section documents every field. `validateProfile` collects every
 * problem it finds (not just the first), because a user writing a profile fixes them all at once.
 */

/** A column: its header name (`Währung#2` is the second column of that name) or its 1-based position. */
export type ColumnRef = string | number;
/** A column, or one column for money coming in and another for money going out. */
export type SideColumn = ColumnRef | { in: ColumnRef; out: ColumnRef };

export const PROFILE_ENCODINGS = ['auto', 'utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
export type ProfileEncoding = (typeof PROFILE_ENCODINGS)[number];
export const STATEMENT_ORDERS = ['oldest-first', 'newest-first', 'auto'] as const;
export type StatementOrder = (typeof STATEMENT_ORDERS)[number];

export type AmountSpec =
  | { column: ColumnRef; sign: 'negative-out' | 'positive-out'; direction?: { column: ColumnRef; in: string[]; out: string[] } }
  | { debit: ColumnRef; credit: ColumnRef };

export interface BankProfile {
  name: string;
  bank: string;
  /** ISO 3166-1 alpha-2 country of the bank. */
  country: string;
  /** What the export looks like and where it comes from (free text). */
  notes: string;
  /** The real export this profile was tested against (test/fixtures/…). */
  sample?: string;
  encoding: ProfileEncoding;
  /** One delimiter, or several to try (the one whose header matches the signature wins). */
  delimiters: string[];
  /** The character that escapes a quote inside a quoted field: `"` (doubled quotes, the default) or `\\`. */
  escape: string;
  header: boolean;
  /** Header cells the file must contain (case and spacing ignored): what auto-detection looks for. */
  signature: string[];
  /** For header-less exports: a regular expression the first data line matches (auto-detection). */
  linePattern?: string;
  /** Lines before the header (or the data). Undefined: the header is searched in the first 50 lines. */
  preambleLines?: number;
  footerLines: number;
  date: { column: ColumnRef; format: string };
  timeZone: string;
  decimal: '.' | ',';
  thousands: string[];
  amount: AmountSpec;
  fee?: ColumnRef;
  currency: { column: ColumnRef } | { fixed: string };
  account?: { column: ColumnRef; bankCode?: string; bankCodeColumn?: ColumnRef } | { preamble: string; bankCode?: string };
  holder?: { column: ColumnRef } | { preamble: string };
  counterparty: { account?: SideColumn; bankCode?: SideColumn; name?: SideColumn };
  reference?: ColumnRef;
  description: ColumnRef[];
  /** What to do with fields beyond the header: append them to the description, or reject the row. */
  extraFields: 'description' | 'reject';
  balance?: ColumnRef;
  order: StatementOrder;
  /** Keep only rows whose column holds one of these values (others are counted as skipped). */
  keep?: { column: ColumnRef; values: string[] };
  /** XLSX statements: the sheet to read, by name or 1-based index (default: the first with the header). */
  sheet?: string | number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const TOP_LEVEL_KEYS = [
  '$comment', 'format', 'name', 'bank', 'country', 'notes', 'sample', 'encoding', 'delimiter', 'escape', 'header', 'signature',
  'linePattern', 'preambleLines', 'footerLines', 'date', 'timeZone', 'decimal', 'thousands', 'amount', 'fee', 'currency',
  'account', 'holder', 'counterparty', 'reference', 'description', 'extraFields', 'balance', 'order', 'keep', 'sheet',
];

class ProfileProblems {
  readonly errors: string[] = [];
  add(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: JsonObject, allowed: readonly string[], path: string, problems: ProfileProblems): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.add(path ? `${path}.${key}` : key, `unknown field (expected one of ${allowed.filter((k) => k !== '$comment').join(', ')})`);
  }
}

function columnRef(value: Json | undefined, path: string, problems: ProfileProblems): ColumnRef | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  problems.add(path, 'expected a column: its header name or its 1-based position');
  return undefined;
}

function sideColumn(value: Json | undefined, path: string, problems: ProfileProblems): SideColumn | undefined {
  if (isObject(value)) {
    checkKeys(value, ['in', 'out'], path, problems);
    const incoming = columnRef(value['in'], `${path}.in`, problems);
    const outgoing = columnRef(value['out'], `${path}.out`, problems);
    return incoming !== undefined && outgoing !== undefined ? { in: incoming, out: outgoing } : undefined;
  }
  return columnRef(value, path, problems);
}

function text(value: Json | undefined, path: string, problems: ProfileProblems, required = true): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.add(path, 'expected a non-empty string');
  return undefined;
}

function stringList(value: Json | undefined, path: string, problems: ProfileProblems): string[] | undefined {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  problems.add(path, 'expected a non-empty list of strings');
  return undefined;
}

function regex(value: Json | undefined, path: string, problems: ProfileProblems, groups: number): string | undefined {
  const source = text(value, path, problems);
  if (source === undefined) return undefined;
  try {
    const compiled = new RegExp(source + '|');
    const found = (compiled.exec('')?.length ?? 1) - 1;
    if (found < groups) problems.add(path, `the regular expression needs ${groups} capturing group (the value to take)`);
  } catch (error) {
    problems.add(path, `not a regular expression: ${(error as Error).message}`);
  }
  return source;
}

function oneOf<T extends string>(value: Json | undefined, allowed: readonly T[], fallback: T, path: string, problems: ProfileProblems): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.add(path, `expected one of ${allowed.join(', ')}`);
  return fallback;
}

function count(value: Json | undefined, path: string, problems: ProfileProblems): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  problems.add(path, 'expected a whole number ≥ 0');
  return undefined;
}

function parseAmountSpec(value: Json | undefined, problems: ProfileProblems): AmountSpec | undefined {
  if (!isObject(value)) {
    problems.add('amount', 'expected {"column": …}, {"column": …, "direction": {…}} or {"debit": …, "credit": …}');
    return undefined;
  }
  if ('debit' in value || 'credit' in value) {
    checkKeys(value, ['debit', 'credit'], 'amount', problems);
    const debit = columnRef(value['debit'], 'amount.debit', problems);
    const credit = columnRef(value['credit'], 'amount.credit', problems);
    return debit !== undefined && credit !== undefined ? { debit, credit } : undefined;
  }
  checkKeys(value, ['column', 'sign', 'direction'], 'amount', problems);
  const column = columnRef(value['column'], 'amount.column', problems);
  const sign = oneOf(value['sign'], ['negative-out', 'positive-out'] as const, 'negative-out', 'amount.sign', problems);
  let direction: { column: ColumnRef; in: string[]; out: string[] } | undefined;
  const rawDirection = value['direction'];
  if (rawDirection !== undefined) {
    if (!isObject(rawDirection)) problems.add('amount.direction', 'expected {"column": …, "in": [...], "out": [...]}');
    else {
      checkKeys(rawDirection, ['column', 'in', 'out'], 'amount.direction', problems);
      const directionColumn = columnRef(rawDirection['column'], 'amount.direction.column', problems);
      const incoming = stringList(rawDirection['in'], 'amount.direction.in', problems);
      const outgoing = stringList(rawDirection['out'], 'amount.direction.out', problems);
      if (directionColumn !== undefined && incoming && outgoing) direction = { column: directionColumn, in: incoming, out: outgoing };
    }
  }
  if (column === undefined) return undefined;
  return direction ? { column, sign, direction } : { column, sign };
}

function parseAccountSpec(value: Json | undefined, problems: ProfileProblems): BankProfile['account'] {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.add('account', 'expected {"column": …} or {"preamble": "regex"}');
    return undefined;
  }
  const bankCode = text(value['bankCode'], 'account.bankCode', problems, false);
  if ('preamble' in value) {
    checkKeys(value, ['preamble', 'bankCode'], 'account', problems);
    const preamble = regex(value['preamble'], 'account.preamble', problems, 1);
    if (preamble === undefined) return undefined;
    return bankCode === undefined ? { preamble } : { preamble, bankCode };
  }
  checkKeys(value, ['column', 'bankCode', 'bankCodeColumn'], 'account', problems);
  const column = columnRef(value['column'], 'account.column', problems);
  const bankCodeColumn = value['bankCodeColumn'] === undefined ? undefined : columnRef(value['bankCodeColumn'], 'account.bankCodeColumn', problems);
  if (column === undefined) return undefined;
  return { column, ...(bankCode === undefined ? {} : { bankCode }), ...(bankCodeColumn === undefined ? {} : { bankCodeColumn }) };
}

export interface ProfileValidation {
  profile?: BankProfile;
  errors: string[];
}

/** Checks a parsed JSON profile against the schema; `profile` is set only when there is no error. */
export function validateProfile(raw: unknown): ProfileValidation {
  const problems = new ProfileProblems();
  const value = raw as Json;
  if (!isObject(value)) return { errors: ['the profile must be a JSON object'] };
  checkKeys(value, TOP_LEVEL_KEYS, '', problems);
  if (value['format'] !== undefined && value['format'] !== 'csv') problems.add('format', 'only "csv" profiles exist (camt and MT940 are detected without one)');
  const name = text(value['name'], 'name', problems);
  if (name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(name)) problems.add('name', 'use lower-case letters, digits and dashes');
  const bank = text(value['bank'], 'bank', problems);
  const country = text(value['country'], 'country', problems);
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) problems.add('country', 'expected an ISO 3166 two-letter code such as DE');
  const delimiterValue = value['delimiter'] ?? ',';
  const delimiters = typeof delimiterValue === 'string' ? [delimiterValue] : Array.isArray(delimiterValue) ? delimiterValue : [];
  if (delimiters.length === 0 || !delimiters.every((d) => typeof d === 'string' && d.length === 1)) problems.add('delimiter', 'expected one character, or a list of them');
  const escape = value['escape'] ?? '"';
  if (typeof escape !== 'string' || escape.length !== 1) problems.add('escape', 'expected one character (" or \\)');
  const header = value['header'] ?? true;
  if (typeof header !== 'boolean') problems.add('header', 'expected true or false');
  const signature = value['signature'] === undefined && header === false ? [] : stringList(value['signature'], 'signature', problems);
  const linePattern = value['linePattern'] === undefined ? undefined : regex(value['linePattern'], 'linePattern', problems, 0);
  if (header === false && linePattern === undefined) problems.add('linePattern', 'a header-less profile needs a linePattern for auto-detection');
  const date = value['date'];
  let dateSpec: BankProfile['date'] | undefined;
  if (!isObject(date)) problems.add('date', 'expected {"column": …, "format": "DD.MM.YYYY"}');
  else {
    checkKeys(date, ['column', 'format'], 'date', problems);
    const column = columnRef(date['column'], 'date.column', problems);
    const format = text(date['format'], 'date.format', problems);
    if (format !== undefined && !/YY/.test(format)) problems.add('date.format', 'needs a year (YYYY or YY), a month (MM, M or Mon) and a day (DD or D)');
    if (column !== undefined && format !== undefined) dateSpec = { column, format };
  }
  const timeZone = text(value['timeZone'] ?? 'UTC', 'timeZone', problems) ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.add('timeZone', `unknown time zone ${JSON.stringify(timeZone)} (use an IANA name such as Europe/Berlin)`);
  }
  const decimal = oneOf(value['decimal'], ['.', ','] as const, '.', 'decimal', problems);
  const thousandsValue = value['thousands'] ?? [];
  const thousands = typeof thousandsValue === 'string' ? (thousandsValue === '' ? [] : [thousandsValue]) : Array.isArray(thousandsValue) ? thousandsValue : null;
  if (thousands === null || !thousands.every((t) => typeof t === 'string' && t.length === 1 && t !== decimal)) problems.add('thousands', 'expected a character (or a list) different from the decimal separator');
  const amount = parseAmountSpec(value['amount'], problems);
  const fee = value['fee'] === undefined ? undefined : columnRef(value['fee'], 'fee', problems);
  let currency: BankProfile['currency'] | undefined;
  const rawCurrency = value['currency'];
  if (isObject(rawCurrency) && 'fixed' in rawCurrency) {
    checkKeys(rawCurrency, ['fixed'], 'currency', problems);
    const fixed = text(rawCurrency['fixed'], 'currency.fixed', problems);
    if (fixed !== undefined && !/^[A-Z]{3}$/.test(fixed)) problems.add('currency.fixed', 'expected an ISO 4217 code such as EUR');
    if (fixed !== undefined) currency = { fixed };
  } else if (isObject(rawCurrency)) {
    checkKeys(rawCurrency, ['column'], 'currency', problems);
    const column = columnRef(rawCurrency['column'], 'currency.column', problems);
    if (column !== undefined) currency = { column };
  } else problems.add('currency', 'expected {"column": …} or {"fixed": "EUR"}');
  const account = parseAccountSpec(value['account'], problems);
  let holder: BankProfile['holder'];
  const rawHolder = value['holder'];
  if (rawHolder !== undefined) {
    if (isObject(rawHolder) && 'preamble' in rawHolder) {
      checkKeys(rawHolder, ['preamble'], 'holder', problems);
      const preamble = regex(rawHolder['preamble'], 'holder.preamble', problems, 1);
      if (preamble !== undefined) holder = { preamble };
    } else if (isObject(rawHolder)) {
      checkKeys(rawHolder, ['column'], 'holder', problems);
      const column = columnRef(rawHolder['column'], 'holder.column', problems);
      if (column !== undefined) holder = { column };
    } else problems.add('holder', 'expected {"column": …} or {"preamble": "regex"}');
  }
  const counterparty: BankProfile['counterparty'] = {};
  const rawCounterparty = value['counterparty'];
  if (rawCounterparty !== undefined) {
    if (!isObject(rawCounterparty)) problems.add('counterparty', 'expected {"account": …, "bankCode": …, "name": …}');
    else {
      checkKeys(rawCounterparty, ['account', 'bankCode', 'name'], 'counterparty', problems);
      for (const key of ['account', 'bankCode', 'name'] as const) {
        if (rawCounterparty[key] === undefined) continue;
        const column = sideColumn(rawCounterparty[key], `counterparty.${key}`, problems);
        if (column !== undefined) counterparty[key] = column;
      }
    }
  }
  const reference = value['reference'] === undefined ? undefined : columnRef(value['reference'], 'reference', problems);
  const rawDescription = value['description'];
  const description: ColumnRef[] = [];
  if (Array.isArray(rawDescription)) rawDescription.forEach((item, i) => {
    const column = columnRef(item, `description[${i}]`, problems);
    if (column !== undefined) description.push(column);
  });
  else if (rawDescription !== undefined) problems.add('description', 'expected a list of columns (joined with " | ")');
  const notes = text(value['notes'], 'notes', problems, false) ?? '';
  const balance = value['balance'] === undefined ? undefined : columnRef(value['balance'], 'balance', problems);
  const order = oneOf(value['order'], STATEMENT_ORDERS, 'auto', 'order', problems);
  const extraFields = oneOf(value['extraFields'], ['description', 'reject'] as const, 'reject', 'extraFields', problems);
  const encoding = oneOf(value['encoding'], PROFILE_ENCODINGS, 'auto', 'encoding', problems);
  const preambleLines = count(value['preambleLines'], 'preambleLines', problems);
  const footerLines = count(value['footerLines'], 'footerLines', problems) ?? 0;
  let keep: BankProfile['keep'];
  const rawKeep = value['keep'];
  if (rawKeep !== undefined) {
    if (!isObject(rawKeep)) problems.add('keep', 'expected {"column": …, "values": [...]}');
    else {
      checkKeys(rawKeep, ['column', 'values'], 'keep', problems);
      const column = columnRef(rawKeep['column'], 'keep.column', problems);
      const values = stringList(rawKeep['values'], 'keep.values', problems);
      if (column !== undefined && values) keep = { column, values };
    }
  }
  const sample = text(value['sample'], 'sample', problems, false);
  const rawSheet = value['sheet'];
  let sheet: string | number | undefined;
  if (rawSheet !== undefined) {
    if ((typeof rawSheet === 'string' && rawSheet.trim() !== '') || (typeof rawSheet === 'number' && Number.isInteger(rawSheet) && rawSheet >= 1)) sheet = rawSheet;
    else problems.add('sheet', 'expected a sheet name or its 1-based position');
  }
  if (problems.errors.length > 0 || !name || !bank || !country || !dateSpec || !amount || !currency || !signature) return { errors: problems.errors };
  const profile: BankProfile = {
    name,
    bank,
    country,
    notes,
    encoding,
    delimiters: delimiters as string[],
    escape: escape as string,
    header: header as boolean,
    signature,
    footerLines,
    date: dateSpec,
    timeZone,
    decimal,
    thousands: thousands as string[],
    amount,
    currency,
    counterparty,
    description,
    extraFields,
    order,
  };
  return { profile: Object.assign(profile, stripUndefined({ sample, linePattern, preambleLines, fee, account, holder, reference, balance, keep, sheet })), errors: [] };
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
