import { bankAccountIdent } from '../../src/model/bankAccount.js';
import { HoptraceError, userError } from '../../src/model/errors.js';
import { readHeadBytes, readTextChunks } from '../common/text.js';
import { readCsvRecordBatches } from './csvRecords.js';
import { ColumnIndex, HEADER_SEARCH_LINES, locateHeader, splitLines } from './csvHeader.js';
import { IdentCache, parseCsvRow, resolveColumns, type CsvRowContext } from './csvRow.js';
import { compileDateFormat, excelSerialDate } from './dateFormat.js';
import { decodeHeadAs, isUtf8Head, resolveEncoding } from './encoding.js';
import { firstInvalidUtf8Line } from './legacyText.js';
import type { BankProfile } from './profile.js';
import { flattenBatches } from './stage.js';
import type { StatementItem, StatementReadContext } from './statementRow.js';
import { chooseSheet, looksLikeXlsx, readWorkbook, sheetAsCsv } from './xlsx.js';

/**
 * Reads a bank CSV export as its profile describes it, streaming (a million-row export never sits
 * in memory): preamble, header, rows, footer. Each row becomes a statement line, a skip (zero
 * amounts, rows the profile does not keep) or a reject naming its line.
 */
export function readCsvStatement(context: StatementReadContext, profile: BankProfile): AsyncGenerator<StatementItem> {
  return flattenBatches(readCsvStatementBatches(context, profile));
}

/** readCsvStatement in batches: a chunk's lines at once (runStageBatches). */
export async function* readCsvStatementBatches(context: StatementReadContext, profile: BankProfile): AsyncGenerator<StatementItem[]> {
  const { path } = context;
  const head = await readHeadBytes(path);
  if (head.length === 0) throw new HoptraceError('empty file', { file: path });
  if (looksLikeXlsx(head)) {
    yield* readXlsxStatement(context, profile);
    return;
  }
  const encoding = resolveEncoding(head, profile.encoding);
  if (encoding === 'utf-8' && !isUtf8Head(head)) {
    throw new HoptraceError('bytes that are not valid utf-8', {
      file: path,
      line: firstInvalidUtf8Line(head),
      hint: `profile ${profile.name} says ${profile.encoding}: is this a Latin-1 / Windows-1252 export? ("encoding": "auto" reads both)`,
    });
  }
  const headText = decodeHeadAs(head, encoding);
  // The text may be read twice (adapters/bank/csvRecords.ts): progress only moves forward.
  const { onBytes } = context;
  let reported = 0;
  const forward = onBytes
    ? (bytes: number) => {
        if (bytes <= reported) return;
        reported = bytes;
        onBytes(bytes);
      }
    : undefined;
  yield* readStatementText(context, profile, headText, () => readTextChunks(path, encoding, forward), false);
}

/**
 * An XLSX statement: the chosen sheet as the CSV text the profile reads (adapters/bank/xlsx.ts),
 * with dates that are plain numbers read as Excel serials.
 */
async function* readXlsxStatement(context: StatementReadContext, profile: BankProfile): AsyncGenerator<StatementItem[]> {
  const { path } = context;
  const sheets = await readWorkbook(path);
  const sheet = chooseSheet(sheets, profile, path, context.sheet);
  if (!sheet) {
    const what = profile.header
      ? `no sheet has the columns ${profile.signature.join(', ')} in its first ${HEADER_SEARCH_LINES} rows`
      : `no sheet's first row looks like ${profile.bank}'s export`;
    throw new HoptraceError(`not a ${profile.bank} statement as profile ${profile.name} describes it: ${what}`, {
      file: path,
      line: 1,
      hint: `its sheets: ${sheets.map((s) => JSON.stringify(s.name)).join(', ')}; choose another --profile, or --sheet`,
    });
  }
  const text = sheetAsCsv(sheet, profile);
  context.onBytes?.(text.length);
  async function* whole(): AsyncGenerator<string> {
    yield text;
  }
  yield [{ kind: 'note', message: `sheet ${JSON.stringify(sheet.name)} (${sheet.index} of ${sheets.length}) of the workbook` }];
  yield* readStatementText(context, profile, text, whole, true);
}

