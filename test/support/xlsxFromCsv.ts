import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/**
 * Writes a CSV export as the XLSX workbook an exchange would attach instead: a "Summary" sheet
 * first (so the reader must find the sheet with the header), then the export's rows with numbers
 * as number cells and UTC times either as date cells or, as some spreadsheets store them, as plain
 * Excel serial numbers. Parsed with csv-parse, not with hoptrace's reader, so the two imports are
 * compared through independent paths.
 */
export async function writeXlsxFromCsv(
  csvPath: string,
  xlsxPath: string,
  options: { times: 'date-cells' | 'serials'; delimiter?: string; sheetName?: string; titleRows?: readonly string[] },
): Promise<void> {
  const text = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
  const rows = parse(text, { delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Summary').addRow(['Export of the customer account, produced on request']);
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Movements');
  // Title rows above the header, as a production's workbook has them ("Withdrawal records", "UID …").
  for (const title of options.titleRows ?? []) sheet.addRow([title]);
  rows.forEach((row, r) => {
    const values = row.map((cell) => (r === 0 ? cell : asCell(cell, options.times)));
    const added = sheet.addRow(values);
    values.forEach((value, c) => {
      if (value instanceof Date) added.getCell(c + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
  });
  await workbook.xlsx.writeFile(xlsxPath);
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z?$/;

function asCell(cell: string, times: 'date-cells' | 'serials'): string | number | Date {
  const m = TIME.exec(cell);
  if (m) {
    const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0')));
    return times === 'date-cells' ? new Date(utc) : (utc - Date.UTC(1899, 11, 30)) / 86_400_000;
  }
  // Plain decimals become number cells; ids with leading zeros or more digits than a double holds stay text.
  if (/^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/.test(cell) && cell.replace(/[-.]/g, '').length <= 15) return Number(cell);
  return cell;
}
