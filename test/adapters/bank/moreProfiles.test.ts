import { describe, expect, it } from 'vitest';
import { chooseStatementReader } from '../../../adapters/bank/index.js';
import { loadBuiltinProfiles } from '../../../adapters/bank/profiles.js';
import { fixture } from '../../support/cli.js';
import { brief, readWithProfile, rejectLines, rowsOf, skippedLines, sumOf } from './support.js';

/**
 * The profiles for the banks victims and mules in the US, UK, Canada, Singapore, Thailand, New
 * Zealand, Norway and Ireland send, each on a sample in the real layout it was written from
 * (test/fixtures/<source>/, README there; adapters/bank/profiles/README.md lists them). Where the
 * source states no licence (UK, US, Canadian and Norwegian samples) the sample is our own, in the
 * same layout with invented values. Row counts and sums were checked with Python's csv and
 * decimal modules over the same files.
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
  {
    profile: 'chase-us',
    file: ['us-banks-synthetic-fixtures', 'headroom_chase_checking.csv'],
    account: '021000021:6578688354',
    own: '021000021:6578688354',
    rows: 12,
    sum: '1733.89',
    first: { line: 2, date: '2026-04-01', amount: '-64.18' },
    last: { line: 13, date: '2026-04-30', amount: '0.87' },
  },
  {
    profile: 'bofa-us',
    file: ['us-banks-synthetic-fixtures', 'headroom_bofa_checking.csv'],
    account: '026009593:1234567890',
    own: '026009593:1234567890',
    rows: 11,
    sum: '2154.75',
    first: { line: 9, date: '2026-04-02', amount: '2140.75' },
    last: { line: 19, date: '2026-04-30', amount: '0.42' },
    skipped: [8],
  },
  {
    profile: 'barclays-uk',
    file: ['uk-banks-countinghouse', 'barclays.csv'],
    account: '203206:73041826',
    own: '203206:73041826',
    rows: 3,
    sum: '1777.35',
    first: { line: 2, date: '2026-10-14', amount: '-45.00' },
    last: { line: 4, date: '2026-10-11', amount: '-27.65' },
  },
  {
    profile: 'monzo-uk',
    file: ['uk-banks-countinghouse', 'monzo.csv'],
    account: '040004:71930462',
    own: '040004:71930462',
    rows: 9,
    sum: '1471.34',
    first: { line: 2, date: '2026-10-11', amount: '-3.15' },
    last: { line: 10, date: '2026-10-20', amount: '-11.99' },
  },
  {
    profile: 'starling-uk',
    file: ['uk-banks-countinghouse', 'starling.csv'],
    account: '608371:55102938',
    own: '608371:55102938',
    rows: 3,
    sum: '1777.35',
    first: { line: 3, date: '2026-10-11', amount: '-27.65' },
    last: { line: 5, date: '2026-10-14', amount: '-45.00' },
    skipped: [2],
  },
  {
    profile: 'natwest-uk',
    file: ['uk-banks-countinghouse', 'natwest.csv'],
    account: '601721:48293017',
    own: '601721:48293017',
    rows: 2,
    sum: '1822.35',
    first: { line: 3, date: '2026-10-11', amount: '-27.65' },
    last: { line: 4, date: '2026-10-12', amount: '1850.00' },
  },
  {
    profile: 'rbc-ca',
    file: ['canada-rbc-td-bmo-fixtures', 'rbc.csv'],
    own: '003:04821-3306147',
    rows: 3,
    sum: '6188.45',
    first: { line: 2, date: '2026-02-03', amount: '1875.40' },
    last: { line: 4, date: '2026-02-17', amount: '4320.00' },
  },
  {
    profile: 'td-ca',
    file: ['canada-rbc-td-bmo-fixtures', 'td.csv'],
    account: '004:7731905',
    own: '004:7731905',
    rows: 3,
    sum: '-7131.55',
    first: { line: 1, date: '2026-02-04', amount: '1875.40' },
    last: { line: 3, date: '2026-02-18', amount: '-9000.00' },
  },
  {
    profile: 'bmo-ca',
    file: ['canada-rbc-td-bmo-fixtures', 'bmo.csv'],
    own: '001:5191470003825513',
    rows: 2,
    sum: '1862.90',
    first: { line: 4, date: '2026-02-04', amount: '1875.40' },
    last: { line: 5, date: '2026-02-19', amount: '-12.50' },
  },
  {
    profile: 'dbs-sg',
    file: ['singapore-lunchsync-sg', 'dbs_savings.csv'],
    own: 'DBSSSGSG:020-1-234567',
    rows: 8,
    sum: '9.56',
    first: { line: 8, date: '2026-01-31', amount: '0.04' },
    last: { line: 15, date: '2026-01-04', amount: '500.00' },
  },
  {
    profile: 'ocbc-sg',
    file: ['singapore-lunchsync-sg', 'ocbc_360.csv'],
    own: 'OCBCSGSG:695-012345-001',
    rows: 44,
    sum: '-6844.57',
    first: { line: 9, date: '2026-02-01', amount: '-120.00' },
    last: { line: 138, date: '2026-01-02', amount: '-32.69' },
  },
  {
    profile: 'kasikornbank-th',
    file: ['thailand-banks-rossigee', 'kbank_kcyber_transaction_history.csv'],
    own: 'KASITHBK:123-0-12345-1',
    rows: 1,
    sum: '-965.00',
    first: { line: 8, date: '2020-01-07', amount: '-965.00' },
    last: { line: 8, date: '2020-01-07', amount: '-965.00' },
  },
  {
    profile: 'asb-nz',
    file: ['nz-asb-kiwibank-budgeteur', 'asb_bank_statement.csv'],
    own: 'ASB:0123456-50',
    rows: 6,
    sum: '0.00',
    first: { line: 9, date: '2025-01-18', amount: '1300.00' },
    last: { line: 14, date: '2025-03-20', amount: '-2750.00' },
  },
  {
    profile: 'kiwibank-nz',
    file: ['nz-asb-kiwibank-budgeteur', 'kiwibank_full_export.csv'],
    own: 'NZ:38-9000-0000001-00',
    rows: 4,
    sum: '-69.17',
    first: { line: 2, date: '2025-08-22', amount: '-9.00' },
    last: { line: 5, date: '2025-08-23', amount: '-42.02' },
  },
  {
    profile: 'danske-no',
    file: ['norway-danske-dnb-notion-bank', 'danske.csv'],
    account: 'NO9386011117947',
    own: 'NO9386011117947',
    rows: 3,
    sum: '-1853.40',
    first: { line: 2, date: '2024-03-03', amount: '-289.40' },
    last: { line: 4, date: '2024-03-08', amount: '-64.00' },
  },
  {
    profile: 'dnb-no',
    file: ['norway-danske-dnb-notion-bank', 'dnb.txt'],
    account: 'NO9386011117947',
    own: 'NO9386011117947',
    rows: 3,
    sum: '20610.00',
    first: { line: 2, date: '2024-06-22', amount: '-840.00' },
    last: { line: 4, date: '2024-06-18', amount: '-9800.00' },
  },
  {
    profile: 'boi-ie',
    file: ['bank2ynab-samples', 'ie_bank_of_ireland_test_BOI_TransactionExport.csv'],
    account: 'IE29AIBK93115212345678',
    own: 'IE29AIBK93115212345678',
    rows: 27,
    sum: '-419.61',
    first: { line: 2, date: '2017-09-01', amount: '428.03' },
    last: { line: 28, date: '2017-09-28', amount: '-818.00' },
  },
];

describe("profiles for the victims' and mules' banks, on samples in their real layouts", () => {
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
    const monzo = rowsOf(await readWithProfile('monzo-uk', fixture('uk-banks-countinghouse', 'monzo.csv'), '040004:71930462'));
    expect(monzo[2]).toMatchObject({ counterpartyName: 'HOLLOWAY & REED', reference: 'tx_0000Q3', amount: 185000n, currency: 'GBP' });
    expect(monzo[6]).toMatchObject({ counterpartyName: 'Crêperie du Port', amount: -1560n, currency: 'GBP' });
    const kiwi = rowsOf(await readWithProfile('kiwibank-nz', fixture('nz-asb-kiwibank-budgeteur', 'kiwibank_full_export.csv')));
    expect(kiwi[1]).toMatchObject({ counterpartyName: 'Alice', counterpartyAccount: 'acct:01-2345-0000002-00', balance: 880_69n });
    const natwest = rowsOf(await readWithProfile('natwest-uk', fixture('uk-banks-countinghouse', 'natwest.csv'), '601721:48293017'));
    expect(natwest[0]!.accountHolder).toBe('MS P OKAFOR');
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
