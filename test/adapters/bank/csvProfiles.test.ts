import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../src/model/amount.js';
import { formatLocalDate } from '../../../src/model/localDate.js';
import { fixture } from '../../support/cli.js';
import {
  beancountTransactions,
  brief,
  linesOf,
  ofxTransactions,
  qifTransactions,
  readBankFile,
  readWithProfile,
  rejectLines,
  rowsOf,
  skippedLines,
  sumDecimals,
  sumOf,
} from './support.js';

/**
 * Every built-in profile against its real sample (test/fixtures/<source>/, README there). The
 * expected figures were computed with Python's csv and decimal modules over the same files
 * (row counts, sums to the cent, first and last rows); where the source ships the output of its
 * own converter (csv2ofx OFX/QIF, the beancount ledger) the figures are also checked against it.
 */
interface Case {
  profile: string;
  file: string[];
  account?: string;
  rows: number;
  sum: string;
  first?: { line: number; date: string; amount: string };
  last?: { line: number; date: string; amount: string };
  rejects?: number[];
  skipped?: number[];
}

const CASES: Case[] = [
  {
    profile: 'capitalone-us',
    file: ['csv2ofx', 'test', 'capitalone.csv'],
    rows: 2,
    sum: '0.00',
    first: { line: 2, date: '2016-01-02', amount: '-1000.00' },
    last: { line: 3, date: '2016-01-02', amount: '1000.00' },
  },
  {
    profile: 'schwab-us',
    file: ['csv2ofx', 'test', 'schwab-checking.csv'],
    account: 'SCHWAB:440012345678',
    rows: 4,
    sum: '-215.27',
    first: { line: 2, date: '2022-08-17', amount: '20.00' },
    last: { line: 5, date: '2022-08-04', amount: '-57.27' },
  },
  {
    profile: 'pcfinancial-ca',
    file: ['csv2ofx', 'test', 'pcmastercard.csv'],
    account: 'PCF:5191230000001234',
    rows: 2,
    sum: '-50.31',
    first: { line: 2, date: '2019-01-10', amount: '-36.33' },
    last: { line: 3, date: '2018-12-15', amount: '-13.98' },
  },
  {
    profile: 'payoneer-us',
    file: ['csv2ofx', 'test', 'payoneer.csv'],
    account: 'PAYONEER:1',
    rows: 2,
    sum: '20.00',
    first: { line: 2, date: '2021-05-03', amount: '-100.00' },
    last: { line: 3, date: '2021-05-03', amount: '120.00' },
  },
  {
    profile: 'lloyds-uk',
    file: ['lloyds-uk-metasaura', 'sample-statement.csv'],
    rows: 6,
    sum: '724.84',
    first: { line: 2, date: '2024-03-13', amount: '-23.49' },
    last: { line: 7, date: '2024-03-04', amount: '-96.00' },
  },
  {
    profile: 'gls-de',
    file: ['csv2ofx', 'test', 'gls.csv'],
    rows: 1,
    sum: '-98.76',
    first: { line: 2, date: '2017-10-10', amount: '-98.76' },
    last: { line: 2, date: '2017-10-10', amount: '-98.76' },
  },
  {
    profile: 'ing-de',
    file: ['ing-de-n26-jheimbach', 'ing_de_current_format.csv'],
    rows: 2,
    sum: '14.58',
    first: { line: 16, date: '2020-01-09', amount: '-1.62' },
    last: { line: 17, date: '2020-01-06', amount: '16.20' },
  },
  {
    profile: 'ing-de',
    file: ['ing-de-n26-jheimbach', 'ing_de_current_format.latin1.csv'],
    rows: 2,
    sum: '14.58',
    first: { line: 16, date: '2020-01-09', amount: '-1.62' },
    last: { line: 17, date: '2020-01-06', amount: '16.20' },
  },
  {
    profile: 'ing-de',
    file: ['ing-de-n26-jheimbach', 'ing_de_old_format_no_category.csv'],
    rows: 2,
    sum: '14.58',
    first: { line: 16, date: '2020-01-09', amount: '-1.62' },
    last: { line: 17, date: '2020-01-06', amount: '16.20' },
  },
  {
    profile: 'n26',
    file: ['beancount-importers-cvigo', 'N26_Sample.csv'],
    account: 'DE89370400440532013000',
    rows: 86,
    sum: '-12371.59',
    first: { line: 2, date: '2024-01-15', amount: '-4.50' },
    last: { line: 88, date: '2024-04-10', amount: '-50.00' },
    skipped: [82],
  },
  // The French N26 sample and the older N26 exports carry anonymised partner IBANs that fail mod-97.
  { profile: 'n26', file: ['csv2ofx', 'test', 'n26-fr.csv'], account: 'DE89370400440532013000', rows: 0, sum: '0.00', rejects: [2, 3] },
  { profile: 'n26-legacy-de', file: ['ing-de-n26-jheimbach', 'n26_de.csv'], account: 'DE89370400440532013000', rows: 0, sum: '0.00', rejects: [2, 3] },
  // The same export with the partner IBAN's check digits made valid (README there): the rows themselves.
  {
    profile: 'n26-legacy-de',
    file: ['ing-de-n26-jheimbach', 'derived', 'n26_de.valid-iban.csv'],
    account: 'DE89370400440532013000',
    rows: 2,
    sum: '14.58',
    first: { line: 2, date: '2021-02-08', amount: '16.20' },
    last: { line: 3, date: '2021-02-08', amount: '-1.62' },
  },
  {
    profile: 'n26-legacy-en',
    file: ['ing-de-n26-jheimbach', 'n26_en.csv'],
    account: 'DE89370400440532013000',
    rows: 1,
    sum: '-1.62',
    first: { line: 3, date: '2021-02-08', amount: '-1.62' },
    rejects: [2],
  },
  {
    profile: 'outbank-de',
    file: ['csv2ofx', 'test', 'outbank.csv'],
    rows: 4,
    sum: '-35.89',
    first: { line: 2, date: '2019-02-20', amount: '100.00' },
    last: { line: 5, date: '2019-01-05', amount: '-25.00' },
  },
  {
    profile: 'ing-es',
    file: ['csv2ofx', 'test', 'ingesp.csv'],
    account: 'ES9121000418450200051332',
    rows: 10,
    sum: '350.21',
    first: { line: 2, date: '2022-03-24', amount: '2.83' },
    last: { line: 11, date: '2022-11-13', amount: '500.00' },
  },
  {
    profile: 'ubs-ch',
    file: ['csv2ofx', 'test', 'ubs-ch-fr_trimmed.csv'],
    rows: 3,
    sum: '30.00',
    first: { line: 2, date: '2019-03-31', amount: '-10.00' },
    last: { line: 4, date: '2019-04-27', amount: '-200.00' },
  },
  {
    profile: 'ubs-ch',
    file: ['csv2ofx', 'derived', 'ubs-ch-fr_trimmed.utf16le-bom.csv'],
    rows: 3,
    sum: '30.00',
    first: { line: 2, date: '2019-03-31', amount: '-10.00' },
    last: { line: 4, date: '2019-04-27', amount: '-200.00' },
  },
  {
    profile: 'zkb-ch',
    file: ['beancount-importers-cvigo', 'ZKB_Sample.csv'],
    account: 'CH9300762011623852957',
    rows: 7,
    sum: '4549.50',
    first: { line: 2, date: '2024-01-01', amount: '5000.00' },
    last: { line: 8, date: '2024-01-30', amount: '75.00' },
  },
  {
    profile: 'neon-ch',
    file: ['beancount-importers-cvigo', 'Neon_Sample.csv'],
    account: 'CH9300762011623852957',
    rows: 47,
    sum: '28351.08',
    first: { line: 2, date: '2024-12-30', amount: '-3000.00' },
    last: { line: 48, date: '2024-01-25', amount: '6946.65' },
  },
  {
    profile: 'revolut',
    file: ['beancount-importers-cvigo', 'Revolut_CHF_Sample.csv'],
    account: 'CH9300762011623852957',
    rows: 7,
    sum: '194.35',
    first: { line: 2, date: '2024-01-01', amount: '500.00' },
    last: { line: 8, date: '2024-04-02', amount: '-12.97' },
  },
  {
    profile: 'wechat-pay-cn',
    file: ['wechat-pay-trim21', 'wechat_pay_bill_20200830-20200906.csv'],
    account: 'WECHAT:WXID0001',
    rows: 7,
    sum: '790.12',
    first: { line: 18, date: '2023-08-30', amount: '-20.00' },
    last: { line: 24, date: '2024-08-30', amount: '742.00' },
  },
  {
    profile: 'ing-diba-at',
    file: ['ofxstatement-austrian', 'ing-diba.csv'],
    rows: 6,
    sum: '-992.03',
    first: { line: 2, date: '2013-12-31', amount: '12.23' },
    last: { line: 7, date: '2013-08-13', amount: '10.00' },
  },
  {
    profile: 'livebank-at',
    file: ['ofxstatement-austrian', 'livebank.csv'],
    rows: 3,
    sum: '5050.00',
    first: { line: 2, date: '2013-07-03', amount: '150.00' },
    last: { line: 5, date: '2013-06-05', amount: '5000.00' },
    skipped: [3, 6, 7],
  },
  {
    profile: 'oberbank-at',
    file: ['ofxstatement-austrian', 'oberbank.csv'],
    account: 'AT022050302101023600',
    rows: 3,
    sum: '-30.00',
    first: { line: 2, date: '2017-03-15', amount: '-11.00' },
    last: { line: 4, date: '2017-03-15', amount: '-9.00' },
    rejects: [5, 6],
  },
  {
    profile: 'raiffeisen-at',
    file: ['ofxstatement-austrian', 'raiffeisen.csv'],
    account: 'AT022050302101023600',
    rows: 7,
    sum: '-157.89',
    first: { line: 1, date: '2013-06-28', amount: '0.58' },
    last: { line: 7, date: '2013-07-04', amount: '123.60' },
  },
  { profile: 'easybank-at', file: ['ofxstatement-austrian', 'easybank-giro.csv'], rows: 0, sum: '0.00', rejects: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  {
    profile: 'easybank-at',
    file: ['ofxstatement-austrian', 'derived', 'easybank-giro.valid-iban.csv'],
    rows: 10,
    sum: '-1562.86',
    first: { line: 1, date: '2014-01-01', amount: '-0.42' },
    last: { line: 10, date: '2015-10-07', amount: '9.98' },
  },
  { profile: 'ing-nl', file: ['ofxstatement-dutch', 'ing_ok.csv'], rows: 0, sum: '0.00', rejects: [2, 3, 5, 6, 7], skipped: [4] },
  {
    profile: 'ing-nl',
    file: ['ofxstatement-dutch', 'derived', 'ing_ok.valid-iban.csv'],
    rows: 5,
    sum: '19.38',
    first: { line: 2, date: '2020-02-13', amount: '-1.25' },
    last: { line: 7, date: '2019-12-13', amount: '-0.31' },
    skipped: [4],
  },
  {
    profile: 'knab-nl',
    file: ['ofxstatement-dutch', 'derived', 'Knab_transactieoverzicht_ok.valid-iban.csv'],
    rows: 28,
    sum: '7.01',
    first: { line: 3, date: '2019-06-21', amount: '-827.75' },
    last: { line: 30, date: '2019-01-07', amount: '7.02' },
  },
];

describe('built-in profiles on their real samples', () => {
  for (const c of CASES) {
    it(`${c.profile}: ${c.file.join('/')}`, async () => {
      const items = await readWithProfile(c.profile, fixture(...c.file), c.account);
      const rows = rowsOf(items);
      expect(rows.length).toBe(c.rows);
      expect(sumOf(rows)).toBe(c.sum);
      if (c.first) expect(brief(rows[0]!)).toEqual(c.first);
      if (c.last) expect(brief(rows[rows.length - 1]!)).toEqual(c.last);
      expect(rejectLines(items)).toEqual(c.rejects ?? []);
      expect(skippedLines(items)).toEqual(c.skipped ?? []);
    });
  }

  it('auto-detects each sample as its own profile', async () => {
    for (const c of CASES) {
      const items = await readBankFile(fixture(...c.file), 'auto', c.account).catch((error: Error) => error);
      if (items instanceof Error) throw new Error(`${c.file.join('/')}: ${items.message}`);
    }
    const { chooseStatementReader } = await import('../../../adapters/bank/index.js');
    for (const c of CASES) expect([c.file.join('/'), (await chooseStatementReader(fixture(...c.file))).name]).toEqual([c.file.join('/'), c.profile]);
  });
});

describe('agreement with the outputs the sources ship', () => {
  it('Schwab: csv2ofx OFX amounts, dates and the check number as reference', async () => {
    const rows = rowsOf(await readWithProfile('schwab-us', fixture('csv2ofx', 'test', 'schwab-checking.csv'), 'SCHWAB:1'));
    const ofx = ofxTransactions(fixture('csv2ofx', 'converted', 'schwab-checking.ofx'));
    expect(rows.map((r) => ({ date: formatLocalDate(r.date), amount: formatAmount(r.amount, 2) }))).toEqual(ofx);
    expect(rows.find((r) => r.reference !== undefined)).toMatchObject({ reference: '558', amount: -7500n });
  });

  for (const [profile, csv, ofx, account] of [
    ['gls-de', 'gls.csv', 'gls.ofx', undefined],
    ['outbank-de', 'outbank.csv', 'outbank.ofx', undefined],
    ['payoneer-us', 'payoneer.csv', 'payoneer.ofx', 'PAYONEER:1'],
    ['pcfinancial-ca', 'pcmastercard.csv', 'pcmastercard.ofx', 'PCF:1'],
  ] as const) {
    it(`${profile}: csv2ofx ${ofx}`, async () => {
      const rows = rowsOf(await readWithProfile(profile, fixture('csv2ofx', 'test', csv), account));
      const expected = ofxTransactions(fixture('csv2ofx', 'converted', ofx));
      expect(rows.map((r) => ({ date: formatLocalDate(r.date), amount: formatAmount(r.amount, 2) }))).toEqual(expected);
    });
  }

  it('ING España: amounts as csv2ofx; dates DD/MM where csv2ofx read ambiguous ones month-first', async () => {
    const rows = rowsOf(await readWithProfile('ing-es', fixture('csv2ofx', 'test', 'ingesp.csv'), 'ES9121000418450200051332'));
    const expected = ofxTransactions(fixture('csv2ofx', 'converted', 'ingesp.ofx'));
    expect(rows.map((r) => formatAmount(r.amount, 2))).toEqual(expected.map((t) => t.amount));
    rows.forEach((row, i) => {
      const ours = formatLocalDate(row.date);
      const theirs = expected[i]!.date;
      // 24/03/2022 can only be day-first; csv2ofx still turned 08/04/2022 into August 4th.
      if (row.date.day > 12 || row.date.day === row.date.month) expect(ours).toBe(theirs);
      else expect(theirs).toBe(`${row.date.year}-${String(row.date.day).padStart(2, '0')}-${String(row.date.month).padStart(2, '0')}`);
    });
  });

  it('UBS: csv2ofx QIF amounts, dates and transaction numbers', async () => {
    const rows = rowsOf(await readWithProfile('ubs-ch', fixture('csv2ofx', 'test', 'ubs-ch-fr_trimmed.csv')));
    const qif = qifTransactions(fixture('csv2ofx', 'converted', 'ubs-ch-fr.qif'));
    expect(rows.map((r) => ({ date: formatLocalDate(r.date), amount: formatAmount(r.amount, 2), number: r.reference }))).toEqual(qif);
    expect(rows[0]!.account).toBe('UBS:012345678901.23A');
  });

  it("N26: the beancount importer's ledger (dates, payees, amounts; its zero-amount entry is a skip here)", async () => {
    const items = await readWithProfile('n26', fixture('beancount-importers-cvigo', 'N26_Sample.csv'), 'DE89370400440532013000');
    const ledger = beancountTransactions(fixture('beancount-importers-cvigo', 'N26_Sample.expected.beancount'));
    expect(ledger.length).toBe(87);
    const nonZero = ledger.filter((t) => t.amount !== '0.00');
    expect(rowsOf(items).map((r) => ({ date: formatLocalDate(r.date), payee: r.counterpartyName, amount: formatAmount(r.amount, 2) }))).toEqual(nonZero);
    expect(sumDecimals(ledger.map((t) => t.amount))).toBe('-12371.59');
  });
});

describe('what the profiles read beyond amounts', () => {
  it('Lloyds: the account is SORTCODE:NUMBER from two columns, the Excel guard dropped', async () => {
    const rows = rowsOf(await readWithProfile('lloyds-uk', fixture('lloyds-uk-metasaura', 'sample-statement.csv')));
    expect(new Set(rows.map((r) => r.account))).toEqual(new Set(['309457:48201736']));
    expect(rows.map((r) => r.balance !== undefined && formatAmount(r.balance, 2))).toEqual(['4137.02', '4160.51', '4177.56', '4797.68', '3297.68', '3412.18']);
  });

  it("ING-DiBa: IBAN and holder from the preamble; the amount's currency is the second Währung", async () => {
    const rows = rowsOf(await readWithProfile('ing-de', fixture('ing-de-n26-jheimbach', 'ing_de_current_format.csv')));
    expect(rows[0]).toMatchObject({
      account: 'DE32500105171234567895',
      accountHolder: 'Test Tester',
      currency: 'EUR',
      counterpartyName: 'Yabox',
      balance: 118832n,
    });
  });

  it('Oberbank: the counterparty is the payer for money in and the payee for money out', async () => {
    const items = await readWithProfile('oberbank-at', fixture('ofxstatement-austrian', 'oberbank.csv'), 'AT022050302101023600');
    expect(items.find((i) => i.kind === 'reject')).toMatchObject({ line: 5, reason: expect.stringContaining('IBAN AT022050302101023601: bad check digits') });
  });

  it('Revolut: fees kept apart (0.42 CHF in the sample) and only COMPLETED rows', async () => {
    const rows = rowsOf(await readWithProfile('revolut', fixture('beancount-importers-cvigo', 'Revolut_CHF_Sample.csv'), 'CH9300762011623852957'));
    expect(
      formatAmount(
        rows.reduce((s, r) => s + (r.fee ?? 0n), 0n),
        2,
      ),
    ).toBe('0.42');
    const lines = linesOf(await readBankFile(fixture('beancount-importers-cvigo', 'Revolut_CHF_Sample.csv'), 'revolut', 'CH9300762011623852957'));
    const fee = lines.find((l) => l.record.ref.endsWith('/fee'))!;
    expect(fee.record).toMatchObject({ amount: 42n, line: 6, to: { rail: 'bank', ident: 'name:revolut bank uab' } });
  });

  it('WeChat Pay: ¥ amounts, direction column, ids without their trailing tab', async () => {
    const rows = rowsOf(await readWithProfile('wechat-pay-cn', fixture('wechat-pay-trim21', 'wechat_pay_bill_20200830-20200906.csv'), 'WECHAT:WXID0001'));
    expect(rows[0]).toMatchObject({ counterpartyName: '用户b', reference: '100004990120090600090332461714765274', amount: -2000n, currency: 'CNY' });
  });

  it('ING Nederland: two identical lines on one day keep two references', async () => {
    const lines = linesOf(await readBankFile(fixture('ofxstatement-dutch', 'derived', 'ing_ok.valid-iban.csv')));
    const twins = lines.filter((l) => l.record.amount === 31n);
    expect(twins.map((l) => l.record.line).sort()).toEqual([6, 7]);
    expect(new Set(twins.map((l) => l.record.ref)).size).toBe(2);
    expect(twins.every((l) => /^ht-[0-9a-f]{24}$/.test(l.record.ref))).toBe(true);
  });

  it('Knab: a malformed export (header cut off) and one with no lines', async () => {
    await expect(readWithProfile('knab-nl', fixture('ofxstatement-dutch', 'Knab_transactieoverzicht_no_header2.csv'))).rejects.toThrow(
      /no header with the columns/,
    );
    expect(await readWithProfile('knab-nl', fixture('ofxstatement-dutch', 'Knab_transactieoverzicht_no_lines.csv'))).toEqual([]);
  });

  it('ING Nederland: a broken quote is an error naming its line', async () => {
    await expect(readWithProfile('ing-nl', fixture('ofxstatement-dutch', 'ing_fail.csv'))).rejects.toMatchObject({
      line: 3,
      message: expect.stringMatching(/^CSV: Invalid Opening Quote/),
    });
  });
});
