import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bankAccountIdent, counterpartyIdent } from '../../../src/model/bankAccount.js';
import { IdentCache } from '../../../adapters/bank/csvRow.js';
import { ingestBankFiles } from '../../../src/ingest/ingestBank.js';
import { openCaseDb, type Db } from '../../../src/store/caseStore.js';
import { selectCaseInfo } from '../../../src/store/info.js';
import { tempDir } from '../../support/cli.js';
import { readBankFile } from './support.js';

const HEADER = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
const MULE_A = '021000021:6578688354';
const MULE_B = '026009593:1234567890';
const open: Db[] = [];
function caseDb(): Db {
  const db = openCaseDb(join(tempDir(), 'case.db'));
  open.push(db);
  return db;
}
afterEach(() => open.splice(0).forEach((db) => db.close()));

function file(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

const count = (db: Db, sql: string): number => Number(db.prepare(sql).pluck().get());

describe('counterparty cells in every ident form', () => {
  it('IBAN, BANKCODE:NUMBER, acct:NUMBER and name:… are taken as the idents they are', () => {
    expect(counterpartyIdent('021000021:6578688354')).toBe('021000021:6578688354');
    expect(counterpartyIdent(' 30-94-57 : 4820 1736 ')).toBe('309457:48201736');
    expect(counterpartyIdent('acct:99999999')).toBe('acct:99999999');
    expect(counterpartyIdent('acct:99999999', '062-000')).toBe('062000:99999999');
    expect(counterpartyIdent('name:OTC Desk Ltd')).toBe('name:otc desk ltd');
    expect(counterpartyIdent('nl91 abna 0417 1643 00')).toBe('NL91ABNA0417164300');
    expect(counterpartyIdent('6578688354', 'CHASUS33')).toBe('CHASUS33:6578688354');
    expect(() => counterpartyIdent('021000021:')).toThrow('account "021000021:": no number after the bank code');
  });

  it('two domestic mule statements paying each other: each payment stored once, with both sides', async () => {
    const muleA = file(
      'mule-a.csv',
      HEADER +
        '2024-06-03,9500.00,USD,name:Jane Victim,Jane Victim,A-1,wire in,9500.00\n' +
        `2024-06-04,-5000.00,USD,${MULE_B},Mule B,A-2,to B,4500.00\n` +
        '2024-06-05,-4400.00,USD,acct:88001234,OTC Desk,A-3,usdt purchase,100.00\n',
    );
    const muleB = file(
      'mule-b.csv',
      HEADER + `2024-06-05,5000.00,USD,${MULE_A},Mule A,B-7,from A,5000.00\n` + '2024-06-06,-4990.00,USD,011000138:55501,OTC Desk,B-8,otc,10.00\n',
    );
    const db = caseDb();
    await ingestBankFiles(db, [muleA], { account: MULE_A });
    const [second] = await ingestBankFiles(db, [muleB], { account: MULE_B });
    expect(second).toMatchObject({ rows: 1, duplicates: 1 });
    const info = selectCaseInfo(db);
    expect(info.transfers).toBe(4);
    expect(info.byAsset).toEqual([{ rail: 'bank', asset: 'USD', count: 4, amount: '23890.00' }]);
    const both = db
      .prepare(
        `SELECT f.ident AS "from", t2.ident AS "to", t.amount, (SELECT COUNT(*) FROM bank_lines b WHERE b.transfer_id = t.id) AS sides
         FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts t2 ON t2.id = t.to_id ORDER BY t.id`,
      )
      .raw()
      .all();
    expect(both).toEqual([
      ['name:jane victim', MULE_A, 950000n, 1n],
      [MULE_A, MULE_B, 500000n, 2n],
      [MULE_A, 'acct:88001234', 440000n, 1n],
      [MULE_B, '011000138:55501', 499000n, 1n],
    ]);
    expect(count(db, 'SELECT COUNT(*) FROM transfer_refs')).toBe(1);
  });

  it('a profile can name a separate counterparty bank-code column (routing number, sort code, BSB, BIC)', async () => {
    const profile = file(
      'us-wire.json',
      JSON.stringify({
        name: 'us-wire-test',
        bank: 'test',
        country: 'US',
        signature: ['Posting Date', 'Amount', 'Beneficiary ABA', 'Beneficiary Account'],
        date: { column: 'Posting Date', format: 'MM/DD/YYYY' },
        amount: { column: 'Amount' },
        currency: { fixed: 'USD' },
        counterparty: { account: 'Beneficiary Account', bankCode: 'Beneficiary ABA', name: 'Beneficiary' },
        description: ['Memo'],
        balance: 'Balance',
      }),
    );
    const statement = file(
      'wires.csv',
      'Posting Date,Amount,Beneficiary,Beneficiary ABA,Beneficiary Account,Memo,Balance\n' +
        '06/04/2024,-5000.00,Mule B,026009593,1234567890,to B,4500.00\n' +
        '06/05/2024,-100.00,Desk,,acct:777,fee,4400.00\n',
    );
    const items = await readBankFile(statement, profile, MULE_A);
    expect(items.flatMap((i) => (i.kind === 'line' ? [i.line.counterparty] : []))).toEqual([MULE_B, 'acct:777']);
  });
});

describe('IdentCache: account numbers turned into idents once per file', () => {
  it('gives what bankAccountIdent and counterpartyIdent give, by side and bank code, errors every time, past its capacity', () => {
    const cache = new IdentCache(3);
    const cases: [string, string | undefined, boolean][] = [
      ['DE89 3704 0044 0532 0130 00', undefined, false],
      ['DE89 3704 0044 0532 0130 00', undefined, true],
      ['6578688354', '021000021', true],
      ['6578688354', '026009593', true],
      ['6578688354', undefined, true],
      ['6578688354', '021000021', false],
      ['name:Maria  García', undefined, true],
      [MULE_A, undefined, true],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [number, bankCode, counterparty] of cases) {
        const expected = counterparty ? counterpartyIdent(number, bankCode) : bankAccountIdent(number, bankCode);
        expect(cache.identOf(number, bankCode, counterparty)).toBe(expected);
      }
      expect(() => cache.identOf('DE88370400440532013000', undefined, true)).toThrow(/checksum|check digits/);
    }
    expect(cache.identOf('6578688354', '021000021', true)).toBe('021000021:6578688354');
    expect(cache.identOf('6578688354', undefined, true)).toBe('acct:6578688354');
  });
});
