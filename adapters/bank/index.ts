import type { LocalDate } from '../../src/model/localDate.js';
import { BankLineStage, type BankItem } from './bankLine.js';
import { readCamtStatement } from './camt.js';
import { readCsvStatementBatches } from './csvStatement.js';
import { detectFormat } from './detect.js';
import { readMt940Statement } from './mt940.js';
import type { LegacyEncoding } from './legacyText.js';
import { findProfile, loadBuiltinProfiles, type LoadedProfile } from './profiles.js';
import { BalanceStage, type CheckedItem } from './runningBalance.js';
import { SameDayOrderStage } from './sameDayOrder.js';
import { chainStages, flattenBatches, runStageBatches, singletonBatches, type Stage } from './stage.js';
import { ChronologicalStage, OrderStage, type KnownOrder, type OrderDecision } from './statementOrder.js';
import type { StatementItem, StatementReadContext } from './statementRow.js';
import { looksLikeXlsx, readWorkbook, workbookSheets } from './xlsx.js';
import { readHeadBytes } from '../common/text.js';
import type { WorkbookSheets } from '../../src/model/workbook.js';

/**
 * Bank statements in: choose the reader (a CSV profile, camt.05x XML or MT940/MT942), then the
 * stages every statement goes through — order, running balance, same-day order, transfers.
 */
export interface StatementReader {
  /** Profile or format name (`ing-de`, `camt`, `mt940`). */
  name: string;
  /** Stored as the source's adapter: `bank:<name>`. */
  adapter: string;
  detected: boolean;
  timeZone: string;
  order: KnownOrder | 'auto';
  /** What changes how the file is read, for the re-import key (a user profile's SHA-256). */
  keyOptions: Record<string, string>;
  /** The statement's items in batches (a CSV chunk's lines at once; camt and MT940 one at a time). */
  read(context: StatementReadContext): AsyncIterable<readonly StatementItem[]>;
  /** An XLSX file's sheets, and the one `sheet` (or the profile) chooses; undefined for a text file or a workbook with no such sheet. */
  sheets(path: string, sheet: string | undefined): Promise<WorkbookSheets | undefined>;
}

/** The standard formats, which need no profile; `--profile camt` / `--profile mt940` force them. */
export const STANDARD_FORMATS = [
  { name: 'camt', bank: 'any bank (ISO 20022 camt.052 / camt.053 / camt.054 XML)', encoding: 'as the XML declares' },
  { name: 'mt940', bank: 'any bank (SWIFT MT940 / MT942)', encoding: 'utf-8' },
  { name: 'mt940-cp1250', bank: 'MT940 / MT942 in Windows-1250 (Central European Windows software)', encoding: 'windows-1250' },
  { name: 'mt940-cp852', bank: 'MT940 / MT942 in code page 852 (Central European DOS software)', encoding: 'cp852' },
  { name: 'mt940-cp1252', bank: 'MT940 / MT942 in Windows-1252 (Western European Windows software)', encoding: 'windows-1252' },
] as const;
export type StandardFormat = (typeof STANDARD_FORMATS)[number]['name'];

const MT940_ENCODINGS: Record<string, LegacyEncoding> = {
  mt940: 'utf-8',
  'mt940-cp1250': 'windows-1250',
  'mt940-cp852': 'cp852',
  'mt940-cp1252': 'windows-1252',
};

function csvReader(loaded: LoadedProfile, detected: boolean, builtin: boolean): StatementReader {
  const profile = loaded.profile;
  return {
    name: profile.name,
    adapter: `bank:${profile.name}`,
    detected,
    timeZone: profile.timeZone,
    order: profile.order,
    keyOptions: builtin ? {} : { profileSha256: loaded.sha256 },
    read: (context) => readCsvStatementBatches(context, profile),
    sheets: async (path, sheet) => ((await isXlsxFile(path)) ? workbookSheets(await readWorkbook(path), profile, path, sheet) : undefined),
  };
}

function standardReader(name: StandardFormat, detected: boolean): StatementReader {
  return {
    name,
    adapter: `bank:${name}`,
    detected,
    timeZone: 'UTC',
    order: 'oldest-first',
    keyOptions: {},
    read: (context) => singletonBatches(name === 'camt' ? readCamtStatement(context) : readMt940Statement(context, MT940_ENCODINGS[name] ?? 'utf-8')),
    sheets: async () => undefined,
  };
}

function isStandardFormat(name: string): name is StandardFormat {
  return STANDARD_FORMATS.some((f) => f.name === name);
}

async function isXlsxFile(path: string): Promise<boolean> {
  return looksLikeXlsx(await readHeadBytes(path));
}

/** `--profile NAME|FILE|auto` for one file. */
export async function chooseStatementReader(path: string, choice = 'auto', sheet?: string): Promise<StatementReader> {
  if (isStandardFormat(choice)) return standardReader(choice, false);
  if (choice !== 'auto') {
    const loaded = findProfile(choice);
    const builtin = loadBuiltinProfiles().some((p) => p.path === loaded.path);
    return csvReader(loaded, false, builtin);
  }
  const detected = await detectFormat(path, loadBuiltinProfiles(), sheet);
  return detected.kind === 'csv' ? csvReader(detected.profile, true, true) : standardReader(detected.kind, true);
}

/** A statement file as bank lines, opening balances, rejects, skips and notes, in store order. */
export function readBankItems(reader: StatementReader, context: StatementReadContext): AsyncGenerator<BankItem> {
  return flattenBatches(readBankItemBatches(reader, context));
}

/** readBankItems in batches, as the reader gives them (runStageBatches). */
export function readBankItemBatches(reader: StatementReader, context: StatementReadContext): AsyncGenerator<BankItem[]> {
  return runStageBatches(reader.read(context), bankStages(reader));
}

function bankStages(reader: StatementReader): Stage<StatementItem, BankItem> {
  const decision: OrderDecision = {};
  const dateOf = (item: CheckedItem): LocalDate | undefined => (item.kind === 'row' ? item.row.date : undefined);
  const stages = chainStages(
    chainStages(chainStages(new OrderStage(reader.order, decision), new SameDayOrderStage(decision)), new BalanceStage(decision)),
    chainStages(new ChronologicalStage<CheckedItem>(decision, dateOf), new BankLineStage({ timeZone: reader.timeZone })),
  );
  return stages;
}
