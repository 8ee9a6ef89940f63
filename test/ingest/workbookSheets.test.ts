import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/model/types.js';
import type { WorkbookSheets } from '../../src/model/workbook.js';
import { priorImportOf } from '../../src/ingest/priorImport.js';
import { fixture, hoptrace, ROOT, tempDir } from '../support/cli.js';
import { writeXlsxFromCsv } from '../support/xlsxFromCsv.js';

const FIRST = 'ES9121000418450200051332';
const SECOND = 'ES7921000813610123456789';

/**
 * Santander's real statement sheet, copied into a workbook of sheets with these names (`cover:`
 * before a name: a cover sheet with no statement): several accounts' statements in one file.
 */
async function statementWorkbook(path: string, names: readonly string[]): Promise<string> {
  const source = new ExcelJS.Workbook();
  await source.xlsx.readFile(fixture('santander-es-xlsx', 'sample-statement.xlsx'));
  const statement = source.worksheets[0]!;
  const workbook = new ExcelJS.Workbook();
  for (const name of names) {
    const sheet = workbook.addWorksheet(name.replace(/^cover:/, ''));
    if (name.startsWith('cover:')) sheet.getRow(1).values = ['Reply to the production order'];
    else
      statement.eachRow({ includeEmpty: true }, (row, n) => {
        sheet.getRow(n).values = row.values as ExcelJS.CellValue[];
      });
  }
  await workbook.xlsx.writeFile(path);
  return path;
}

const twoStatementWorkbook = (dir: string): Promise<string> => statementWorkbook(join(dir, 'two-accounts.xlsx'), ['Sheet1', 'Second account']);

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const sourcesOf = (db: string): { id: number; options: Record<string, string> }[] =>
  (JSON.parse(hoptrace(['--db', db, 'sources', '--json']).stdout) as { id: number; options: Record<string, string> }[]).map((s) => ({
    id: s.id,
    options: s.options,
  }));

describe('a workbook holds one statement per sheet', () => {
  it('each sheet is imported as a source of its own; a sheet named again, by position or by name, is the same reading', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const book = await twoStatementWorkbook(dir);
    const ingest = (...args: string[]) => hoptrace(['--db', db, 'ingest', 'bank', book, '--profile', 'santander-es', ...args]);
    expect(ingest('--sheet', '1', '--account', FIRST).status).toBe(0);
    // Before, refused: "already imported as source 1 … remove-source 1 first to import it differently".
    const second = ingest('--sheet', '2', '--account', SECOND);
    expect(second.status).toBe(0);
    expect(sourcesOf(db)).toEqual([
      { id: 1, options: { account: FIRST, sheetName: 'Sheet1' } },
      { id: 2, options: { account: SECOND, sheetName: 'Second account' } },
    ]);
    // The first sheet by name, and as the profile chooses it (no --sheet): before, each refused as another reading.
    for (const sheet of [['--sheet', 'Sheet1'], ['--sheet', ' sheet1 '], []]) {
      const again = ingest(...sheet, '--account', FIRST);
      expect([again.status, again.stderr]).toEqual([0, `${book}: already imported (source 1, sha256 ${sha256Of(book).slice(0, 12)}…): nothing added\n`]);
    }
    // The same sheet with another account is another reading of one exhibit: refused as before.
    const other = ingest('--sheet', 'Sheet1', '--account', SECOND);
    expect(other.status).toBe(1);
    expect(other.stderr).toBe(
      `hoptrace: ${book}: already imported as source 1 (options bank:santander-es {"account":"${FIRST}","sheetName":"Sheet1"}; ` +
        `now bank:santander-es {"account":"${SECOND}","sheetName":"Sheet1"}) — remove-source 1 first to import it differently\n`,
    );
    expect(sourcesOf(db)).toHaveLength(2);
  });

  it('an exchange return read as --sheet 2, --sheet Movements or by detection is one source', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const book = join(dir, 'withdrawals.xlsx');
    await writeXlsxFromCsv(fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv'), book, { times: 'date-cells' });
    const runs = [['--sheet', '2'], ['--sheet', 'Movements'], []].map((sheet) =>
      hoptrace(['--db', db, 'ingest', 'exchange', book, '--account', '4411', ...sheet]),
    );
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(runs[1]!.stderr).toBe(`${book}: profile binance-withdrawals (detected): already imported: nothing added\n`);
    // Before: three sources of one reading, the movements stored by the first and counted as duplicates by the others.
    expect(sourcesOf(db)).toEqual([{ id: 1, options: { exchange: null, account: '4411', direction: null, sheetName: 'Movements' } }]);
  });
});

