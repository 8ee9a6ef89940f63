import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { chooseCounterpart, MATCH_WINDOW_MS } from '../../src/model/bankSides.js';
import { selectBankProvenance, selectBankTransfersByRef } from '../../src/store/bankMatch.js';
import { amountFromDb, type Db } from '../../src/store/caseStore.js';
import { selectCaseInfo } from '../../src/store/info.js';
import { SqliteTraceLedger } from '../../src/store/traceLedger.js';
import { resolveTransferIds } from '../../src/store/transferRefs.js';
import { useCaseDbs } from '../support/caseTotals.js';
import { fixture, tempDir } from '../support/cli.js';

/**
 * One payment seen in several statements: statements of two mule accounts and a victim's own statement of one of
 * the same payments (with its own bank's reference) give exactly one transfer per real payment,
 * exact sums, and either reference selects it. Figures: test/fixtures/bank-made/README.md.
 */
const VICTIM = 'DE89370400440532013000';
const MULE1 = 'DE77100100100123456789';
const MULE2 = 'NL91ABNA0417164300';
const victim = fixture('bank-made', 'victim-camt053.xml');
const mule1 = fixture('bank-made', 'mule1-generic.csv');
const mule2 = fixture('bank-made', 'mule2-mt940.sta');

const caseDb = useCaseDbs();

async function ingestAll(db: Db, order: ('victim' | 'mule1' | 'mule2')[]): Promise<void> {
  for (const which of order) {
    if (which === 'mule1') await ingestBankFiles(db, [mule1], { account: MULE1 });
    else await ingestBankFiles(db, [which === 'victim' ? victim : mule2]);
  }
}

const count = (db: Db, sql: string, ...params: unknown[]): number =>
  Number(
    db
      .prepare(sql)
      .pluck()
      .get(...params),
  );

