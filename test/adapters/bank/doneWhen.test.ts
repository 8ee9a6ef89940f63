import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../../src/ingest/ingestBank.js';
import { openCaseDb, type Db } from '../../../src/store/caseStore.js';
import { selectCaseInfo } from '../../../src/store/info.js';
import { traceCase } from '../../../src/trace/traceCase.js';
import { writeReport } from '../../../src/report/writeReport.js';
import type { HoptraceError } from '../../../src/model/errors.js';
import { tempDir } from '../../support/cli.js';

/**
 * Statements hoptrace has never seen, as an investigator gets them from US banks: two mule
 * accounts with routing-number idents paying each other and an OTC desk, and the victim's own
 * statement of one payment — written in the generic layout and as XLSX. Every payment is stored
 * once with both sides, same-day lines and balances are right, a removed line is a gap with the
 * other lines stored (--balance gaps), and the trace is the same from CSV and from XLSX.
 */
const VICTIM = '121000248:5550001111'; // Wells Fargo routing number : account
const MULE_A = '021000021:6578688354'; // JPMorgan Chase
const MULE_B = '026009593:1234567890'; // Bank of America
const OTC = '011000138:99887766'; // the OTC desk's account

type Line = [date: string, amount: string, counterparty: string, name: string, reference: string, description: string, balance: string];
const HEADER = ['date', 'amount', 'currency', 'counterparty_account', 'counterparty_name', 'reference', 'description', 'balance'];

const victimLines: Line[] = [['2024-06-03', '-25000.00', MULE_A, 'Mule A', 'V-1', 'wire to "investment platform"', '5000.00']];
// The bank lists 4 June's two payments by amount, largest first; the balances say the €12,000 to Mule B came first.
const muleALines: Line[] = [
  ['2024-06-03', '25000.00', VICTIM, 'Jane Victim', 'A-1', 'incoming wire', '25000.00'],
  ['2024-06-04', '-12500.00', OTC, 'Apex OTC Desk Ltd', 'A-3', 'usdt purchase', '500.00'],
  ['2024-06-04', '-12000.00', MULE_B, 'Mule B', 'A-2', 'transfer', '13000.00'],
  ['2024-06-05', '-400.00', 'name:ATM Main Street', 'ATM Main Street', 'A-4', 'cash', '100.00'],
];
const muleBLines: Line[] = [
  ['2024-06-05', '12000.00', MULE_A, 'Mule A', 'B-1', 'transfer', '12000.00'],
  ['2024-06-06', '-11900.00', OTC, 'Apex OTC Desk Ltd', 'B-2', 'usdt purchase', '100.00'],
  ['2024-06-07', '-50.00', 'name:Corner Grocer', 'Corner Grocer', 'B-3', 'card', '50.00'],
];

function csvText(lines: readonly Line[]): string {
  const quote = (cell: string): string => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return (
    [
      HEADER.join(','),
      ...lines.map(([date, amount, cp, name, ref, desc, balance]) => [date, amount, 'USD', cp, name, ref, desc, balance].map(quote).join(',')),
    ].join('\n') + '\n'
  );
}

async function writeXlsx(path: string, lines: readonly Line[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Account activity');
  sheet.addRow(HEADER);
  for (const [date, amount, cp, name, ref, desc, balance] of lines) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    sheet.addRow([new Date(Date.UTC(y, m - 1, d)), Number(amount), 'USD', cp, name, ref, desc, Number(balance)]);
  }
  await workbook.xlsx.writeFile(path);
}

interface Statements {
  victim: string;
  muleA: string;
  muleB: string;
  muleBMissing: string;
}

async function statements(kind: 'csv' | 'xlsx'): Promise<Statements> {
  const dir = tempDir();
  const files = { victim: victimLines, muleA: muleALines, muleB: muleBLines, muleBMissing: muleBLines.filter((l) => l[4] !== 'B-2') };
  const out = {} as Statements;
  for (const [name, lines] of Object.entries(files) as [keyof Statements, Line[]][]) {
    const path = join(dir, `${name}.${kind}`);
    if (kind === 'csv') writeFileSync(path, csvText(lines));
    else await writeXlsx(path, lines);
    out[name] = path;
  }
  return out;
}

const open: Db[] = [];
function caseDb(): { db: Db; path: string } {
  const path = join(tempDir(), 'case.db');
  const db = openCaseDb(path);
  open.push(db);
  return { db, path };
}
afterEach(() => open.splice(0).forEach((db) => db.close()));

async function ingestAll(db: Db, files: Statements): Promise<void> {
  await ingestBankFiles(db, [files.victim], { account: VICTIM });
  await ingestBankFiles(db, [files.muleA], { account: MULE_A });
  await ingestBankFiles(db, [files.muleB], { account: MULE_B });
}

