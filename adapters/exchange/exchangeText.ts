import { looksLikeXlsx, numberText, readWorkbook, sheetAsText, sheetNamed, type Sheet, type SheetCell, type SheetTextFormat } from '../bank/xlsx.js';
import { HoptraceError } from '../../src/model/errors.js';
import { decodeHead, readHeadBytes, readTextChunks } from '../common/text.js';

/**
 * The text of an exchange export, whether it came as CSV or as an XLSX workbook (what exchanges
 * attach to their replies to production orders). A sheet is turned into the CSV text of the same
 * export, one line per sheet row, so that the layouts, the header check and the `FILE:LINE` of
 * every error are the CSV reader's own (adapters/bank/xlsx.ts does the same for bank statements).
 */
export interface ExchangeText {
  /** The first 64 KB of the text (the first 60 rows of a sheet), for detection and preambles. */
  head: string;
  /** The head as a layout with this delimiter reads it (a sheet's cells joined with it). */
  headWith(delimiter: string): string;
  /** The whole text, a sheet's cells joined with the delimiter. */
  chunks(delimiter: string): AsyncIterable<string>;
  /**
   * Set when the text is a workbook's sheet: a plain number in a time column is an Excel serial.
   * `names` are the workbook's sheets, `unnamed` the one read when `--sheet` names none (the
   * re-import rule compares readings by them: src/model/workbook.ts).
   */
  sheet?: { name: string; index: number; count: number; names: string[]; unnamed: string };
}

const HEAD_ROWS = 60;

/** Sheet cells as the exchanges' CSV exports write them: UTC times in ISO 8601, `.` decimals. */
function exchangeSheetFormat(delimiter: string): SheetTextFormat {
  return {
    delimiter,
    escape: '"',
    text(cell: SheetCell): string {
      if (cell === null) return '';
      // exceljs gives a date cell as the UTC instant of its wall-clock value: the export's UTC time.
      if (cell instanceof Date) return cell.toISOString().replace(/\.000Z$/, 'Z');
      if (typeof cell === 'number') return numberText(cell, '.');
      if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
      return cell;
    },
  };
}

/**
 * Opens a file as exchange text. For a workbook: the sheet named (`--sheet`, name or 1-based
 * index), else the first whose head `accepts` (a layout's header is in it), else the first sheet.
 */
export async function openExchangeText(
  path: string,
  accepts: (headWith: (delimiter: string) => string) => boolean,
  options: { sheet?: string } = {},
): Promise<ExchangeText> {
  const headBytes = await readHeadBytes(path);
  if (!looksLikeXlsx(headBytes)) {
    if (options.sheet !== undefined) throw new HoptraceError('--sheet applies to XLSX workbooks only: this file is text', { file: path });
    const head = decodeHead(headBytes);
    return { head, headWith: () => head, chunks: () => readTextChunks(path) };
  }
  const sheets = await readWorkbook(path);
  const asText = (sheet: Sheet, delimiter: string, limit?: number): string => sheetAsText(sheet, exchangeSheetFormat(delimiter), limit);
  const unnamed = sheets.find((s) => accepts((d) => asText(s, d, HEAD_ROWS))) ?? sheets[0]!;
  const sheet = options.sheet !== undefined ? sheetNamed(sheets, options.sheet, path) : unnamed;
  return {
    head: asText(sheet, ',', HEAD_ROWS),
    headWith: (delimiter) => asText(sheet, delimiter, HEAD_ROWS),
    chunks: async function* (delimiter: string) {
      yield asText(sheet, delimiter);
    },
    sheet: { name: sheet.name, index: sheet.index, count: sheets.length, names: sheets.map((s) => s.name), unnamed: unnamed.name },
  };
}

/** An Excel serial date-time (days since 1899-12-30, 1950–2099) as UTC ms; undefined for other text. */
export function excelSerialTime(text: string): number | undefined {
  const value = text.trim();
  if (!/^\d{5}(?:\.\d+)?$/.test(value)) return undefined;
  const serial = Number(value);
  if (serial < 18264 || serial > 73051) return undefined;
  return Date.UTC(1899, 11, 30) + Math.round(serial * 86_400_000);
}