describe('one payment, two statements', () => {
  it('six real payments in three statements are six transfers, 22,600.00 EUR', async () => {
    const db = caseDb();
    await ingestAll(db, ['mule1', 'mule2', 'victim']);
    const info = selectCaseInfo(db);
    expect(info.transfers).toBe(6);
    expect(info.byAsset).toEqual([{ rail: 'bank', asset: 'EUR', count: 6, amount: '22600.00' }]);
    expect(info.sources.map((s) => [s.adapter, s.rows, s.duplicates])).toEqual([
      ['bank:generic', 4, 0],
      ['bank:mt940', 1, 1],
      ['bank:camt', 1, 1],
    ]);
  });

  it("either bank's reference selects the one transfer, which keeps both statements as provenance", async () => {
    const db = caseDb();
    await ingestAll(db, ['mule1', 'mule2', 'victim']);
    const [fromVictim] = selectBankTransfersByRef(db, 'COBA-2024030400342');
    const [fromMule] = selectBankTransfersByRef(db, 'M1-100');
    expect(fromVictim).toEqual(fromMule);
    expect(fromVictim).toMatchObject({ from: VICTIM, to: MULE1, amount: 500000n, asset: 'EUR', ref: 'M1-100' });
    expect(resolveTransferIds(db, 'COBA-2024030400342')).toEqual([fromVictim!.id]);
    expect(resolveTransferIds(db, 'M1-100')).toEqual([fromVictim!.id]);
    expect(selectBankProvenance(db, fromVictim!.id)).toEqual([
      { sourceId: 1, path: mule1, line: 2, ref: 'M1-100' },
      { sourceId: 3, path: victim, line: 53, ref: 'COBA-2024030400342' },
    ]);
    const hop = selectBankTransfersByRef(db, 'M2-7000');
    expect(hop).toEqual(selectBankTransfersByRef(db, 'M1-102'));
    expect(hop).toMatchObject([{ from: MULE1, to: MULE2, amount: 700000n }]);
  });

  it('the order of import does not change the result', async () => {
    const summaries: string[] = [];
    for (const order of [
      ['mule1', 'mule2', 'victim'],
      ['victim', 'mule2', 'mule1'],
      ['mule2', 'victim', 'mule1'],
    ] as const) {
      const db = caseDb();
      await ingestAll(db, [...order]);
      const rows = db
        .prepare(`SELECT f.ident AS f, r.ident AS t, t.amount AS amount, (SELECT group_concat(ref, ' ') FROM (SELECT ref FROM transfer_refs WHERE transfer_id = t.id UNION SELECT t.ref ORDER BY ref)) AS refs
                  FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY t.amount`)
        .all();
      summaries.push(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    expect(new Set(summaries).size).toBe(1);
    expect(JSON.parse(summaries[0]!).map((r: { refs: string }) => r.refs)).toEqual([
      expect.stringMatching(/^ht-[0-9a-f]{24}$/),
      'COBA-2024030100017',
      'M1-101',
      'COBA-2024030400342 M1-100',
      'M2-6900',
      'M1-102 M2-7000',
    ]);
  });

  it('holder names, banks and opening balances from each statement', async () => {
    const db = caseDb();
    await ingestAll(db, ['victim', 'mule1', 'mule2']);
    const holder = (ident: string): unknown => db.prepare('SELECT holder, holder_norm, bank FROM accounts WHERE ident = ?').get(ident);
    expect(holder(VICTIM)).toEqual({ holder: 'Maria Müller', holder_norm: 'maria muller', bank: 'COBADEFFXXX' });
    expect(holder(MULE1)).toEqual({ holder: 'JENS KRAMER', holder_norm: 'jens kramer', bank: null });
    expect(holder(MULE2)).toEqual({ holder: 'J. de Vries Trading B.V.', holder_norm: 'j de vries trading b v', bank: null });
    const openings = db.prepare('SELECT a.ident, o.amount, o.line FROM opening_balances o JOIN accounts a ON a.id = o.account_id ORDER BY a.ident').all() as {
      ident: string;
      amount: bigint;
      line: bigint;
    }[];
    expect(openings).toEqual([
      { ident: MULE1, amount: 12000n, line: 2n },
      { ident: VICTIM, amount: 925000n, line: 24n },
      { ident: MULE2, amount: 5000n, line: 4n },
    ]);
  });

  it('re-importing a statement, or an overlapping copy of it, adds nothing', async () => {
    const db = caseDb();
    await ingestAll(db, ['mule1', 'mule2', 'victim']);
    const again = await ingestBankFiles(db, [mule1], { account: MULE1 });
    expect(again[0]!.status).toBe('already-imported');
    const copy = join(tempDir(), 'mule1-overlap.csv');
    const [header, , ...rest] = readFileSync(mule1, 'utf8').split('\n');
    writeFileSync(copy, [header, ...rest].join('\n'));
    const overlap = await ingestBankFiles(db, [copy], { account: MULE1 });
    // A later export without the first line: its three lines are the ones already stored.
    expect(overlap[0]).toMatchObject({ status: 'imported', rows: 0, duplicates: 3 });
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(6);
    expect(count(db, 'SELECT COUNT(*) FROM opening_balances')).toBe(3);
  }, 30_000);
});

describe('the matching rule', () => {
  it('picks the counterpart nearest in time, then the first stored, within 3 days', () => {
    const day = 86_400_000;
    expect(MATCH_WINDOW_MS).toBe(3 * day);
    expect(
      chooseCounterpart(10 * day, [
        { id: 5, time: 12 * day },
        { id: 9, time: 9 * day },
      ]),
    ).toEqual({ id: 9, time: 9 * day });
    expect(
      chooseCounterpart(10 * day, [
        { id: 9, time: 11 * day },
        { id: 5, time: 9 * day },
      ]),
    ).toEqual({ id: 5, time: 9 * day });
    expect(chooseCounterpart(10 * day, [{ id: 5, time: 14 * day }])).toBeUndefined();
    expect(chooseCounterpart(10 * day, [{ id: 5, time: 13 * day }])).toEqual({ id: 5, time: 13 * day });
  });

  it('booked 3 days apart is one payment; 4 days apart are two', async () => {
    for (const [day, transfers] of [
      ['07', 2],
      ['08', 3],
    ] as const) {
      const db = caseDb();
      await ingestBankFiles(db, [victim]);
      const late = join(tempDir(), 'mule1.csv');
      writeFileSync(
        late,
        `date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n2024-03-${day},5000.00,EUR,${VICTIM},Maria Mueller,M1-100,x,5000.00\n`,
      );
      await ingestBankFiles(db, [late], { account: MULE1 });
      expect([day, count(db, 'SELECT COUNT(*) FROM transfers')]).toEqual([day, transfers]);
    }
  });

  it('two equal payments a fortnight apart stay two, each merged with its own counterpart', async () => {
    const db = caseDb();
    const dir = tempDir();
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
    writeFileSync(
      join(dir, 'v.csv'),
      `${header}2024-03-04,-5000.00,EUR,${MULE1},Jens Kramer,V-1,,20000.00\n2024-03-18,-5000.00,EUR,${MULE1},Jens Kramer,V-2,,15000.00\n`,
    );
    writeFileSync(
      join(dir, 'm.csv'),
      `${header}2024-03-19,5000.00,EUR,${VICTIM},Maria Mueller,M-2,,5000.00\n2024-03-05,5000.00,EUR,${VICTIM},Maria Mueller,M-1,,10000.00\n`,
    );
    await ingestBankFiles(db, [join(dir, 'v.csv')], { account: VICTIM });
    await ingestBankFiles(db, [join(dir, 'm.csv')], { account: MULE1 });
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(2);
    expect(selectBankTransfersByRef(db, 'M-1')).toEqual(selectBankTransfersByRef(db, 'V-1'));
    expect(selectBankTransfersByRef(db, 'M-2')).toEqual(selectBankTransfersByRef(db, 'V-2'));
  });

  it('a counterparty known only by name never merges', async () => {
    const db = caseDb();
    const dir = tempDir();
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
    writeFileSync(join(dir, 'v.csv'), `${header}2024-03-04,-5000.00,EUR,,Jens Kramer,V-1,,20000.00\n`);
    writeFileSync(join(dir, 'm.csv'), `${header}2024-03-04,5000.00,EUR,${VICTIM},Maria Mueller,M-1,,5000.00\n`);
    await ingestBankFiles(db, [join(dir, 'v.csv')], { account: VICTIM });
    await ingestBankFiles(db, [join(dir, 'm.csv')], { account: MULE1 });
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(2);
    expect(selectBankTransfersByRef(db, 'V-1')[0]!.to).toBe('name:jens kramer');
  });

  it('two banks printing the same short reference on the same line stay two transfers', async () => {
    const db = caseDb();
    const dir = tempDir();
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
    writeFileSync(join(dir, 'a.csv'), `${header}2024-03-04,-10.00,EUR,,Shop,Z001,,90.00\n`);
    // Other bytes (the same bytes under another --account would be refused: one file, one reading).
    writeFileSync(join(dir, 'b.csv'), `${header}2024-03-04,-10.00,EUR,,Shop,Z001,card,90.00\n`);
    await ingestBankFiles(db, [join(dir, 'a.csv')], { account: VICTIM });
    await ingestBankFiles(db, [join(dir, 'b.csv')], { account: MULE1 });
    expect(selectBankTransfersByRef(db, 'Z001').map((t) => [t.ref, t.from])).toEqual([
      ['Z001', VICTIM],
      [`Z001@${MULE1}`, MULE1],
    ]);
  });
});

describe('amounts past 2^63 minor units in a statement', () => {
  // SQLite's INTEGER affinity turns a decimal string past 64 bits into a REAL (a wrong figure); a
  // transfer stores such an amount as 0x… text (src/store/sourceWriter.ts, storedAmount), and the
  // statement's matching, gaps and opening balances must store and compare it the same way.
  const HUGE = '100000000000000000.00'; // 10^19 cents, past 2^63
  const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
  const first = `2024-03-05,${HUGE},EUR,DE89370400440532013000,Maria Mueller,H-1,Huge,100000000000000001.00\n`;

  it('the same line in a second statement of the account is one transfer, and the opening balance is exact', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, header + first);
    writeFileSync(b, header + first + '2024-03-06,-1.00,EUR,AT611904300234573201,Walter Weiss,H-2,Fee,100000000000000000.00\n');
    const db = caseDb();
    await ingestBankFiles(db, [a], { account: MULE1 });
    await ingestBankFiles(db, [b], { account: MULE1 });
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(2);
    expect(db.prepare("SELECT typeof(amount) AS type, amount FROM transfers WHERE ref = 'H-1'").get()).toEqual({ type: 'text', amount: '0x8ac7230489e80000' });
    expect(db.prepare('SELECT typeof(amount) AS type, amount FROM opening_balances').all()).toEqual([{ type: 'integer', amount: 100n }]);
    const info = selectCaseInfo(db);
    expect(info.byAsset).toEqual([{ rail: 'bank', asset: 'EUR', count: 2, amount: '100000000000000001.00' }]);
  });
});

describe('an overdraft past 2^63 minor units', () => {
  it('a negative opening balance past 64 bits is stored as text and read back exactly', async () => {
    const file = join(tempDir(), 'overdraft.csv');
    writeFileSync(
      file,
      'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n2024-03-05,100000000000000000.00,EUR,DE89370400440532013000,Maria Mueller,O-1,Huge,1.00\n',
    );
    const db = caseDb();
    await ingestBankFiles(db, [file], { account: MULE1 });
    expect(db.prepare('SELECT typeof(amount) AS type, amount FROM opening_balances').all()).toEqual([{ type: 'text', amount: '-0x8ac7230489e7ff9c' }]);
    expect(amountFromDb('-0x8ac7230489e7ff9c')).toBe(-9999999999999999900n);
    // The tracer's balance before the line is that opening balance, exactly (SQL's SUM read the text as 0).
    const ledger = new SqliteTraceLedger(db);
    const mule = Number(db.prepare('SELECT id FROM accounts WHERE ident = ?').pluck().get(MULE1));
    expect(ledger.balanceBefore(mule, 'EUR', ledger.transfer(1)!)).toBe(-9999999999999999900n);
  });
});
