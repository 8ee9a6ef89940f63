import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { chooseStatementReader } from '../../../adapters/bank/index.js';
import { parseStatementAmount } from '../../../adapters/bank/amountText.js';
import { compileDateFormat } from '../../../adapters/bank/dateFormat.js';
import { findProfile } from '../../../adapters/bank/profiles.js';
import type { BankProfile, ColumnRef } from '../../../adapters/bank/profile.js';
import type { StatementRow } from '../../../adapters/bank/statementRow.js';
import { fixture, tempDir } from '../../support/cli.js';
import { brief, readBankFile, readWithProfile, rejectLines, rowsOf, sumOf } from './support.js';

/**
 * XLSX statements through the same profiles as CSV: real exports (Santander and BBVA Spain,
 * test/fixtures/santander-es-xlsx and spain-bbva-santander-smoothment, READMEs there), and real
 * CSV samples written as XLSX by exceljs here, which must read to the same lines as the CSV.
 */
const ACCOUNT = 'ES9121000418450200051332';

describe('real XLSX exports', () => {
  const cases = [
    {
      profile: 'santander-es',
      file: ['santander-es-xlsx', 'sample-statement.xlsx'],
      rows: 1,
      sum: '-10.50',
      first: { line: 8, date: '2023-10-26', amount: '-10.50' },
      opening: 1010_73n,
    },
    {
      profile: 'santander-es-2025',
      file: ['spain-bbva-santander-smoothment', 'santander_es_2025.xlsx'],
      rows: 4,
      sum: '56.85',
      first: { line: 9, date: '2025-12-05', amount: '-43.15' },
      opening: 0n,
    },
    {
      profile: 'bbva-es',
      file: ['spain-bbva-santander-smoothment', 'bbva_en.xlsx'],
      rows: 14,
      sum: '-105.30',
      first: { line: 6, date: '2025-12-05', amount: '-95.00' },
      opening: 214_09n,
    },
  ];
  for (const c of cases) {
    it(`${c.profile}: ${c.file.join('/')} (auto-detected)`, async () => {
      const path = fixture(...c.file);
      expect((await chooseStatementReader(path)).name).toBe(c.profile);
      const items = await readWithProfile(c.profile, path, ACCOUNT);
      const rows = rowsOf(items);
      expect(rows.length).toBe(c.rows);
      expect(sumOf(rows)).toBe(c.sum);
      expect(brief(rows[0]!)).toEqual(c.first);
      expect(rejectLines(items)).toEqual([]);
      const pipeline = await readBankFile(path, 'auto', ACCOUNT);
      expect(pipeline.some((i) => i.kind === 'gap' || i.kind === 'reject')).toBe(false);
      expect(pipeline.find((i) => i.kind === 'opening')).toMatchObject({ opening: { amount: c.opening } });
    });
  }

  it('a sheet that is not there is named with the sheets the workbook has', async () => {
    const path = fixture('santander-es-xlsx', 'sample-statement.xlsx');
    const { readCsvStatement } = await import('../../../adapters/bank/csvStatement.js');
    const read = async (): Promise<void> => {
      for await (const _ of readCsvStatement({ path, account: ACCOUNT, sheet: 'Hoja2' }, findProfile('santander-es').profile)) void _;
    };
    await expect(read()).rejects.toMatchObject({ message: 'the workbook has no sheet "Hoja2"', hint: 'its sheets: 1 "Sheet1"' });
  });
});

/** The column's 0-based position in a header row (first match, case and spacing ignored). */
function position(header: readonly string[], ref: ColumnRef | undefined): number {
  if (ref === undefined) return -1;
  if (typeof ref === 'number') return ref - 1;
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');
  return header.findIndex((cell) => norm(cell) === norm(ref));
}

/**
 * A CSV sample as a bank's XLSX: the same cells on the same rows, with the date column as date
 * cells (or Excel serial numbers) and the amount and balance columns as numbers.
 */
