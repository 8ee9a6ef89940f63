import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HoptraceError } from '../../../src/model/errors.js';
import { ingestBankFiles } from '../../../src/ingest/ingestBank.js';
import { verifyCase } from '../../../src/ingest/verifySources.js';
import { openCaseDb, type Db } from '../../../src/store/caseStore.js';
import { selectCaseInfo } from '../../../src/store/info.js';
import { formatInfo } from '../../../src/cli/run/info.js';
import { tempDir } from '../../support/cli.js';
import { readBankFile } from './support.js';

const HEADER = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
const OWN = 'DE89370400440532013000';
const open: Db[] = [];
function caseDb(): Db {
  const db = openCaseDb(join(tempDir(), 'case.db'));
  open.push(db);
  return db;
}
afterEach(() => open.splice(0).forEach((db) => db.close()));

function statement(name: string, body: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, HEADER + body);
  return path;
}

// The case: the €24,000 line between lines 2 and 3 was left out of the production.
const MISSING_24K = statement(
  'victim.csv',
  '2024-03-01,50000.00,EUR,,Salary,S1,,50000.00\n' +
    '2024-03-04,-12000.00,EUR,NL91ABNA0417164300,Mule One,V2,,14000.00\n' +
    '2024-03-05,-1000.00,EUR,,Rent,V3,,13000.00\n',
);

describe('a running-balance break is a gap between two lines, not a bad line', () => {
  it('by default the file fails naming the line after the gap, and nothing is stored', async () => {
    const db = caseDb();
    const error = await ingestBankFiles(db, [MISSING_24K], { account: OWN }).catch((e: unknown) => e);
    expect((error as HoptraceError).describe()).toBe(
      `${MISSING_24K}:3: balance 14000.00 EUR does not follow from the previous balance 50000.00 and amount -12000.00 (expected 38000.00): a missing or altered line — nothing from this file was stored; --balance gaps stores every line and records the gap between lines 2 and 3`,
    );
    expect(selectCaseInfo(db).transfers).toBe(0);
  });

  it('--skip-bad no longer rejects the genuine €12,000 line: a break is never a reject', async () => {
    const db = caseDb();
    const error = await ingestBankFiles(db, [MISSING_24K], { account: OWN, skipBad: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ file: MISSING_24K, line: 3, message: expect.stringMatching(/^balance 14000\.00 EUR/) });
    expect(selectCaseInfo(db).rejects).toEqual([]);
  });

  it('--balance gaps stores every line and records the gap: account, both lines, the missing amount', async () => {
    const db = caseDb();
    const [result] = await ingestBankFiles(db, [MISSING_24K], { account: OWN, balance: 'gaps' });
    expect(result).toMatchObject({ rows: 3, rejected: 0 });
    const info = selectCaseInfo(db);
    expect(info.byAsset).toEqual([{ rail: 'bank', asset: 'EUR', count: 3, amount: '63000.00' }]);
    expect(info.balanceGaps).toEqual([
      {
        account: OWN,
        asset: 'EUR',
        missing: '-24000.00',
        path: MISSING_24K,
        sourceId: 1,
        lineBefore: 2,
        lineAfter: 3,
        timeBefore: Date.UTC(2024, 2, 1),
        timeAfter: Date.UTC(2024, 2, 4),
        reason: 'balance 14000.00 EUR does not follow from the previous balance 50000.00 and amount -12000.00 (expected 38000.00): a missing or altered line',
      },
    ]);
    expect(info.sources[0]!.notes).toContain(`balance gap in ${OWN}: -24000.00 EUR moved between lines 2 and 3 that no line shows (both lines stored)`);
    expect(formatInfo(info)).toContain(
      `balance gaps (money moved that no statement line shows):\n  ${MISSING_24K}:3: ${OWN}: -24000.00 EUR moved between lines 2 and 3 that no line shows\n`,
    );
    const verified = await verifyCase(db);
    expect(verified.ok).toBe(true);
    expect(verified.balanceGaps.map((g) => [g.account, g.missing, g.lineBefore, g.lineAfter])).toEqual([[OWN, '-24000.00', 2, 3]]);
  });

  it('newest first: the same gap, between the same two lines', async () => {
    const path = statement(
      'nf.csv',
      '2024-03-05,-1000.00,EUR,,Rent,V3,,13000.00\n' +
        '2024-03-04,-12000.00,EUR,NL91ABNA0417164300,Mule One,V2,,14000.00\n' +
        '2024-03-01,50000.00,EUR,,Salary,S1,,50000.00\n',
    );
    const items = await readBankFile(path, 'generic', OWN);
    const gaps = items.flatMap((i) => (i.kind === 'gap' ? [[i.gap.lineBefore, i.gap.lineAfter, i.gap.missing]] : []));
    expect(gaps).toEqual([[4, 3, -24000_00n]]);
    expect(items.filter((i) => i.kind === 'line').length).toBe(3);
    expect(items.some((i) => i.kind === 'reject')).toBe(false);
  });
});

describe('same-day lines in an order their balances contradict', () => {
  it('are taken in the order the balances imply, with a note, and no gap', async () => {
    // The bank lists the day's lines by amount (largest first); the balances say the €500 came first.
    const path = statement(
      'sorted.csv',
      '2024-05-02,1000.00,EUR,,Start,R1,,1000.00\n' +
        '2024-05-03,-900.00,EUR,,Big,R3,,600.00\n' +
        '2024-05-03,500.00,EUR,,Small,R2,,1500.00\n' +
        '2024-05-04,-100.00,EUR,,After,R4,,500.00\n',
    );
    const items = await readBankFile(path, 'generic', OWN);
    expect(items.some((i) => i.kind === 'gap' || i.kind === 'reject')).toBe(false);
    expect(items.flatMap((i) => (i.kind === 'line' ? [i.line.record.ref] : []))).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(items.flatMap((i) => (i.kind === 'note' && i.message.includes('contradict') ? [i.message] : []))).toEqual([
      `lines 3 and 4 (${OWN}, 2024-05-03) are listed in an order their balances contradict: taken in the order the balances imply (4, 3, oldest first); banks sort a day's lines by amount or value date`,
    ]);
  });

  it('newest first, too', async () => {
    const path = statement(
      'sorted-nf.csv',
      '2024-05-04,-100.00,EUR,,After,R4,,500.00\n' +
        '2024-05-03,500.00,EUR,,Small,R2,,1500.00\n' +
        '2024-05-03,-900.00,EUR,,Big,R3,,600.00\n' +
        '2024-05-02,1000.00,EUR,,Start,R1,,1000.00\n',
    );
    const items = await readBankFile(path, 'generic', OWN);
    expect(items.some((i) => i.kind === 'gap' || i.kind === 'reject')).toBe(false);
    // Days stay newest first as listed; within the day, the order the balances imply.
    expect(items.flatMap((i) => (i.kind === 'line' ? [i.line.record.ref] : []))).toEqual(['R4', 'R2', 'R3', 'R1']);
  });
});
