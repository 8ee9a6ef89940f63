import { createHash } from 'node:crypto';
import { parseAmount } from '../../src/model/amount.js';
import { bankAccountIdent, canonicalBankCode } from '../../src/model/bankAccount.js';
import { canonicalCurrency, currencyDecimals } from '../../src/model/currency.js';
import { HoptraceError, userError } from '../../src/model/errors.js';
import { IBAN_LENGTHS, compactIban } from '../../src/model/iban.js';
import { isValidDate, type LocalDate } from '../../src/model/localDate.js';
import { decodeLegacy, firstInvalidUtf8Line, readFileBytes, type LegacyEncoding } from './legacyText.js';
import { parseMt940Details } from './mt940Details.js';
import { fingerprintText, meaningfulReference, type StatementItem, type StatementReadContext, type StatementRow } from './statementRow.js';

/**
 * SWIFT MT940 (customer statement) and MT942 (interim transaction report), as banks deliver them
 * for production orders: `:20:` reference, `:25:` account, `:28C:` statement number,
 * `:60F:`/`:60M:` opening balance, `:61:` statement lines each followed by `:86:` details,
 * `:62F:`/`:62M:` closing balance; MT942 adds `:34F:` floor limits, `:13D:` time and
 * `:90D:`/`:90C:` counts and sums of debits and credits, which are checked. SWIFT envelopes
 * (`{1:…}{2:…}{4:` … `-}`), bank header lines and SOH/ETX framing are accepted.
 *
 * MT940 has no encoding marker: UTF-8 (ASCII) is read by default; other code pages must be named
 * (`--profile mt940-cp1250`, `mt940-cp852`, `mt940-cp1252`), because a guessed one misspells names.
 */
interface Tag {
  tag: string;
  line: number;
  lines: string[];
}

export async function* readMt940Statement(context: StatementReadContext, encoding: LegacyEncoding = 'utf-8'): AsyncGenerator<StatementItem> {
  const { path } = context;
  const bytes = await readFileBytes(path);
  context.onBytes?.(bytes.length);
  let text: string;
  try {
    text = decodeLegacy(bytes, encoding);
  } catch {
    throw new HoptraceError(`bytes that are not valid ${encoding}`, {
      file: path,
      line: encoding === 'utf-8' ? firstInvalidUtf8Line(bytes) : 1,
      hint: 'MT940 does not say its code page: give --profile mt940-cp1250 (Central Europe, Windows), mt940-cp852 (Central Europe, DOS) or mt940-cp1252 (Western Europe)',
    });
  }
  const { tags, bic } = tokenise(text);
  if (!tags.some((t) => t.tag === '61' || t.tag === '25'))
    throw new HoptraceError('no MT940/MT942 statement in the file (no :25: or :61: tag)', { file: path, line: 1 });
  let statement: Tag[] = [];
  for (const tag of tags) {
    if (tag.tag === '20' && statement.length > 0) {
      yield* readStatement(statement, context, bic);
      statement = [];
    }
    statement.push(tag);
  }
  if (statement.length > 0) yield* readStatement(statement, context, bic);
}

/** Tags with their lines; envelope blocks, framing characters and bank header lines removed. */
function tokenise(text: string): { tags: Tag[]; bic?: string } {
  const tags: Tag[] = [];
  let bic: string | undefined;
  let current: Tag | undefined;
  const lines = text.replace(/[\u0001\u0003]/g, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    let line = raw;
    const envelope = /^\{1:F\d\d([A-Z0-9]{8,12})[^}]*\}(?:\{2:[^}]*\})?(?:\{3:[^}]*\})?\{4:(.*)$/.exec(line);
    if (envelope) {
      bic ??= envelope[1]!.slice(0, 8);
      line = envelope[2]!;
    }
    if (/^-\}?(\{5:.*)?$/.test(line.trim())) {
      current = undefined;
      return;
    }
    const tag = /^:(\d{2}[A-Z]?|NS):(.*)$/.exec(line);
    if (tag) {
      current = { tag: tag[1]!, line: index + 1, lines: [tag[2]!] };
      tags.push(current);
    } else if (current) current.lines.push(line);
    else if (/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(line.trim())) bic ??= line.trim().slice(0, 8);
  });
  return bic === undefined ? { tags } : { tags, bic };
}

function yymmdd(text: string): LocalDate | undefined {
  const year = Number(text.slice(0, 2));
  const date = { year: year + (year < 70 ? 2000 : 1900), month: Number(text.slice(2, 4)), day: Number(text.slice(4, 6)) };
  return isValidDate(date) ? date : undefined;
}

function mt940Amount(text: string, decimals: number): bigint {
  if (!/^\d+(,\d*)?$/.test(text)) throw new HoptraceError(`amount ${JSON.stringify(text)} is not an MT940 amount (digits, decimal comma)`);
  return parseAmount(text.replace(',', '.').replace(/\.$/, ''), decimals);
}

