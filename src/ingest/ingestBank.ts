import { formatAmount } from '../model/amount.js';
import { parseAccountOption } from '../model/bankAccount.js';
import type { WorkbookSheets } from '../model/workbook.js';
import { HoptraceError, withFile } from '../model/errors.js';
import { chooseStatementReader, readBankItemBatches, type StatementReader } from '../../adapters/bank/index.js';
import type { BankItem } from '../../adapters/bank/bankLine.js';
import { BankLineWriter, LOOKUP_INDEXES } from '../store/bankMatch.js';
import { statementAccounts, storedBankDayOf } from '../store/bankLineRefs.js';
import { numberBankLineBatches } from './bankOccurrences.js';
import type { Db } from '../store/caseStore.js';
import { SourceWriter, type DeferrableIndex } from '../store/sourceWriter.js';
import { ownSourceWriter, priorImport } from './priorImport.js';
import { digestFile } from './fileDigest.js';
import { orWrongKind } from './fileKind.js';
import type { IngestSourceResult } from './ingestSource.js';

export interface IngestBankOptions {
  /** A built-in profile name, a profile file, `camt`, `mt940…`, or `auto` (default). */
  profile?: string;
  /** The statement's own account when the file does not say it: an IBAN or BANKCODE:NUMBER. */
  account?: string;
  /** XLSX statements: the sheet to read (name or 1-based index); default the first with the profile's header. */
  sheet?: string;
  skipBad?: boolean;
  /**
   * A running-balance break: `error` (default) fails the file naming the line after the gap;
   * `gaps` stores every line and records the gap (balance_gaps), which info, verify and reports list.
   */
  balance?: BalanceMode;
  onBytes?: (path: string, bytesRead: number, size: number) => void;
  /** Called as each file is committed (earlier files stay stored if a later one fails). */
  onResult?: (result: IngestBankResult) => void;
}

export const BALANCE_MODES = ['error', 'gaps'] as const;
export type BalanceMode = (typeof BALANCE_MODES)[number];

export type IngestBankResult = IngestSourceResult & { profile: string; detected: boolean };

/**
 * `hoptrace ingest bank FILE…`: each file in its own transaction, in the order given, as
 * ingestSource does for other sources; bank lines go through BankLineWriter so that a payment in
 * both the payer's and the payee's statements is stored once.
 */
export async function ingestBankFiles(db: Db, files: readonly string[], options: IngestBankOptions = {}): Promise<IngestBankResult[]> {
  return ingestBankFilesWith((path, reader, account) => ingestStatement(db, path, reader, account, options), files, options);
}

/** One statement into the case, in its own transaction (ingestStatement on a case file; src/ingest/ingestBankPg.ts on PostgreSQL). */
export type IngestStatement = (path: string, reader: StatementReader, account: string | undefined) => Promise<IngestSourceResult>;

/** ingestBankFiles with the backend's statement import: each file's reader chosen, its result reported as it commits. */
export async function ingestBankFilesWith(ingestOne: IngestStatement, files: readonly string[], options: IngestBankOptions = {}): Promise<IngestBankResult[]> {
  const account = options.account === undefined ? undefined : parseAccountOption(options.account);
  const results: IngestBankResult[] = [];
  for (const path of files) {
    const choice = options.profile ?? 'auto';
    const choose = (): Promise<StatementReader> => chooseStatementReader(path, choice, options.sheet);
    // A file of another kind (an explorer export, a TagPack) is named, with the command that reads it.
    const reader = choice === 'auto' ? await orWrongKind(path, 'bank', 'a bank statement', choose) : await choose();
    const result = await ingestOne(path, reader, account);
    const withProfile = { ...result, profile: reader.name, detected: reader.detected };
    options.onResult?.(withProfile);
    results.push(withProfile);
  }
  return results;
}

/** A CSV statement line's bytes, at most (the generic layout's are ~100): for the large-import rule. */
const BANK_LINE_BYTES = 150;

/**
 * The reading options that change what a statement stores (part of the re-import key). A
 * workbook's sheet is stored by name, the sheet read even when `--sheet` named none: the source
 * says which of its statements it is.
 */
function statementKeyOptions(reader: StatementReader, account: string | undefined, sheet: Record<string, string>): string {
  return JSON.stringify({
    ...(account === undefined ? {} : { account }),
    ...sheet,
    ...reader.keyOptions,
  });
}

/** A statement's reading: its key options, the workbook's sheets if it is one, and the `sheet` to give the reader (a workbook's: its position). */
export async function statementReading(
  path: string,
  reader: StatementReader,
  account: string | undefined,
  options: IngestBankOptions,
): Promise<{ keyOptions: string; sheets: WorkbookSheets | undefined; sheet: string | undefined }> {
  const sheets = await reader.sheets(path, options.sheet);
  // The reader is given the sheet's position: a sheet's name may be a number ("1", "2024").
  if (sheets) return { keyOptions: statementKeyOptions(reader, account, { sheetName: sheets.read }), sheets, sheet: String(sheets.position) };
  // No such sheet, or --sheet on a text file: the read reports it, as before.
  return { keyOptions: statementKeyOptions(reader, account, options.sheet === undefined ? {} : { sheet: options.sheet }), sheets, sheet: options.sheet };
}

