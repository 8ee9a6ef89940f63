import { bankAccountIdent, counterpartyIdent } from '../../src/model/bankAccount.js';
import { canonicalCurrency, currencyDecimals } from '../../src/model/currency.js';
import { HoptraceError, RowError } from '../../src/model/errors.js';
import { formatLocalDate, type LocalDate } from '../../src/model/localDate.js';
import { isBlankAmount, parseStatementAmount, type AmountStyle } from './amountText.js';
import type { ColumnIndex } from './csvHeader.js';
import type { DateParser } from './dateFormat.js';
import type { BankProfile, ColumnRef, SideColumn } from './profile.js';
import { fingerprintText, meaningfulReference, type StatementRow } from './statementRow.js';

type Side = { in: number; out: number };

/** A profile's columns as 0-based positions in one file's header. */
export interface ResolvedColumns {
  date: number;
  amount?: number;
  direction?: number;
  debit?: number;
  credit?: number;
  fee?: number;
  currency?: number;
  account?: number;
  accountBankCode?: number;
  holder?: number;
  counterpartyAccount?: Side;
  counterpartyBankCode?: Side;
  counterpartyName?: Side;
  reference?: number;
  description: number[];
  balance?: number;
  keep?: number;
  /** Highest position any of these needs (+1): rows shorter than that are padded with empty cells. */
  width: number;
}

/** Resolves every column a profile names; all missing columns are reported at once. */
export function resolveColumns(profile: BankProfile, header: ColumnIndex | undefined, path: string, headerLine: number): ResolvedColumns {
  const missing: string[] = [];
  let width = header?.cells.length ?? 0;
  const find = (ref: ColumnRef): number => {
    const index = header ? header.find(ref) : typeof ref === 'number' ? ref - 1 : undefined;
    if (index === undefined) {
      missing.push(JSON.stringify(ref));
      return -1;
    }
    width = Math.max(width, index + 1);
    return index;
  };
  const side = (ref: SideColumn): Side => (typeof ref === 'object' ? { in: find(ref.in), out: find(ref.out) } : { in: find(ref), out: find(ref) });
  const amount = profile.amount;
  const columns: ResolvedColumns = {
    date: find(profile.date.column),
    description: profile.description.map(find),
    width: 0,
  };
  if ('debit' in amount) {
    columns.debit = find(amount.debit);
    columns.credit = find(amount.credit);
  } else {
    columns.amount = find(amount.column);
    if (amount.direction) columns.direction = find(amount.direction.column);
  }
  if (profile.fee !== undefined) columns.fee = find(profile.fee);
  if ('column' in profile.currency) columns.currency = find(profile.currency.column);
  if (profile.account && 'column' in profile.account) {
    columns.account = find(profile.account.column);
    if (profile.account.bankCodeColumn !== undefined) columns.accountBankCode = find(profile.account.bankCodeColumn);
  }
  if (profile.holder && 'column' in profile.holder) columns.holder = find(profile.holder.column);
  if (profile.counterparty.account !== undefined) columns.counterpartyAccount = side(profile.counterparty.account);
  if (profile.counterparty.bankCode !== undefined) columns.counterpartyBankCode = side(profile.counterparty.bankCode);
  if (profile.counterparty.name !== undefined) columns.counterpartyName = side(profile.counterparty.name);
  if (profile.reference !== undefined) columns.reference = find(profile.reference);
  if (profile.balance !== undefined) columns.balance = find(profile.balance);
  if (profile.keep) columns.keep = find(profile.keep.column);
  if (missing.length > 0) {
    throw new HoptraceError(`profile ${profile.name}: the header has no column ${missing.join(', ')}`, {
      file: path,
      line: headerLine,
      hint: header ? `the header is: ${header.cells.map((c) => c.trim()).join(' | ')}` : 'check the column numbers',
    });
  }
  columns.width = width;
  return columns;
}

export interface CsvRowContext {
  profile: BankProfile;
  columns: ResolvedColumns;
  parseDate: DateParser;
  /** Fields the header has; more is "extra fields". */
  headerWidth: number;
  /** The statement's own account from --account or the preamble. */
  account?: string;
  holder?: string;
  /** Account numbers already turned into idents in this file (statements repeat counterparties). */
  idents?: IdentCache;
  /** The last date text read and its date (parseCsvRow). */
  lastDate?: { text: string; date: LocalDate };
  /** The last currency text read, its code and decimals (parseCsvRow). */
  lastCurrency?: { text: string; currency: string; decimals: number };
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Fields are slices of
 * the 64 KiB text chunk they were read from (adapters/bank/csvRecords.ts), and V8 keeps a slice's
 * whole chunk alive as long as the slice: a remembered account number would keep its chunk, and a
 * statement of many counterparties most of the file, in memory (peak RSS would grow with the file).
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * `bankAccountIdent` and `counterpartyIdent`, remembered per file: a mod-97 check per line adds up
 * over a million lines. Keyed by the account number under its side and bank code (nested maps, so
 * a look-up builds no key string); the numbers and idents kept are detached copies, so at most
 * `capacity` short strings stay in memory, never the chunks they came from.
 */
export class IdentCache {
  private readonly sides = [new Map<string, Map<string, string | Error>>(), new Map<string, Map<string, string | Error>>()] as const;
  private size = 0;