async function* readStatementText(
  context: StatementReadContext,
  profile: BankProfile,
  headText: string,
  readChunks: () => AsyncIterable<string>,
  excelSerials: boolean,
): AsyncGenerator<StatementItem[]> {
  const { path } = context;
  if (headText.trim() === '') throw new HoptraceError('empty file', { file: path });
  const location = locateHeader(profile, headText);
  if (!location) {
    const what = profile.header
      ? `no header with the columns ${profile.signature.join(', ')} in the first ${HEADER_SEARCH_LINES} lines`
      : `the first line does not look like ${profile.bank}'s export`;
    throw new HoptraceError(`not a ${profile.bank} export as profile ${profile.name} describes it: ${what}`, {
      file: path,
      line: 1,
      hint: 'choose another --profile, or --profile auto',
    });
  }
  const preamble = splitLines(headText).slice(0, location.lineIndex);
  const rowContext = buildRowContext(profile, preamble, context, path, location.lineIndex + 1);
  if (excelSerials) {
    const byFormat = rowContext.parseDate;
    rowContext.parseDate = (text) => byFormat(text) ?? excelSerialDate(text);
  }
  const footer: { line: number; fields: string[] }[] = [];
  let columnsReady = !profile.header;
  let fullContext: CsvRowContext | undefined = profile.header
    ? undefined
    : { ...rowContext, columns: resolveColumns(profile, undefined, path, location.lineIndex + 1), headerWidth: 0 };
  const records = readCsvRecordBatches(path, () => dropLines(readChunks(), location.lineIndex), { delimiter: location.delimiter, escape: profile.escape });
  for await (const batch of records) {
    const out: StatementItem[] = [];
    for (const raw of batch) {
      const record = { line: raw.line + location.lineIndex, fields: raw.fields };
      if (!columnsReady) {
        const header = new ColumnIndex(record.fields);
        fullContext = { ...rowContext, columns: resolveColumns(profile, header, path, record.line), headerWidth: trimmedWidth(record.fields) };
        columnsReady = true;
        continue;
      }
      if (record.fields.every((f) => f.trim() === '')) continue;
      footer.push(record);
      if (footer.length <= profile.footerLines) continue;
      out.push(rowItem(footer.shift()!, fullContext!));
    }
    if (out.length > 0) yield out;
  }
  if (!columnsReady) throw new HoptraceError('the file ends after its preamble: no header', { file: path, line: location.lineIndex + 1 });
  if (footer.length > 0) yield footer.map((dropped): StatementItem => ({ kind: 'skipped', line: dropped.line, reason: 'footer line' }));
}

function rowItem(record: { line: number; fields: string[] }, context: CsvRowContext): StatementItem {
  try {
    const parsed = parseCsvRow(record.fields, record.line, context);
    return 'skip' in parsed ? { kind: 'skipped', line: record.line, reason: parsed.skip } : { kind: 'row', row: parsed };
  } catch (error) {
    if (error instanceof HoptraceError) return { kind: 'reject', line: record.line, reason: error.hint ? `${error.message} — ${error.hint}` : error.message };
    throw error;
  }
}

// A header like Lloyds' ends with a delimiter: its empty last cell is not a column rows must fill.
function trimmedWidth(cells: readonly string[]): number {
  let width = cells.length;
  while (width > 0 && cells[width - 1]!.trim() === '') width--;
  return width;
}

type BaseRowContext = Omit<CsvRowContext, 'columns' | 'headerWidth'>;

function buildRowContext(profile: BankProfile, preamble: readonly string[], context: StatementReadContext, path: string, headerLine: number): BaseRowContext {
  const base: BaseRowContext = { profile, parseDate: compileDateFormat(profile.date.format), idents: new IdentCache() };
  if (context.account !== undefined) base.account = context.account;
  if (profile.account && 'preamble' in profile.account) {
    const found = fromPreamble(preamble, profile.account.preamble);
    if (found === undefined) {
      if (context.account === undefined)
        throw new HoptraceError(`profile ${profile.name}: no line of the preamble matches ${profile.account.preamble}`, {
          file: path,
          line: headerLine,
          hint: 'give --account',
        });
    } else {
      let ident: string;
      try {
        ident = bankAccountIdent(found.value, profile.account.bankCode ?? profile.name);
      } catch (error) {
        throw new HoptraceError(`the statement's account: ${userError(error).message}`, { file: path, line: found.line });
      }
      if (context.account !== undefined && context.account !== ident) {
        throw new HoptraceError(`the statement's account is ${ident}, not --account ${context.account}`, { file: path, line: found.line });
      }
      base.account = ident;
    }
  } else if (!profile.account && context.account === undefined) {
    throw new HoptraceError(`this ${profile.name} export does not say whose account it is`, { file: path, hint: 'give --account IBAN (or BANKCODE:NUMBER)' });
  }
  if (profile.holder && 'preamble' in profile.holder) {
    const holder = fromPreamble(preamble, profile.holder.preamble);
    if (holder !== undefined && holder.value.trim() !== '') base.holder = holder.value.trim();
  }
  return base;
}

function fromPreamble(lines: readonly string[], pattern: string): { value: string; line: number } | undefined {
  const regex = new RegExp(pattern);
  for (let i = 0; i < lines.length; i++) {
    const match = regex.exec(lines[i]!);
    if (match && match[1] !== undefined) return { value: match[1], line: i + 1 };
  }
  return undefined;
}

/** Drops the first `count` lines of a text stream (`\r\n`, `\n` or `\r` each end one line). */
export async function* dropLines(chunks: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  let remaining = count;
  let pendingCr = false;
  for await (const chunk of chunks) {
    if (remaining === 0) {
      yield pendingCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
      pendingCr = false;
      continue;
    }
    let i = 0;
    if (pendingCr && chunk.startsWith('\n')) i = 1;
    pendingCr = false;
    for (; i < chunk.length && remaining > 0; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) remaining--;
      else if (c === 13) {
        remaining--;
        if (chunk.charCodeAt(i + 1) === 10) i++;
        else if (i + 1 === chunk.length) pendingCr = true;
      }
    }
    if (remaining === 0 && i < chunk.length) yield chunk.slice(i);
  }
}