export async function ingestStatement(
  db: Db,
  path: string,
  reader: StatementReader,
  account: string | undefined,
  options: IngestBankOptions,
): Promise<IngestSourceResult> {
  const { sha256, size } = await digestFile(path);
  const { keyOptions, sheets, sheet } = await statementReading(path, reader, account, options);
  const existing = priorImport(db, path, sha256, reader.adapter, keyOptions, sheets);
  if (existing) return { status: 'already-imported', path, sha256, size, existing };
  // While the file loads, matching reads transfers by pair (transfers_bank_pair: the other side of
  // a payment) and, for accounts with earlier statements, by account and day (transfers_from/_to)
  // and their lines (bank_lines); a large statement builds the indexes it does not read at the end
  // (src/store/bankLineRefs.ts). Into a case without statements, the pair index and the lines' own
  // indexes wait too: the rare look-up that reads them (a reference repeated in the file, a line
  // paying an account of this file, a day that comes again) builds them first
  // (BankLineWriter.readyForLookups).
  const deferrable: DeferrableIndex[] =
    statementAccounts(db).size === 0 ? ['transfers_from', 'transfers_to', 'transfers_time', ...LOOKUP_INDEXES] : ['transfers_time'];
  const opened = ownSourceWriter(
    db,
    { path, sha256, size, adapter: reader.adapter, options: keyOptions },
    { deferIndexes: 'when-large', deferrable, bytesPerRow: BANK_LINE_BYTES },
    () => priorImport(db, path, sha256, reader.adapter, keyOptions, sheets),
  );
  if (!(opened instanceof SourceWriter)) return { status: 'already-imported', path, sha256, size, existing: opened.existing };
  const writer = opened;
  const lines = new BankLineWriter(db, writer);
  let otherSide = 0;
  try {
    const context = {
      path,
      ...(account === undefined ? {} : { account }),
      ...(sheet === undefined ? {} : { sheet }),
      ...(options.onBytes ? { onBytes: (n: number) => options.onBytes?.(path, n, size) } : {}),
    };
    const days = storedBankDayOf(
      db,
      (accountId, time) => lines.linesOfDay(accountId, time),
      () => lines.readyForLookups(),
    );
    const storeItem = (item: BankItem): void => {
      switch (item.kind) {
        case 'line':
          if (lines.addLine(item.line) === 'other-side') otherSide++;
          break;
        case 'opening': {
          const { opening } = item;
          const outcome = lines.addOpeningBalance({
            account: opening.account,
            asset: opening.currency,
            decimals: opening.decimals,
            amount: opening.amount,
            time: opening.time,
            line: opening.line,
          });
          const figure = `${formatAmount(opening.amount, opening.decimals)} ${opening.currency}`;
          if (outcome === 'stored')
            writer.addNote(
              `opening balance of ${opening.account}: ${figure} before line ${opening.line}${opening.amount === 0n ? '' : ' (untraced money already there)'}`,
            );
          else if (outcome === 'replaced-later')
            writer.addNote(`opening balance of ${opening.account}: ${figure} before line ${opening.line}, replacing a later statement's`);
          break;
        }
        case 'gap': {
          const { gap } = item;
          if (options.balance !== 'gaps') {
            throw new HoptraceError(gap.reason, {
              file: path,
              line: gap.lineAfter,
              hint: `nothing from this file was stored; --balance gaps stores every line and records the gap${gap.lineBefore === undefined ? '' : ` between lines ${gap.lineBefore} and ${gap.lineAfter}`}`,
            });
          }
          lines.addGap({
            account: gap.account,
            asset: gap.currency,
            decimals: gap.decimals,
            missing: gap.missing,
            lineAfter: gap.lineAfter,
            timeAfter: gap.timeAfter,
            reason: gap.reason,
            ...(gap.lineBefore === undefined ? {} : { lineBefore: gap.lineBefore }),
            ...(gap.timeBefore === undefined ? {} : { timeBefore: gap.timeBefore }),
          });
          const between = gap.lineBefore === undefined ? `before line ${gap.lineAfter}` : `between lines ${gap.lineBefore} and ${gap.lineAfter}`;
          writer.addNote(
            `balance gap in ${gap.account}: ${formatAmount(gap.missing, gap.decimals)} ${gap.currency} moved ${between} that no line shows (both lines stored)`,
          );
          break;
        }
        case 'skipped':
          writer.addSkipped();
          break;
        case 'note':
          writer.addNote(item.message);
          break;
        case 'reject':
          if (!options.skipBad)
            throw new HoptraceError(item.reason, {
              file: path,
              line: item.line,
              hint: 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones',
            });
          writer.addReject(item.line, item.reason);
          break;
      }
    };
    for await (const batch of numberBankLineBatches(readBankItemBatches(reader, context), days.day, days.holdsNone)) {
      for (const item of batch) storeItem(item);
    }
    if (otherSide > 0)
      writer.addNote(
        `${otherSide} line${otherSide === 1 ? ' is' : 's are'} the other side of payments already in the case: stored once, this file's line and reference kept beside them`,
      );
    const summary = lines.commit();
    return { status: 'imported', path, sha256, size, ...summary };
  } catch (error) {
    writer.rollback();
    throw withFile(error, path);
  }
}
