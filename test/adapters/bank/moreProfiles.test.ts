import { describe, expect, it } from 'vitest';
import { chooseStatementReader } from '../../../adapters/bank/index.js';
import { loadBuiltinProfiles } from '../../../adapters/bank/profiles.js';
import { fixture } from '../../support/cli.js';
import { brief, readWithProfile, rejectLines, rowsOf, skippedLines, sumOf } from './support.js';

/**
 * The profiles for the banks victims and mules in the US, UK, Canada, Singapore, Thailand, New
 * Zealand, Norway and Ireland send, each on the real sample it was written from
 * (test/fixtures/<source>/, README there; adapters/bank/profiles/README.md lists them). Row counts
 * and sums were checked with Python's csv and decimal modules over the same files.
 */
interface Case {
  profile: string;
  file: string[];
  account?: string;
  /** The statement's own account as the profile reads it (when the file says it). */
  own: string;
  rows: number;
  sum: string;
  first: { line: number; date: string; amount: string };
  last: { line: number; date: string; amount: string };
  skipped?: number[];
}

const CASES: Case[] = [
  { profile: 'chase-us', file: ['us-banks-synthetic-fixtures', 'headroom_chase_checking.csv'], account: '021000021:6578688354', own: '021000021:6578688354', rows: 12, sum: '1355.54', first: { line: 2, date: '2026-03-02', amount: '-86.42' }, last: { line: 13, date: '2026-03-31', amount: '1.12' } },
  { profile: 'bofa-us', file: ['us-banks-synthetic-fixtures', 'headroom_bofa_checking.csv'], account: '026009593:1234567890', own: '026009593:1234567890', rows: 11, sum: '1236.20', first: { line: 9, date: '2026-03-03', amount: '1900.56' }, last: { line: 19, date: '2026-03-31', amount: '0.56' }, skipped: [8] },
  { profile: 'barclays-uk', file: ['uk-banks-countinghouse', 'barclays.csv'], account: '200000:12345678', own: '200000:12345678', rows: 3, sum: '1927.66', first: { line: 2, date: '2026-09-05', amount: '-60.00' }, last: { line: 4, date: '2026-09-02', amount: '-12.34' } },
  { profile: 'monzo-uk', file: ['uk-banks-countinghouse', 'monzo.csv'], account: '040004:12345678', own: '040004:12345678', rows: 9, sum: '1988.94', first: { line: 2, date: '2026-09-01', amount: '-4.50' }, last: { line: 10, date: '2026-09-10', amount: '-12.99' } },
  { profile: 'starling-uk', file: ['uk-banks-countinghouse', 'starling.csv'], account: '608371:12345678', own: '608371:12345678', rows: 3, sum: '1927.66', first: { line: 3, date: '2026-09-02', amount: '-12.34' }, last: { line: 5, date: '2026-09-05', amount: '-60.00' }, skipped: [2] },
  { profile: 'natwest-uk', file: ['uk-banks-countinghouse', 'natwest.csv'], account: '600000:12345678', own: '600000:12345678', rows: 2, sum: '1987.66', first: { line: 3, date: '2026-09-01', amount: '-12.34' }, last: { line: 4, date: '2026-09-03', amount: '2000.00' } },
  { profile: 'rbc-ca', file: ['canada-rbc-td-bmo-fixtures', 'rbc.csv'], own: '003:01234-5678901', rows: 3, sum: '12034.63', first: { line: 2, date: '2026-01-02', amount: '2289.58' }, last: { line: 4, date: '2026-01-31', amount: '9750.00' } },
  { profile: 'td-ca', file: ['canada-rbc-td-bmo-fixtures', 'td.csv'], account: '004:1234567', own: '004:1234567', rows: 3, sum: '-247715.37', first: { line: 1, date: '2026-01-02', amount: '2289.58' }, last: { line: 3, date: '2026-01-20', amount: '-250000.00' } },
  { profile: 'bmo-ca', file: ['canada-rbc-td-bmo-fixtures', 'bmo.csv'], own: '001:5191230000000000', rows: 2, sum: '2284.63', first: { line: 4, date: '2026-01-02', amount: '2289.58' }, last: { line: 5, date: '2026-01-15', amount: '-4.95' } },
  { profile: 'dbs-sg', file: ['singapore-lunchsync-sg', 'dbs_savings.csv'], own: 'DBSSSGSG:020-1-234567', rows: 8, sum: '9.56', first: { line: 8, date: '2026-01-31', amount: '0.04' }, last: { line: 15, date: '2026-01-04', amount: '500.00' } },
  { profile: 'ocbc-sg', file: ['singapore-lunchsync-sg', 'ocbc_360.csv'], own: 'OCBCSGSG:695-012345-001', rows: 44, sum: '-6844.57', first: { line: 9, date: '2026-02-01', amount: '-120.00' }, last: { line: 138, date: '2026-01-02', amount: '-32.69' } },
  { profile: 'kasikornbank-th', file: ['thailand-banks-rossigee', 'kbank_kcyber_transaction_history.csv'], own: 'KASITHBK:123-0-12345-1', rows: 1, sum: '-965.00', first: { line: 8, date: '2020-01-07', amount: '-965.00' }, last: { line: 8, date: '2020-01-07', amount: '-965.00' } },
  { profile: 'asb-nz', file: ['nz-asb-kiwibank-budgeteur', 'asb_bank_statement.csv'], own: 'ASB:0123456-50', rows: 6, sum: '0.00', first: { line: 9, date: '2025-01-18', amount: '1300.00' }, last: { line: 14, date: '2025-03-20', amount: '-2750.00' } },
  { profile: 'kiwibank-nz', file: ['nz-asb-kiwibank-budgeteur', 'kiwibank_full_export.csv'], own: 'NZ:38-9000-0000001-00', rows: 4, sum: '-69.17', first: { line: 2, date: '2025-08-22', amount: '-9.00' }, last: { line: 5, date: '2025-08-23', amount: '-42.02' } },
  { profile: 'danske-no', file: ['norway-danske-dnb-notion-bank', 'danske.csv'], account: 'NO9386011117947', own: 'NO9386011117947', rows: 3, sum: '-312.17', first: { line: 2, date: '2023-04-05', amount: '-130.71' }, last: { line: 4, date: '2023-04-11', amount: '-43.00' } },
  { profile: 'dnb-no', file: ['norway-danske-dnb-notion-bank', 'dnb.txt'], account: 'NO9386011117947', own: 'NO9386011117947', rows: 3, sum: '3374.00', first: { line: 2, date: '2023-05-19', amount: '-2500.00' }, last: { line: 4, date: '2023-05-15', amount: '-126.00' } },
  { profile: 'boi-ie', file: ['bank2ynab-samples', 'ie_bank_of_ireland_test_BOI_TransactionExport.csv'], account: 'IE29AIBK93115212345678', own: 'IE29AIBK93115212345678', rows: 27, sum: '-419.61', first: { line: 2, date: '2017-09-01', amount: '428.03' }, last: { line: 28, date: '2017-09-28', amount: '-818.00' } },
];