  constructor(private readonly capacity = 100_000) {}

  identOf(number: string, bankCode: string | undefined, counterparty: boolean): string {
    const byBank = this.sides[counterparty ? 1 : 0];
    let byNumber = byBank.get(bankCode ?? '');
    let cached = byNumber?.get(number);
    if (cached === undefined) {
      try {
        cached = detached(counterparty ? counterpartyIdent(number, bankCode) : bankAccountIdent(number, bankCode));
      } catch (error) {
        cached = error as Error;
      }
      if (this.size >= this.capacity) {
        this.sides[0].clear();
        this.sides[1].clear();
        this.size = 0;
        byNumber = undefined;
      }
      if (byNumber === undefined) {
        byNumber = new Map();
        byBank.set(detached(bankCode ?? ''), byNumber);
      }
      byNumber.set(detached(number), cached);
      this.size++;
    }
    if (cached instanceof Error) throw cached;
    return cached;
  }
}

function identOf(context: CsvRowContext, number: string, bankCode: string | undefined, counterparty = false): string {
  if (context.idents) return context.idents.identOf(number, bankCode, counterparty);
  return counterparty ? counterpartyIdent(number, bankCode) : bankAccountIdent(number, bankCode);
}

/** A field, trimmed; '' for a column the profile does not have or a row too short for it. */
function cellOf(fields: readonly string[], index: number | undefined): string {
  if (index === undefined) return '';
  const field = fields[index];
  return field === undefined ? '' : field.trim();
}

/** The field of the side the money moved (some exports have separate columns for payer and payee). */
function sideCell(fields: readonly string[], side: Side | undefined, incoming: boolean): string {
  return side === undefined ? '' : cellOf(fields, incoming ? side.in : side.out);
}

/** The description columns and the extra fields, the non-empty ones joined by ` | `. */
function descriptionOf(fields: readonly string[], columns: readonly number[], extra: readonly string[]): string {
  let description = '';
  for (const index of columns) {
    const text = cellOf(fields, index);
    if (text !== '') description = description === '' ? text : description + ' | ' + text;
  }
  for (const text of extra) description = description === '' ? text : description + ' | ' + text;
  return description;
}

/**
 * One CSV row → a statement line, or the reason it is skipped. Throws RowError for a bad row.
 * Called once per line of a million-line export: cells are read by plain functions (no closure
 * per row), and a date text like the previous row's is not parsed again.
 */
export function parseCsvRow(fields: readonly string[], line: number, context: CsvRowContext): StatementRow | { skip: string } {
  const { profile, columns } = context;
  if (columns.keep !== undefined && profile.keep && !profile.keep.values.includes(cellOf(fields, columns.keep))) {
    return { skip: `${profile.keep.column} is ${JSON.stringify(cellOf(fields, columns.keep))}` };
  }
  let extra: string[] = [];
  if (context.headerWidth > 0 && fields.length > context.headerWidth) {
    extra = fields
      .slice(context.headerWidth)
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (extra.length > 0 && profile.extraFields === 'reject') {
      throw new RowError(
        `row has ${fields.length} fields, the header ${context.headerWidth}`,
        line,
        'a delimiter inside an unquoted field? (extraFields: "description" keeps them)',
      );
    }
  }
  const dateText = cellOf(fields, columns.date);
  const date = parseDateOf(context, dateText);
  if (!date) throw new RowError(`date ${JSON.stringify(dateText)} is not a ${profile.date.format} date`, line);
  const { currency, decimals } = currencyOf(context, 'fixed' in profile.currency ? profile.currency.fixed : cellOf(fields, columns.currency), line);
  // The profile's decimal and thousands separators are the amounts' style.
  const style: AmountStyle = profile;
  // A line with a balance and no amount (Bank of America's "Beginning balance as of …") states a balance, not a payment.
  if (columns.amount !== undefined && columns.balance !== undefined && cellOf(fields, columns.amount) === '' && cellOf(fields, columns.balance) !== '')
    return { skip: 'a balance line without an amount' };
  const amount = rowAmount(fields, columns, profile, decimals, style, line);
  if (amount === 0n) return { skip: 'zero amount (a notice, not a payment)' };
  const account = ownAccount(fields, columns, profile, context, line);
  const incoming = amount > 0n;
  const counterpartyNumber = sideCell(fields, columns.counterpartyAccount, incoming);
  const counterpartyAccount =
    counterpartyNumber === '' ? undefined : identOf(context, counterpartyNumber, sideCell(fields, columns.counterpartyBankCode, incoming) || undefined, true);
  const description = descriptionOf(fields, columns.description, extra);
  const balanceText = cellOf(fields, columns.balance);
  const feeText = cellOf(fields, columns.fee);
  const row: StatementRow = {
    line,
    account,
    date,
    amount,
    currency,
    decimals,
    fingerprint: '',
  };
  // NatWest guards text cells with a leading apostrophe (a spreadsheet's "this is text" mark).
  const holder = columns.holder !== undefined ? cellOf(fields, columns.holder).replace(/^'+/, '') : context.holder;
  if (holder) row.accountHolder = holder;
  // The generic profile (country ZZ) says nothing about which bank keeps the account.
  if (profile.country !== 'ZZ') row.bank = profile.bank;
  if (counterpartyAccount !== undefined) row.counterpartyAccount = counterpartyAccount;
  const counterpartyName = sideCell(fields, columns.counterpartyName, incoming);
  if (counterpartyName !== '') row.counterpartyName = counterpartyName;
  const reference = meaningfulReference(columns.reference === undefined ? undefined : cellOf(fields, columns.reference));
  if (reference !== undefined) row.reference = reference;
  // Only a line without a reference is named by its content (bankLine.ts, deterministicReference).
  else row.fingerprint = fingerprintText([formatLocalDate(date), ...fields.map((f) => f.trim())].join('\u001f'));
  if (description !== '') row.description = description;
  if (balanceText !== '') row.balance = parseStatementAmount(balanceText, decimals, style);
  if (feeText !== '' && !isBlankAmount(feeText)) {
    const fee = parseStatementAmount(feeText, decimals, style);
    row.fee = fee < 0n ? -fee : fee;
  }
  return row;
}

/** The row's date: statements list a day's lines together, so the previous row's date text is parsed once. */
function parseDateOf(context: CsvRowContext, text: string): LocalDate | undefined {
  const memo = context.lastDate;
  if (memo !== undefined && memo.text === text) return memo.date;
  const date = context.parseDate(text);
  if (date !== undefined) context.lastDate = { text, date };
  return date;
}

/** The row's currency and its decimals: a statement's lines are mostly in one currency, so the previous row's text is not checked again. */
function currencyOf(context: CsvRowContext, text: string, line: number): { currency: string; decimals: number } {
  const memo = context.lastCurrency;
  if (memo !== undefined && memo.text === text) return memo;
  const currency = 'fixed' in context.profile.currency ? text : canonicalCurrency(text || missing('currency', line));
  const found = { text, currency, decimals: currencyDecimals(currency) };
  context.lastCurrency = found;
  return found;
}

function missing(what: string, line: number): never {
  throw new RowError(`no ${what}`, line);
}

function rowAmount(fields: readonly string[], columns: ResolvedColumns, profile: BankProfile, decimals: number, style: AmountStyle, line: number): bigint {
  const spec = profile.amount;
  if ('debit' in spec) {
    const debitText = cellOf(fields, columns.debit);
    const creditText = cellOf(fields, columns.credit);
    const debit = isBlankAmount(debitText) ? 0n : parseStatementAmount(debitText, decimals, style);
    const credit = isBlankAmount(creditText) ? 0n : parseStatementAmount(creditText, decimals, style);
    if (debit !== 0n && credit !== 0n) throw new RowError(`both ${spec.debit} (${debitText}) and ${spec.credit} (${creditText}) hold an amount`, line);
    // Debit columns are unsigned in most exports and negative in some: money out either way.
    return debit !== 0n ? -(debit < 0n ? -debit : debit) : credit < 0n ? -credit : credit;
  }
  const text = cellOf(fields, columns.amount);
  if (text === '') throw new RowError(`no amount in ${JSON.stringify(spec.column)}`, line);
  let amount = parseStatementAmount(text, decimals, style);
  if (spec.sign === 'positive-out') amount = -amount;
  if (spec.direction) {
    const flag = cellOf(fields, columns.direction);
    const magnitude = amount < 0n ? -amount : amount;
    if (spec.direction.in.includes(flag)) amount = magnitude;
    else if (spec.direction.out.includes(flag)) amount = -magnitude;
    else
      throw new RowError(
        `direction ${JSON.stringify(flag)} in ${JSON.stringify(spec.direction.column)} is neither ${spec.direction.in.join('/')} (in) nor ${spec.direction.out.join('/')} (out)`,
        line,
      );
  }
  return amount;
}

function ownAccount(fields: readonly string[], columns: ResolvedColumns, profile: BankProfile, context: CsvRowContext, line: number): string {
  if (columns.account === undefined) {
    if (context.account === undefined) throw new RowError('the statement has no account of its own', line, 'give --account');
    return context.account;
  }
  const number = cellOf(fields, columns.account);
  if (number === '')
    throw new RowError(`no account number in ${JSON.stringify(profile.account && 'column' in profile.account ? profile.account.column : '')}`, line);
  const bankCode =
    columns.accountBankCode !== undefined
      ? cellOf(fields, columns.accountBankCode)
      : profile.account && 'bankCode' in profile.account && profile.account.bankCode
        ? profile.account.bankCode
        : profile.name;
  const ident = identOf(context, number, bankCode);
  if (context.account !== undefined && context.account !== ident) {
    throw new RowError(`the row's account ${ident} is not --account ${context.account}`, line);
  }
  return ident;
}
