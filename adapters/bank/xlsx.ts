import { type BigIntStats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type ExcelJS from 'exceljs';
import { HoptraceError } from '../../src/model/errors.js';
import { sheetPositionOf, type WorkbookSheets } from '../../src/model/workbook.js';
import { locateHeader } from './csvHeader.js';
import { formatDateAs } from './dateFormat.js';
import type { BankProfile } from './profile.js';

/**
 * XLSX statements — what banks most often return to a production order — read through the same
 * profiles as their CSV exports. A sheet is turned into the CSV text the profile describes (its
 * delimiter, its decimal separator, its date format), one text line per sheet row, so the header
 * search, preamble, footer, row checks and error lines (`FILE:ROW`) are the CSV reader's own.
 * Dates stored as date cells are written in the profile's format; dates stored as plain numbers
 * (Excel serials) are read by the row parser (dateFormat.ts, `excelSerialDate`).
 *
 * The workbook is read with exceljs (the registry's `xlsx` 0.18.5 has unfixed prototype-pollution
 * and ReDoS advisories). A statement sheet is at most Excel's 1,048,576 rows, held in memory.
 */
export type SheetCell = string | number | boolean | Date | null;

export interface Sheet {
  name: string;
  /** 1-based position in the workbook. */
  index: number;
  /** Row r of the sheet is rows[r - 1]; empty rows are empty arrays. */
  rows: SheetCell[][];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** A ZIP file naming an Excel workbook part (OOXML spreadsheet). */
export function looksLikeXlsx(head: Uint8Array): boolean {
  if (head.length < 4 || !ZIP_MAGIC.every((b, i) => head[i] === b)) return false;
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  return /xl\/|\[Content_Types\]\.xml/.test(text);
}

function cellValue(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellValue((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellValue(value.text as ExcelJS.CellValue);
    if ('error' in value) return null;
  }
  return String(value);
}

/**
 * The last workbook read, by file identity: an import reads a workbook to detect its profile, to
 * name the sheet it reads (for the re-import rule) and to read it, and exceljs takes seconds on a
 * large one. A file changed since (size, time or inode) is read again.
 */
let lastWorkbook: { key: string; sheets: Promise<Sheet[]> } | undefined;

export function readWorkbook(path: string): Promise<Sheet[]> {
  let stat: BigIntStats;
  try {
    stat = statSync(path, { bigint: true });
  } catch {
    return parseWorkbook(path); // which says what is wrong with the file
  }
  const key = `${resolve(path)}\0${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  if (lastWorkbook?.key !== key) {
    const sheets = parseWorkbook(path);
    lastWorkbook = { key, sheets };
    // A failed read is not kept: the next asks again (and reports the error again).
    sheets.catch(() => {
      if (lastWorkbook?.sheets === sheets) lastWorkbook = undefined;
    });
  }
  return lastWorkbook.sheets;
}

async function parseWorkbook(path: string): Promise<Sheet[]> {
  // Loaded on first use: exceljs takes longer to load than a small CSV statement takes to read.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new HoptraceError(`not a readable XLSX workbook: ${(error as Error).message}`, {
      file: path,
      hint: 'save it again from Excel or LibreOffice as .xlsx',
    });
  }
  const sheets: Sheet[] = [];
  workbook.worksheets.forEach((worksheet, i) => {
    const rows: SheetCell[][] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      while (rows.length < rowNumber - 1) rows.push([]);
      const cells: SheetCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        while (cells.length < column - 1) cells.push(null);
        cells.push(cellValue(cell.value));
      });
      rows.push(cells);
    });
    sheets.push({ name: worksheet.name, index: i + 1, rows });
  });
  if (sheets.length === 0) throw new HoptraceError('the workbook has no sheet', { file: path });
  return sheets;
}

/** A number as a statement prints it: no exponent, the profile's decimal separator. */
export function numberText(value: number, decimal: '.' | ','): string {
  let text = String(value);
  if (/e/i.test(text)) text = value.toFixed(12).replace(/\.?0+$/, '');
  return decimal === ',' ? text.replace('.', ',') : text;
}

function cellText(cell: SheetCell, profile: BankProfile): string {
  if (cell === null) return '';
  if (cell instanceof Date) return formatDateAs(profile.date.format, cell);
  if (typeof cell === 'number') return numberText(cell, profile.decimal);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return cell;
}

/** How a sheet becomes delimited text: the delimiter, the quote escape and each cell's text. */
export interface SheetTextFormat {
  delimiter: string;
  /** What precedes a `"` inside a quoted field (`"` for RFC 4180, `\\` for some banks). */
  escape: string;
  text(cell: SheetCell): string;
}

/** The sheet's rows as delimited text, one line per sheet row (so that error lines are sheet rows). */
export function sheetAsText(sheet: Sheet, format: SheetTextFormat, limit = Infinity): string {
  const { delimiter } = format;
  const lines: string[] = [];
  const count = Math.min(sheet.rows.length, limit);
  for (let r = 0; r < count; r++) {
    const row = sheet.rows[r]!;
    let width = row.length;
    while (width > 0 && (row[width - 1] === null || row[width - 1] === '')) width--;
    const fields: string[] = [];
    for (let c = 0; c < width; c++) {
      const text = format.text(row[c] ?? null).replace(/\r\n|\r|\n/g, ' ');
      // Quoted only when it must be, so that preamble patterns see the line as the bank's CSV prints it.
      fields.push(text.includes(delimiter) || text.includes('"') ? '"' + text.replace(/"/g, format.escape + '"') + '"' : text);
    }
    lines.push(fields.join(delimiter));
  }
  return lines.join('\n') + '\n';
}

/** The sheet's rows as the CSV text the profile reads, one line per row. */
export function sheetAsCsv(sheet: Sheet, profile: BankProfile, limit = Infinity): string {
  return sheetAsText(sheet, { delimiter: profile.delimiters[0]!, escape: profile.escape, text: (cell) => cellText(cell, profile) }, limit);
}

/** A workbook's sheets as the re-import rule compares readings (src/model/workbook.ts): the one `wanted` names, or the profile's choice. */
export function workbookSheets(sheets: readonly Sheet[], profile: BankProfile, path: string, wanted?: string): WorkbookSheets | undefined {
  const read = chooseSheet(sheets, profile, path, wanted);
  if (!read) return undefined;
  let unnamed: string | undefined;
  try {
    unnamed = chooseSheet(sheets, profile, path)?.name;
  } catch {
    // The profile names a sheet this workbook lacks: only a reading without --sheet met that.
    unnamed = undefined;
  }
  return { names: sheets.map((s) => s.name), position: read.index, read: read.name, unnamed };
}

/**
 * The sheet a profile reads: the one it (or --sheet) names, by name or 1-based index; otherwise
 * the first sheet whose first rows hold the profile's header (or first line, header-less).
 */
export function chooseSheet(sheets: readonly Sheet[], profile: BankProfile, path: string, wanted?: string | number): Sheet | undefined {
  const choice = wanted ?? profile.sheet;
  if (choice !== undefined) return sheetNamed(sheets, choice, path);
  return sheets.find((sheet) => locateHeader(profile, sheetAsCsv(sheet, profile, 60)) !== undefined);
}

/** The sheet a user named, by 1-based position or by name (src/model/workbook.ts, sheetPositionOf: the one rule). */
export function sheetNamed(sheets: readonly Sheet[], choice: string | number, path: string): Sheet {
  const position = sheetPositionOf(
    String(choice),
    sheets.map((s) => s.name),
  );
  const found = position === undefined ? undefined : sheets[position - 1];
  if (!found)
    throw new HoptraceError(`the workbook has no sheet ${JSON.stringify(choice)}`, {
      file: path,
      hint: `its sheets: ${sheets.map((s) => `${s.index} ${JSON.stringify(s.name)}`).join(', ')}`,
    });
  return found;
}