describe('profiles for the victims\' and mules\' banks, on real samples', () => {
  for (const c of CASES) {
    it(`${c.profile}: ${c.file.join('/')}`, async () => {
      const path = fixture(...c.file);
      const items = await readWithProfile(c.profile, path, c.account);
      const rows = rowsOf(items);
      expect(rows.length).toBe(c.rows);
      expect(sumOf(rows)).toBe(c.sum);
      expect(brief(rows[0]!)).toEqual(c.first);
      expect(brief(rows[rows.length - 1]!)).toEqual(c.last);
      expect(rows[0]!.account).toBe(c.own);
      expect(rejectLines(items)).toEqual([]);
      expect(skippedLines(items)).toEqual(c.skipped ?? []);
      expect((await chooseStatementReader(path)).name).toBe(c.profile);
    });
  }

  it('a few details a trace relies on: counterparties, holders, references', async () => {
    const monzo = rowsOf(await readWithProfile('monzo-uk', fixture('uk-banks-countinghouse', 'monzo.csv'), '040004:12345678'));
    expect(monzo[2]).toMatchObject({ counterpartyName: 'ACME LTD', reference: 'tx_0000A3', amount: 245000n, currency: 'GBP' });
    const kiwi = rowsOf(await readWithProfile('kiwibank-nz', fixture('nz-asb-kiwibank-budgeteur', 'kiwibank_full_export.csv')));
    expect(kiwi[1]).toMatchObject({ counterpartyName: 'Alice', counterpartyAccount: 'acct:01-2345-0000002-00', balance: 880_69n });
    const natwest = rowsOf(await readWithProfile('natwest-uk', fixture('uk-banks-countinghouse', 'natwest.csv'), '600000:12345678'));
    expect(natwest[0]!.accountHolder).toBe('MR J SMITH');
    const thai = rowsOf(await readWithProfile('kasikornbank-th', fixture('thailand-banks-rossigee', 'kbank_kcyber_transaction_history.csv')));
    expect(thai[0]).toMatchObject({ accountHolder: 'COMPANY NAME.', balance: 14796_60n, currency: 'THB' });
  });

  it('the built-in profiles: at least 40, from at least 15 countries', () => {
    const profiles = loadBuiltinProfiles().map((p) => p.profile);
    expect(profiles.length).toBe(45);
    const countries = new Set(profiles.map((p) => p.country).filter((c) => c !== 'ZZ'));
    expect([...countries].sort()).toEqual(['AT', 'CA', 'CH', 'CN', 'DE', 'ES', 'GB', 'IE', 'LT', 'NL', 'NO', 'NZ', 'SG', 'TH', 'US']);
  });
});