async function csvAsXlsx(
  csvPath: string,
  profile: BankProfile,
  headerLine: number,
  dates: 'cells' | 'serials',
  encoding: BufferEncoding = 'utf8',
): Promise<string> {
  const records = parse(readFileSync(csvPath, encoding).replace(/^\uFEFF/, ''), {
    delimiter: profile.delimiters[0]!,
    relax_column_count: true,
    skip_empty_lines: false,
    relax_quotes: true,
  }) as string[][];
  const header = records[headerLine - 1]!;
  const dateAt = position(header, profile.date.column);
  const amount = profile.amount;
  const numeric = [
    'column' in amount ? amount.column : undefined,
    'debit' in amount ? amount.debit : undefined,
    'debit' in amount ? amount.credit : undefined,
    profile.balance,
  ]
    .map((ref) => position(header, ref))
    .filter((i) => i >= 0);
  const parseDate = compileDateFormat(profile.date.format);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Statement');
  records.forEach((record, r) => {
    record.forEach((text, c) => {
      let value: ExcelJS.CellValue = text;
      if (r >= headerLine) {
        const date = c === dateAt ? parseDate(text) : undefined;
        if (date) {
          const utc = Date.UTC(date.year, date.month - 1, date.day);
          value = dates === 'cells' ? new Date(utc) : (utc - Date.UTC(1899, 11, 30)) / 86_400_000;
        } else if (numeric.includes(c) && text.trim() !== '') {
          value = Number(parseStatementAmount(text, 2, { decimal: profile.decimal, thousands: profile.thousands })) / 100;
        }
      }
      if (value !== '') sheet.getCell(r + 1, c + 1).value = value;
    });
  });
  const out = join(
    tempDir(),
    csvPath
      .split('/')
      .pop()!
      .replace(/\.\w+$/, '') + `.${dates}.xlsx`,
  );
  await workbook.xlsx.writeFile(out);
  return out;
}

/** A row as the store sees it, without the fingerprint (the text of the cells, which XLSX writes differently). */
function comparable(row: StatementRow): Omit<StatementRow, 'fingerprint'> {
  const { fingerprint: _, ...rest } = row;
  return rest;
}

describe('real CSV samples written as XLSX read to the same lines', () => {
  const samples: { profile: string; file: string[]; header: number; account?: string; encoding?: BufferEncoding }[] = [
    { profile: 'ing-de', file: ['ing-de-n26-jheimbach', 'ing_de_current_format.csv'], header: 14 },
    { profile: 'lloyds-uk', file: ['lloyds-uk-metasaura', 'sample-statement.csv'], header: 1 },
    { profile: 'zkb-ch', file: ['beancount-importers-cvigo', 'ZKB_Sample.csv'], header: 1, account: 'CH9300762011623852957' },
    { profile: 'neon-ch', file: ['beancount-importers-cvigo', 'Neon_Sample.csv'], header: 1, account: 'CH9300762011623852957' },
    { profile: 'generic', file: ['bank-made', 'mule1-generic.csv'], header: 1, account: 'DE77100100100123456789' },
  ];
  for (const s of samples) {
    for (const dates of ['cells', 'serials'] as const) {
      it(`${s.profile}: ${s.file.join('/')} (dates as ${dates})`, async () => {
        const csv = fixture(...s.file);
        const profile = findProfile(s.profile).profile;
        const xlsx = await csvAsXlsx(csv, profile, s.header, dates, s.encoding);
        const fromCsv = rowsOf(await readWithProfile(s.profile, csv, s.account));
        const fromXlsx = rowsOf(await readWithProfile(s.profile, xlsx, s.account));
        expect(fromCsv.length).toBeGreaterThan(0);
        expect(fromXlsx.map(comparable)).toEqual(fromCsv.map(comparable));
        expect((await chooseStatementReader(xlsx)).name).toBe(s.profile);
      });
    }
  }
});