/** `C200101EUR444,29` (`:60F:`, `:62F:`). */
function parseBalance(tag: Tag): { amount: bigint; currency: string; decimals: number; date: LocalDate } {
  const match = /^([CD])(\d{6})([A-Z]{3})(\d+,\d*)\s*$/.exec(tag.lines[0]!.trim());
  if (!match) throw new HoptraceError(`:${tag.tag}: ${JSON.stringify(tag.lines[0])} is not D/C, YYMMDD, currency, amount`, { line: tag.line });
  const date = yymmdd(match[2]!);
  if (!date) throw new HoptraceError(`:${tag.tag}: date ${match[2]} does not exist`, { line: tag.line });
  const currency = canonicalCurrency(match[3]!);
  const decimals = currencyDecimals(currency);
  const units = mt940Amount(match[4]!, decimals);
  return { amount: match[1] === 'D' ? -units : units, currency, decimals, date };
}

/** The `:25:` account: IBAN (maybe with currency), bank code/number, BIC/number/currency, or a number. */
export function mt940AccountIdent(text: string, bic: string | undefined): string {
  const value = text.trim();
  const compact = compactIban(value);
  const country = IBAN_LENGTHS[compact.slice(0, 2)];
  if (/^[A-Z]{2}\d{2}/.test(compact) && country !== undefined) {
    return bankAccountIdent(compact.length === country + 3 && /[A-Z]{3}$/.test(compact) ? compact.slice(0, -3) : compact);
  }
  const parts = value
    .split('/')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length >= 2) return bankAccountIdent(parts[1]!.replace(/(\d)[A-Z]{3}$/, '$1'), canonicalBankCode(parts[0]!));
  return bankAccountIdent(value.replace(/(\d)[A-Z]{3}$/, '$1'), bic);
}

function* readStatement(tags: Tag[], context: StatementReadContext, bic: string | undefined): Generator<StatementItem> {
  const path = context.path;
  const accountTag = tags.find((t) => t.tag === '25');
  let account: string | undefined;
  if (accountTag) {
    try {
      account = mt940AccountIdent(accountTag.lines.join(''), bic);
    } catch (error) {
      throw new HoptraceError(`:25: the statement's account: ${userError(error).message}`, { file: path, line: accountTag.line });
    }
    if (context.account !== undefined && context.account !== account)
      throw new HoptraceError(`the statement's account is ${account}, not --account ${context.account}`, { file: path, line: accountTag.line });
  }
  account ??= context.account;
  if (account === undefined) throw new HoptraceError('the statement has no :25: account', { file: path, line: tags[0]!.line, hint: 'give --account' });
  const statementCurrency = currencyOf(tags);
  const totals = { D: { count: 0, sum: 0n }, C: { count: 0, sum: 0n } };
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    try {
      if (tag.tag === '60F' || tag.tag === '60M' || tag.tag === '62F' || tag.tag === '62M') {
        const balance = parseBalance(tag);
        yield { kind: 'balance', balance: { kind: tag.tag.startsWith('60') ? 'opening' : 'closing', line: tag.line, account, ...balance } };
      } else if (tag.tag === '61') {
        if (!statementCurrency) throw new HoptraceError('no currency: the statement has no :60F: or :34F: before its lines', { line: tag.line });
        const details = tags[i + 1]?.tag === '86' ? tags[i + 1] : undefined;
        const row = statementLine(tag, details, account, statementCurrency);
        const side = row.amount < 0n ? totals.D : totals.C;
        side.count++;
        side.sum += row.amount < 0n ? -row.amount : row.amount;
        yield { kind: 'row', row };
      } else if (tag.tag === '90D' || tag.tag === '90C') {
        const reject = checkTotals(tag, tag.tag === '90D' ? totals.D : totals.C);
        if (reject) yield reject;
      }
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line: error.line ?? tag.line, reason: error.hint ? `${error.message} — ${error.hint}` : error.message };
    }
  }
  // An MT940 statement (it opens with :60F: or :60M:; an MT942 report has neither) ends with its
  // closing balance, which is what checks its lines: without one, a file cut short after a line
  // reads as a whole statement, and the lines after the cut are missing. Said, not refused: some
  // exports (and the library samples of test/fixtures/mt940-wolph) leave it out.
  const opening = tags.find((t) => t.tag === '60F' || t.tag === '60M');
  const closes = tags.some((t) => t.tag === '62F' || t.tag === '62M');
  if (opening && !closes) {
    yield {
      kind: 'note',
      message: `the statement of ${account} (line ${tags[0]!.line}) has an opening balance (:${opening.tag}:) but no closing balance (:62F: or :62M:): its lines cannot be checked against one, and a file cut short looks like this — lines after line ${tags[tags.length - 1]!.line} may be missing`,
    };
  }
}