function payments(db: Db): (string | number)[][] {
  return (
    db
      .prepare(
        `SELECT f.ident, r.ident, t.amount, t.time, t.ref, (SELECT group_concat(b.ref, ' ') FROM (SELECT ref FROM bank_lines WHERE transfer_id = t.id ORDER BY ref) b) AS sides
         FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY t.id`,
      )
      .raw()
      .all() as (string | bigint)[][]
  ).map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

const day = (d: number): number => Date.UTC(2024, 5, d);
const EXPECTED = [
  [VICTIM, MULE_A, 2500000, day(3), 'V-1', 'A-1 V-1'],
  [MULE_A, MULE_B, 1200000, day(4), 'A-2', 'A-2 B-1'],
  [MULE_A, OTC, 1250000, day(4), 'A-3', 'A-3'],
  [MULE_A, 'name:atm main street', 40000, day(5), 'A-4', 'A-4'],
  [MULE_B, OTC, 1190000, day(6), 'B-2', 'B-2'],
  [MULE_B, 'name:corner grocer', 5000, day(7), 'B-3', 'B-3'],
];

// All of the mules' money came from the victim (both open at 0.00): every payment out carries it.
const TRACED = [
  [VICTIM, MULE_A, '25000.00'],
  [MULE_A, MULE_B, '12000.00'],
  [MULE_A, OTC, '12500.00'],
  [MULE_A, 'name:atm main street', '400.00'],
  [MULE_B, OTC, '11900.00'],
  [MULE_B, 'name:corner grocer', '50.00'],
];

describe('done when: unseen US mule statements, CSV and XLSX', () => {
  for (const kind of ['csv', 'xlsx'] as const) {
    it(`${kind}: every payment stored once with both sides, same-day lines in balance order, no gap`, async () => {
      const files = await statements(kind);
      const { db } = caseDb();
      await ingestAll(db, files);
      expect(payments(db)).toEqual(EXPECTED);
      const info = selectCaseInfo(db);
      expect(info.byAsset).toEqual([{ rail: 'bank', asset: 'USD', count: 6, amount: '61850.00' }]);
      expect(info.balanceGaps).toEqual([]);
      expect(info.rejects).toEqual([]);
      const muleA = info.sources.find((s) => s.path === files.muleA)!;
      expect(muleA.notes).toContain(
        `lines 3 and 4 (${MULE_A}, 2024-06-04) are listed in an order their balances contradict: taken in the order the balances imply (4, 3, oldest first); banks sort a day's lines by amount or value date`,
      );
      expect(muleA.notes).toContain(`opening balance of ${MULE_A}: 0.00 USD before line 2`);
    });
  }

  it('a removed line is a gap between two lines; under --balance gaps every other line is stored', async () => {
    for (const kind of ['csv', 'xlsx'] as const) {
      const files = await statements(kind);
      const { db } = caseDb();
      const error = await ingestBankFiles(db, [files.muleBMissing], { account: MULE_B }).catch((e: unknown) => e as HoptraceError);
      expect((error as HoptraceError).describe()).toBe(
        `${files.muleBMissing}:3: balance 50.00 USD does not follow from the previous balance 12000.00 and amount -50.00 (expected 11950.00): a missing or altered line — nothing from this file was stored; --balance gaps stores every line and records the gap between lines 2 and 3`,
      );
      const [result] = await ingestBankFiles(db, [files.muleBMissing], { account: MULE_B, balance: 'gaps' });
      expect(result).toMatchObject({ rows: 2, rejected: 0 });
      expect(selectCaseInfo(db).balanceGaps.map((g) => [g.account, g.missing, g.lineBefore, g.lineAfter, g.timeBefore, g.timeAfter])).toEqual([
        [MULE_B, '-11900.00', 2, 3, day(5), day(7)],
      ]);
    }
  });

  it('the trace through those accounts is the same from CSV and from XLSX', async () => {
    const traces = [];
    for (const kind of ['csv', 'xlsx'] as const) {
      const files = await statements(kind);
      const { db, path } = caseDb();
      await ingestAll(db, files);
      const result = traceCase({ db, casePath: path, seeds: ['V-1'], options: { rule: 'fifo' } });
      // Only the provenance differs: which file (CSV or XLSX) and its SHA-256.
      const { case: _case, sources: _sources, ...rest } = result;
      traces.push(JSON.parse(JSON.stringify(rest, (key, value: unknown) => (key === 'path' || key === 'sha256' ? undefined : value))) as typeof rest);
    }
    expect(traces[1]).toEqual(traces[0]);
    expect(traces[0]!.edges.map((e) => [e.from, e.to, e.traced])).toEqual(TRACED);
    // Where the 25,000.00 rests: the OTC desk 12,500 + 11,900; the ATM 400; A 25,000 − 24,900; B 12,000 − 11,950; the grocer 50.
    expect(traces[0]!.held.map((h) => [h.ident, h.amount])).toEqual([
      [OTC, '24400.00'],
      ['name:atm main street', '400.00'],
      [MULE_A, '100.00'],
      [MULE_B, '50.00'],
      ['name:corner grocer', '50.00'],
    ]);
  });

  it('a trace through an account with a gap lists it, and so does its report', async () => {
    const files = await statements('csv');
    const { db, path } = caseDb();
    await ingestBankFiles(db, [files.victim], { account: VICTIM });
    await ingestBankFiles(db, [files.muleA], { account: MULE_A });
    await ingestBankFiles(db, [files.muleBMissing], { account: MULE_B, balance: 'gaps' });
    const result = traceCase({ db, casePath: path, seeds: ['V-1'], options: { rule: 'fifo' } });
    expect(result.balanceGaps).toEqual([{ account: MULE_B, asset: 'USD', missing: '-11900.00', path: files.muleBMissing, lineBefore: 2, lineAfter: 3 }]);
    const markdown = writeReport(result, 'md', { timestamp: null });
    expect(markdown).toContain('### Balance gaps');
    expect(markdown).toContain(`| ${MULE_B} | -11,900.00 USD | 2 and 3 | ${files.muleBMissing} |`);
    // A trace that does not pass through that account says nothing of it.
    const other = traceCase({ db, casePath: path, seeds: ['A-4'], options: { rule: 'fifo' } });
    expect(other.balanceGaps).toBeUndefined();
  });
});
