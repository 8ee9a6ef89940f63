import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/model/types.js';
import type { WorkbookSheets } from '../../src/model/workbook.js';
import { priorImportOf } from '../../src/ingest/priorImport.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { writeXlsxFromCsv } from '../support/xlsxFromCsv.js';

const FIRST = 'ES9121000418450200051332';
const SECOND = 'ES7921000813610123456789';

/** Santander's real workbook with a copy of its statement sheet as a second sheet: two accounts' statements in one file. */
async function twoStatementWorkbook(dir: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(fixture('santander-es-xlsx', 'sample-statement.xlsx'));
  const first = workbook.worksheets[0]!;
  const second = workbook.addWorksheet('Second account');
  first.eachRow({ includeEmpty: true }, (row, n) => {
    second.getRow(n).values = row.values as ExcelJS.CellValue[];
  });
  const path = join(dir, 'two-accounts.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

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
      { id: 1, options: { account: FIRST, sheet: 'Sheet1' } },
      { id: 2, options: { account: SECOND, sheet: 'Second account' } },
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
      `hoptrace: ${book}: already imported as source 1 (options bank:santander-es {"account":"${FIRST}","sheet":"Sheet1"}; ` +
        `now bank:santander-es {"account":"${SECOND}","sheet":"Sheet1"}) — remove-source 1 first to import it differently\n`,
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
    expect(sourcesOf(db)).toEqual([{ id: 1, options: { exchange: null, account: '4411', direction: null, sheet: 'Movements' } }]);
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
  const sheets = (read: string): WorkbookSheets => ({ names: ['Sheet1', 'Second account'], read, unnamed: 'Sheet1' });

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