describe('sheets whose names are numbers', () => {
  const ingest = (db: string, book: string, ...args: string[]) => hoptrace(['--db', db, 'ingest', 'bank', book, '--profile', 'santander-es', ...args]);
  const sheetOf = (db: string): string[] => sourcesOf(db).map((s) => s.options['sheetName']!);

  it('a number is a position when the workbook has one: sheets "2" and "1", --sheet 1 reads and records sheet "2"', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const book = await statementWorkbook(join(dir, 'swapped.xlsx'), ['2', '1']);
    expect(ingest(db, book, '--sheet', '1', '--account', FIRST).status).toBe(0);
    // Before: the name "2" was given to the reader, which took it as position 2 (sheet "1").
    expect(ingest(db, book, '--sheet', '2', '--account', SECOND).status).toBe(0);
    expect(sheetOf(db)).toEqual(['2', '1']);
    expect(ingest(db, book, '--sheet', '1', '--account', FIRST).stderr).toMatch(/already imported \(source 1,/);
  });

  it('a sheet named "1" after a cover sheet is found by its header (before: "no header", reading the cover)', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const book = await statementWorkbook(join(dir, 'cover.xlsx'), ['cover:Cover', '1']);
    const run = ingest(db, book, '--account', FIRST);
    expect([run.status, run.stderr.split('\n')[0]]).toEqual([0, `${book}: profile santander-es: 1 stored`]);
    expect(sheetOf(db)).toEqual(['1']);
  });

  it('sheets named by year: each is its own statement (before: the second was refused as another reading of the first)', async () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const book = await statementWorkbook(join(dir, 'years.xlsx'), ['2024', '2025']);
    expect(ingest(db, book, '--sheet', '2024', '--account', FIRST).status).toBe(0);
    const second = ingest(db, book, '--sheet', '2025', '--account', SECOND);
    expect([second.status, second.stderr.split('\n')[0]]).toEqual([0, `${book}: profile santander-es: 1 stored`]);
    expect(sheetOf(db)).toEqual(['2024', '2025']);
  });

  it('a profile\'s own sheet does not stand in the way of --sheet (before: "the workbook has no sheet")', async () => {
    const dir = tempDir();
    const profile = JSON.parse(readFileSync(join(ROOT, 'adapters', 'bank', 'profiles', 'santander-es.json'), 'utf8')) as Record<string, unknown>;
    const custom = join(dir, 'santander-movimientos.json');
    writeFileSync(custom, JSON.stringify({ ...profile, name: 'santander-movimientos', sheet: 'Movimientos' }));
    const run = hoptrace([
      '--db',
      join(dir, 'case.db'),
      'ingest',
      'bank',
      fixture('santander-es-xlsx', 'sample-statement.xlsx'),
      '--profile',
      custom,
      '--sheet',
      '1',
      '--account',
      FIRST,
    ]);
    expect(run.stderr.split('\n')[0]).toMatch(/: profile santander-movimientos: 1 stored$/);
    expect(run.status).toBe(0);
  });
});

describe('priorImportOf on a workbook', () => {
  const source = (id: number, options: object): SourceInfo => ({
    id,
    path: 'book.xlsx',
    sha256: 'ab'.repeat(32),
    size: 1,
    adapter: 'bank:santander-es',
    options: JSON.stringify(options),
    importedAt: '2026-01-01T00:00:00.000Z',
    rows: 1,
    rejected: 0,
    skipped: 0,
    duplicates: 0,
    notes: [],
  });
  const names = ['Sheet1', 'Second account'];
  const sheets = (read: string): WorkbookSheets => ({ names, position: names.indexOf(read) + 1, read, unnamed: 'Sheet1' });

  it('reads a sheet stored by position (as hoptrace stored it before) or not named at all as the sheet it was', () => {
    const byPosition = source(1, { account: FIRST, sheet: '1' });
    const unnamed = source(2, { account: FIRST });
    const now = JSON.stringify({ account: FIRST, sheet: 'Sheet1' });
    expect(priorImportOf([byPosition], 'book.xlsx', 'bank:santander-es', now, sheets('Sheet1'))).toBe(byPosition);
    expect(priorImportOf([unnamed], 'book.xlsx', 'bank:santander-es', now, sheets('Sheet1'))).toBe(unnamed);
    // The other sheet: no earlier reading of it, and no conflict with the first sheet's.
    const other = JSON.stringify({ account: SECOND, sheet: 'Second account' });
    expect(priorImportOf([byPosition, unnamed], 'book.xlsx', 'bank:santander-es', other, sheets('Second account'))).toBeUndefined();
    // Without the workbook's sheets (a text file), any other reading of the bytes is refused.
    expect(() => priorImportOf([byPosition], 'book.xlsx', 'bank:santander-es', other)).toThrow(/already imported as source 1/);
  });

  it('refuses a reading of a sheet whose earlier reading named a sheet the workbook does not have', () => {
    const unknown = source(3, { account: FIRST, sheet: '9' });
    expect(() =>
      priorImportOf([unknown], 'book.xlsx', 'bank:santander-es', JSON.stringify({ account: SECOND, sheet: 'Second account' }), sheets('Second account')),
    ).toThrow(/already imported as source 3/);
  });
});
