import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../support/cli.js';

/** `hoptrace ingest bank` and `hoptrace profiles` through the real, built CLI. */
const MULE1 = 'DE77100100100123456789';

function caseFile(): string {
  return join(tempDir(), 'case.db');
}

interface InfoJson {
  transfers: number;
  byAsset: { asset: string; count: number; amount: string }[];
  sources: { adapter: string; rows: number; rejected: number; duplicates: number; notes: string[] }[];
  rejects: { line: number; reason: string }[];
  balanceGaps: { account: string; missing: string; lineBefore: number | null; lineAfter: number }[];
}

function info(db: string): InfoJson {
  const run = hoptrace(['--db', db, 'info', '--json']);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as InfoJson;
}

describe('hoptrace ingest bank', () => {
  it('prints which profile it detected, per file', () => {
    const db = caseFile();
    const run = hoptrace(['--db', db, 'ingest', 'bank', fixture('bank-made', 'mule1-generic.csv'), '--account', MULE1]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`${fixture('bank-made', 'mule1-generic.csv')}: profile generic (detected): 4 stored`);
    expect(run.stderr).toContain('note: opening balance of DE77100100100123456789: 120.00 EUR before line 2 (untraced money already there)');
    const second = hoptrace(['--db', db, 'ingest', 'bank', fixture('bank-made', 'mule2-mt940.sta'), fixture('bank-made', 'victim-camt053.xml')]);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('profile mt940 (detected): 1 stored, 1 already in the case');
    expect(second.stderr).toContain('profile camt (detected): 1 stored, 1 already in the case');
    expect(second.stderr).toContain('1 line is the other side of payments already in the case');
    expect(info(db)).toMatchObject({ transfers: 6, byAsset: [{ asset: 'EUR', count: 6, amount: '22600.00' }] });
  });

  it('a running balance that breaks on line 3 fails the import, naming the line; --balance gaps stores every line and records the gap', () => {
    const db = caseFile();
    const file = fixture('bank-made', 'balance-break.csv');
    const run = hoptrace(['--db', db, 'ingest', 'bank', file, '--account', MULE1]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `hoptrace: ${file}:3: balance 1290.00 EUR does not follow from the previous balance 1500.00 and amount -200.00 (expected 1300.00): a missing or altered line — nothing from this file was stored; --balance gaps stores every line and records the gap between lines 2 and 3\n`,
    );
    // Nothing stored, and no case file made (docs/cli.md, "The case file").
    expect(existsSync(db)).toBe(false);
    const skip = hoptrace(['--db', db, 'ingest', 'bank', file, '--account', MULE1, '--skip-bad']);
    expect(skip.status).toBe(1);
    const gaps = hoptrace(['--db', db, 'ingest', 'bank', file, '--account', MULE1, '--balance', 'gaps']);
    expect(gaps.status).toBe(0);
    const stored = info(db);
    expect(stored.transfers).toBe(4);
    expect(stored.byAsset[0]!.amount).toBe('1390.00');
    expect(stored.rejects).toEqual([]);
    expect(stored.balanceGaps.map((g) => [g.account, g.missing, g.lineBefore, g.lineAfter])).toEqual([[MULE1, '-10.00', 2, 3]]);
    const text = hoptrace(['--db', db, 'info']);
    expect(text.stdout).toContain(`  ${file}:3: ${MULE1}: -10.00 EUR moved between lines 2 and 3 that no line shows\n`);
    const verify = hoptrace(['--db', db, 'verify', '--json']);
    expect((JSON.parse(verify.stdout) as { balanceGaps: { lineAfter: number }[] }).balanceGaps.map((g) => g.lineAfter)).toEqual([3]);
  });

  it('the same break in a newest-first export is reported on the same payment', () => {
    const dir = tempDir();
    const file = join(dir, 'newest-first.csv');
    writeFileSync(
      file,
      'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n' +
        '2024-05-05,-100.00,EUR,,Kiosk,B-4,cash,1100.00\n2024-05-04,-90.00,EUR,,Kiosk,B-3,cash,1200.00\n2024-05-03,-200.00,EUR,,Kiosk,B-2,cash,1290.00\n2024-05-02,1000.00,EUR,DE89370400440532013000,Maria Mueller,B-1,deposit,1500.00\n',
    );
    const run = hoptrace(['--db', caseFile(), 'ingest', 'bank', file, '--account', MULE1]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^hoptrace: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: balance 1290\\.00 EUR does not follow from the previous balance 1500\\.00`),
    );
  });

  it('--profile with a name, a file, or one that does not fit', () => {
    const db = caseFile();
    const lloyds = fixture('lloyds-uk-metasaura', 'sample-statement.csv');
    const wrong = hoptrace(['--db', db, 'ingest', 'bank', lloyds, '--profile', 'ing-de']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`hoptrace: ${lloyds}:1: not a ING-DiBa export as profile ing-de describes it`);
    const unknown = hoptrace(['--db', db, 'ingest', 'bank', lloyds, '--profile', 'lloyds']);
    expect(unknown.stderr).toMatch(/^hoptrace: no bank profile named "lloyds" — built-in profiles: [a-z0-9-]+, .*\blloyds-uk\b/);
    const dir = tempDir();
    const profile = join(dir, 'my-bank.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'my-lloyds',
        bank: 'Lloyds (my copy)',
        country: 'GB',
        signature: ['Transaction Date', 'Debit Amount', 'Credit Amount'],
        date: { column: 'Transaction Date', format: 'DD/MM/YYYY' },
        amount: { debit: 'Debit Amount', credit: 'Credit Amount' },
        currency: { fixed: 'GBP' },
        account: { column: 'Account Number', bankCodeColumn: 'Sort Code' },
      }),
    );
    const mine = hoptrace(['--db', db, 'ingest', 'bank', lloyds, '--profile', profile]);
    expect(mine.status).toBe(0);
    expect(mine.stderr).toContain(`${lloyds}: profile my-lloyds: 6 stored`);
  });

  it('auto-detection that finds nothing lists the nearest candidates', () => {
    const dir = tempDir();
    const file = join(dir, 'odd.csv');
    writeFileSync(file, 'Buchung;Valuta;Betrag;Saldo\n01.02.2024;01.02.2024;-1,00;5,00\n');
    const run = hoptrace(['--db', caseFile(), 'ingest', 'bank', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^hoptrace: .*odd\.csv:1: no bank profile fits \(first line: "Buchung;Valuta;Betrag;Saldo"\) — nearest: ing-de \(4\/8 columns\)/,
    );
  });

  it('a bad profile file: every problem at once', () => {
    const dir = tempDir();
    const profile = join(dir, 'bad.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'Bad Name',
        bank: 'x',
        country: 'Germany',
        delimeter: ';',
        signature: ['a'],
        date: { column: 'a' },
        amount: { column: 0 },
        currency: 'EUR',
      }),
    );
    const run = hoptrace(['--db', caseFile(), 'ingest', 'bank', fixture('bank-made', 'balance-break.csv'), '--profile', profile]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `hoptrace: ${profile}: bad bank profile (6 problems): delimeter: unknown field (expected one of format, name, bank, country, notes, sample, encoding, delimiter, escape, header, signature, linePattern, preambleLines, footerLines, date, timeZone, decimal, thousands, amount, fee, currency, account, holder, counterparty, reference, description, extraFields, balance, order, keep, sheet); name: use lower-case letters, digits and dashes; country: expected an ISO 3166 two-letter code such as DE; date.format: expected a non-empty string; amount.column: expected a column: its header name or its 1-based position; currency: expected {"column": …} or {"fixed": "EUR"} — docs/bank-statements.md documents every field\n`,
    );
  });

  it('--account is validated (an IBAN with a bad checksum is an error)', () => {
    const run = hoptrace(['--db', caseFile(), 'ingest', 'bank', fixture('bank-made', 'mule1-generic.csv'), '--account', 'DE78100100100123456789']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'hoptrace: IBAN DE78100100100123456789: bad check digits (ISO 13616 mod-97) — a mistyped, altered or anonymised account number; check the source document\n',
    );
  });

  it('a statement that does not name its account asks for --account', () => {
    const file = fixture('bank-made', 'mule1-generic.csv');
    const run = hoptrace(['--db', caseFile(), 'ingest', 'bank', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`hoptrace: ${file}: this generic export does not say whose account it is — give --account IBAN (or BANKCODE:NUMBER)\n`);
  });
});

describe('hoptrace profiles', () => {
  it('lists every built-in profile with bank, country and signature', () => {
    const run = hoptrace(['profiles', '--json']);
    expect(run.status).toBe(0);
    const profiles = JSON.parse(run.stdout) as { name: string; country: string; bank: string; signature: string }[];
    const csv = profiles.filter((p) => p.country !== 'ZZ');
    expect(csv.length).toBe(44);
    expect(new Set(csv.map((p) => p.country))).toEqual(new Set(['US', 'CA', 'GB', 'DE', 'ES', 'CH', 'LT', 'CN', 'AT', 'NL', 'SG', 'TH', 'NZ', 'NO', 'IE']));
    expect(profiles.find((p) => p.name === 'generic')).toEqual({
      name: 'generic',
      bank: 'any bank (hoptrace generic layout)',
      country: 'ZZ',
      signature: 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance',
    });
    expect(profiles.map((p) => p.name)).toEqual(expect.arrayContaining(['camt', 'mt940', 'mt940-cp1250', 'mt940-cp852', 'mt940-cp1252']));
    const text = hoptrace(['profiles']);
    expect(text.stdout).toMatch(/^lloyds-uk +GB {2}Lloyds Bank$/m);
  });
});