/** The statement's currency: from its opening balance, or in an MT942 from its floor limit or totals. */
function currencyOf(tags: readonly Tag[]): string | undefined {
  const patterns: Record<string, RegExp> = {
    '60F': /^[CD]\d{6}([A-Z]{3})/,
    '60M': /^[CD]\d{6}([A-Z]{3})/,
    '34F': /^([A-Z]{3})/,
    '90D': /^\d+([A-Z]{3})/,
    '90C': /^\d+([A-Z]{3})/,
  };
  for (const tag of tags) {
    const code = patterns[tag.tag]?.exec(tag.lines[0]!.trim())?.[1];
    if (code !== undefined) return canonicalCurrency(code);
  }
  return undefined;
}

// MT942 `:90D:1EUR2,30`: number and sum of the debit lines (`:90C:` credits).
function checkTotals(tag: Tag, seen: { count: number; sum: bigint }): StatementItem | undefined {
  const match = /^(\d+)([A-Z]{3})(\d+,\d*)$/.exec(tag.lines[0]!.trim());
  if (!match) throw new HoptraceError(`:${tag.tag}: ${JSON.stringify(tag.lines[0])} is not count, currency, amount`, { line: tag.line });
  const decimals = currencyDecimals(match[2]!);
  const sum = mt940Amount(match[3]!, decimals);
  if (Number(match[1]) === seen.count && sum === seen.sum) return undefined;
  const which = tag.tag === '90D' ? 'debit' : 'credit';
  return {
    kind: 'reject',
    line: tag.line,
    reason: `balance: :${tag.tag}: reports ${match[1]} ${which} lines of ${match[3]} ${match[2]}, the report holds ${seen.count} of ${formatUnits(seen.sum, decimals)}`,
  };
}

function formatUnits(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)},${digits.slice(-decimals)}`;
}

// :61: value date YYMMDD, [entry date MMDD], mark C/D/RC/RD, [funds code], amount, type, references
// Knab writes whole amounts without the comma SWIFT asks for (`C500NTRF`): accepted as whole units.
const LINE = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+(?:,\d*)?)([A-Z][A-Z0-9 ]{3})(.*)$/;

function statementLine(tag: Tag, details: Tag | undefined, account: string, currency: string): StatementRow {
  const first = tag.lines[0]!.trim();
  const match = LINE.exec(first);
  if (!match) throw new HoptraceError(`:61: ${JSON.stringify(first)} is not an MT940 statement line`, { line: tag.line });
  const valueDate = yymmdd(match[1]!);
  const date = match[2] ? entryDate(match[1]!, match[2]) : valueDate;
  if (!date) throw new HoptraceError(`:61: the booking date of ${JSON.stringify(first.slice(0, 10))} does not exist`, { line: tag.line });
  const decimals = currencyDecimals(currency);
  let units: bigint;
  try {
    units = mt940Amount(match[5]!, decimals);
  } catch (error) {
    throw new HoptraceError(userError(error).message, { line: tag.line });
  }
  // RC reverses a credit (money out), RD a debit (money in).
  const outgoing = match[3] === 'D' || match[3] === 'RC';
  const [customerRef, bankRef] = (match[7] ?? '').split('//').map((s) => s.trim());
  const parsed = details ? parseMt940Details(details.lines) : { text: '' };
  const supplementary = tag.lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  const row: StatementRow = {
    line: tag.line,
    account,
    date,
    amount: outgoing ? -units : units,
    currency,
    decimals,
    fingerprint: createHash('sha256')
      .update(fingerprintText([...tag.lines, ...(details?.lines ?? [])].join('\n')))
      .digest('hex'),
  };
  const reference = meaningfulReference(bankRef) ?? meaningfulReference(customerRef);
  if (reference !== undefined) row.reference = reference;
  const description = [match[3]!.startsWith('R') ? 'reversal' : undefined, supplementary, parsed.text].filter((t) => t !== undefined && t !== '').join(' | ');
  if (description !== '') row.description = description;
  if (parsed.counterpartyName) row.counterpartyName = parsed.counterpartyName;
  if (parsed.counterpartyAccount) {
    try {
      const ident = bankAccountIdent(parsed.counterpartyAccount, parsed.counterpartyBankCode);
      if (ident !== account) row.counterpartyAccount = ident;
    } catch (error) {
      const hint = userError(error).hint;
      throw new HoptraceError(`:86: counterparty account: ${(error as Error).message}`, { line: details!.line, ...(hint ? { hint } : {}) });
    }
  }
  return row;
}

/** Entry date MMDD takes its year from the value date, across a year end either way. */
function entryDate(value: string, entry: string): LocalDate | undefined {
  let year = Number(value.slice(0, 2));
  year += year < 70 ? 2000 : 1900;
  const valueMonth = Number(value.slice(2, 4));
  const month = Number(entry.slice(0, 2));
  if (valueMonth === 12 && month === 1) year++;
  else if (valueMonth === 1 && month === 12) year--;
  const date = { year, month, day: Number(entry.slice(2, 4)) };
  return isValidDate(date) ? date : undefined;
}
