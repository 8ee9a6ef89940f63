import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvStatement } from '../../../adapters/bank/csvStatement.js';
import { validateProfile } from '../../../adapters/bank/profile.js';
import { builtinProfileDir, loadBuiltinProfiles, parseProfileText } from '../../../adapters/bank/profiles.js';
import { checkRunningBalance, type CheckedItem } from '../../../adapters/bank/runningBalance.js';
import { decideOrder, type OrderDecision } from '../../../adapters/bank/statementOrder.js';
import type { StatementItem, StatementRow } from '../../../adapters/bank/statementRow.js';
import { fixture, ROOT, tempDir } from '../../support/cli.js';
import { readBankFile, readWithProfile, rejectLines, rowsOf, skippedLines } from './support.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

function row(line: number, day: number, amount: bigint, balance?: bigint, account = 'acct:1'): StatementItem {
  const r: StatementRow = { line, account, date: { year: 2024, month: 5, day }, amount, currency: 'EUR', decimals: 2, fingerprint: String(line) };
  if (balance !== undefined) r.balance = balance;
  return { kind: 'row', row: r };
}

async function check(items: StatementItem[], order: 'oldest-first' | 'newest-first'): Promise<CheckedItem[]> {
  return collect(checkRunningBalance(from(items), { order }));
}

describe('built-in profiles', () => {
  it('live in adapters/bank/profiles (found from the repository root), are valid, and name a sample that exists', () => {
    expect(builtinProfileDir()).toBe(join(ROOT, 'adapters', 'bank', 'profiles'));
    const profiles = loadBuiltinProfiles();
    expect(profiles.length).toBe(45);
    for (const { profile, path } of profiles) {
      expect(path.endsWith(`${profile.name}.json`)).toBe(true);
      if (profile.name !== 'generic') expect([profile.name, existsSync(join(ROOT, profile.sample ?? 'missing'))]).toEqual([profile.name, true]);
    }
  });

  it('a minimal profile takes the documented defaults', () => {
    const { profile, errors } = validateProfile({
      name: 'x',
      bank: 'X',
      country: 'DE',
      signature: ['d', 'a'],
      date: { column: 'd', format: 'YYYY-MM-DD' },
      amount: { column: 'a' },
      currency: { fixed: 'EUR' },
    });
    expect(errors).toEqual([]);
    expect(profile).toMatchObject({
      encoding: 'auto',
      delimiters: [','],
      escape: '"',
      header: true,
      timeZone: 'UTC',
      decimal: '.',
      thousands: [],
      order: 'auto',
      extraFields: 'reject',
      footerLines: 0,
      amount: { column: 'a', sign: 'negative-out' },
    });
  });

  it('validation lists every problem, with its field', () => {
    const { errors } = validateProfile({
      name: 'x',
      bank: 'X',
      country: 'DE',
      header: false,
      date: { column: 1, format: 'DD.MM' },
      amount: { debit: 'Soll' },
      currency: { fixed: 'euro' },
      timeZone: 'Mars/Olympus',
      decimal: ',',
      thousands: ',',
      account: { preamble: '^IBAN;.*$' },
      order: 'sideways',
    });
    expect(errors).toEqual([
      'linePattern: a header-less profile needs a linePattern for auto-detection',
      'date.format: needs a year (YYYY or YY), a month (MM, M or Mon) and a day (DD or D)',
      'timeZone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)',
      'thousands: expected a character (or a list) different from the decimal separator',
      'amount.credit: expected a column: its header name or its 1-based position',
      'currency.fixed: expected an ISO 4217 code such as EUR',
      'account.preamble: the regular expression needs 1 capturing group (the value to take)',
      'order: expected one of oldest-first, newest-first, auto',
    ]);
    expect(validateProfile([1]).errors).toEqual(['the profile must be a JSON object']);
    expect(() => parseProfileText('{"name": ', 'p.json')).toThrow(/bank profile is not valid JSON/);
  });
});

describe('encodings', () => {
  it('ING-DiBa in Latin-1 and in UTF-8 read to the same lines', async () => {
    const utf8 = rowsOf(await readWithProfile('ing-de', fixture('ing-de-n26-jheimbach', 'ing_de_current_format.csv')));
    const latin1 = rowsOf(await readWithProfile('ing-de', fixture('ing-de-n26-jheimbach', 'ing_de_current_format.latin1.csv')));
    expect(latin1).toEqual(utf8);
    expect(latin1[0]!.counterpartyName).toBe('Yabox');
  });

  it('UTF-16 with a byte-order mark, and UTF-16BE without one', async () => {
    const plain = rowsOf(await readWithProfile('lloyds-uk', fixture('lloyds-uk-metasaura', 'sample-statement.csv')));
    const utf16 = rowsOf(await readWithProfile('lloyds-uk', fixture('lloyds-uk-metasaura', 'derived', 'sample-statement.utf16be-nobom.csv')));
    expect(plain).toHaveLength(6);
    expect(utf16).toEqual(plain);
    const ubs = rowsOf(await readWithProfile('ubs-ch', fixture('csv2ofx', 'derived', 'ubs-ch-fr_trimmed.utf16le-bom.csv')));
    expect(ubs[1]!.description).toContain('Virement postal');
    expect(ubs[2]!.description).toContain('Quuz-baz SàrL');
  });

  it('a profile that says UTF-8 refuses Latin-1 bytes, naming the line', async () => {
    const text = readFileSync(join(builtinProfileDir(), 'ing-de.json'), 'utf8').replace('"encoding": "auto"', '"encoding": "utf-8"');
    const { profile } = parseProfileText(text, 'ing-de-utf8.json');
    await expect(collect(readCsvStatement({ path: fixture('ing-de-n26-jheimbach', 'ing_de_current_format.latin1.csv') }, profile))).rejects.toMatchObject({
      line: 13,
      message: 'bytes that are not valid utf-8',
    });
  });

  it('an empty file and a truncated one', async () => {
    await expect(readWithProfile('ing-nl', fixture('ofxstatement-dutch', 'empty.csv'))).rejects.toThrow('empty file');
    const dir = tempDir();
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, readFileSync(fixture('ofxstatement-dutch', 'derived', 'ing_ok.valid-iban.csv'), 'utf8').slice(0, 700));
    await expect(readWithProfile('ing-nl', cut)).rejects.toMatchObject({ message: 'CSV: a quoted field is never closed (file truncated?)' });
  });
});

describe('profile mechanics on made-up files', () => {
  const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';

  it('rows with more fields than the header are rejected unless the profile keeps them', async () => {
    const dir = tempDir();
    const file = join(dir, 'extra.csv');
    writeFileSync(file, `${header}2024-05-02,10.00,EUR,,A,R1,x,10.00\n2024-05-03,5.00,EUR,,B,R2,y,15.00,stray\n`);
    const items = await readWithProfile('generic', file, 'acct:1');
    expect(items.filter((i) => i.kind === 'reject')).toEqual([
      { kind: 'reject', line: 3, reason: 'row has 9 fields, the header 8 — a delimiter inside an unquoted field? (extraFields: "description" keeps them)' },
    ]);
  });

  it('bad cells are rejected on their line: date, amount, currency, IBAN', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      `${header}2024-05-02,10.00,EUR,,A,R1,,\n05/03/2024,1.00,EUR,,B,R2,,\n2024-05-04,1.0.0,EUR,,C,R3,,\n2024-05-05,1.00,EURO,,D,R4,,\n2024-05-06,1.00,EUR,DE88370400440532013000,F,R6,,\n`,
    );
    const items = await readWithProfile('generic', file, 'acct:1');
    expect(items.filter((i) => i.kind === 'reject')).toEqual([
      { kind: 'reject', line: 3, reason: 'date "05/03/2024" is not a YYYY-MM-DD date' },
      { kind: 'reject', line: 4, reason: 'amount "1.0.0": not a number' },
      { kind: 'reject', line: 5, reason: 'currency "EURO" is not an ISO 4217 code' },
      {
        kind: 'reject',
        line: 6,
        reason:
          'IBAN DE88370400440532013000: bad check digits (ISO 13616 mod-97) — a mistyped, altered or anonymised account number; check the source document',
      },
    ]);
  });

  it('JPY has no minor unit, KWD three', async () => {
    const dir = tempDir();
    const file = join(dir, 'fx.csv');
    writeFileSync(file, `${header}2024-05-02,-1500,JPY,,A,R1,,\n2024-05-02,12.345,KWD,,B,R2,,\n2024-05-02,1500.5,JPY,,C,R3,,\n`);
    const items = await readWithProfile('generic', file, 'acct:1');
    expect(rowsOf(items).map((r) => [r.amount, r.decimals])).toEqual([
      [-1500n, 0],
      [12345n, 3],
    ]);
    expect(rejectLines(items)).toEqual([4]);
  });

  it('footer lines are dropped and counted; a preamble before a header-less file is skipped', async () => {
    const dir = tempDir();
    const profile = join(dir, 'p.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'footed',
        bank: 'F',
        country: 'DE',
        header: false,
        linePattern: '^\\d{4}-',
        preambleLines: 2,
        footerLines: 1,
        date: { column: 1, format: 'YYYY-MM-DD' },
        amount: { column: 2 },
        currency: { fixed: 'EUR' },
        description: [3],
      }),
    );
    const file = join(dir, 'f.csv');
    writeFileSync(file, 'Statement of account\r\nPeriod: May\r\n2024-05-02,10.00,a\r\n2024-05-03,-4.00,b\r\nTotal,6.00,\r\n');
    const items = await readBankFile(file, profile, 'acct:1');
    expect(items.flatMap((i) => (i.kind === 'line' ? [[i.line.record.line, i.line.record.amount, i.line.direction]] : []))).toEqual([
      [3, 1000n, 'in'],
      [4, 400n, 'out'],
    ]);
    expect(skippedLines(items)).toEqual([5]);
  });
});

describe('statement order and the running balance', () => {
  it("a break is a gap between two lines, both passed on; the check goes on from the later line's printed balance", async () => {
    const items = [row(2, 2, 1000_00n, 1500_00n), row(3, 3, -200_00n, 1290_00n), row(4, 4, -90_00n, 1200_00n)];
    const out = await check(items, 'oldest-first');
    expect(out.map((i) => i.kind)).toEqual(['opening', 'row', 'gap', 'row', 'row']);
    expect(out[0]).toMatchObject({ opening: { amount: 500_00n, line: 2 } });
    expect(out[2]).toMatchObject({
      kind: 'gap',
      gap: {
        account: 'acct:1',
        currency: 'EUR',
        lineBefore: 2,
        lineAfter: 3,
        missing: -10_00n,
        reason: 'balance 1290.00 EUR does not follow from the previous balance 1500.00 and amount -200.00 (expected 1300.00): a missing or altered line',
      },
    });
  });

  it('newest first: the same break blames the same payment, and the opening is before the last line', async () => {
    const items = [row(2, 4, -90_00n, 1200_00n), row(3, 3, -200_00n, 1290_00n), row(4, 2, 1000_00n, 1500_00n)];
    const out = await check(items, 'newest-first');
    expect(out.filter((i) => i.kind === 'gap').map((i) => i.kind === 'gap' && [i.gap.lineBefore, i.gap.lineAfter, i.gap.missing])).toEqual([[4, 3, -10_00n]]);
    expect(out.filter((i) => i.kind === 'row').length).toBe(3);
    expect(out.find((i) => i.kind === 'opening')).toMatchObject({ opening: { amount: 500_00n, line: 4 } });
  });

  it('balances printed only now and then: the opening is before the first line', async () => {
    const out = await check([row(2, 2, 100_00n), row(3, 2, -30_00n), row(4, 3, 50_00n, 620_00n), row(5, 4, -20_00n, 600_00n)], 'oldest-first');
    expect(out.find((i) => i.kind === 'opening')).toMatchObject({ opening: { amount: 500_00n, line: 2 } });
    expect(out.some((i) => i.kind === 'reject')).toBe(false);
  });

  it('each account and currency is its own chain', async () => {
    const out = await check([row(2, 2, 10_00n, 110_00n, 'acct:1'), row(3, 2, 5_00n, 5_00n, 'acct:2'), row(4, 3, 1_00n, 111_00n, 'acct:1')], 'oldest-first');
    expect(out.filter((i) => i.kind === 'opening').map((i) => i.kind === 'opening' && [i.opening.account, i.opening.amount])).toEqual([
      ['acct:1', 100_00n],
      ['acct:2', 0n],
    ]);
  });

  it('auto order: balances decide over dates (UBS lists value dates out of order)', async () => {
    const decision: OrderDecision = {};
    const items = await collect(decideOrder(from([row(2, 31, -10_00n, 11373_94n), row(3, 28, 240_00n, 11613_94n)]), 'auto', decision));
    expect(decision.order).toBe('oldest-first');
    expect(items[0]).toEqual({ kind: 'note', message: 'lines are oldest-first (from the running balances of lines 2 and 3)' });
    const byDates: OrderDecision = {};
    await collect(decideOrder(from([row(2, 9, -1_00n), row(3, 8, 1_00n)]), 'auto', byDates));
    expect(byDates.order).toBe('newest-first');
  });

  it('same-day lines of a newest-first export are stored in the order they happened', async () => {
    const dir = tempDir();
    const file = join(dir, 'nf.csv');
    writeFileSync(
      file,
      'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n' +
        '2024-05-03,-4900.00,EUR,,Out,R3,,150.00\n2024-05-03,5000.00,EUR,,In,R2,,5050.00\n2024-05-02,50.00,EUR,,Start,R1,,50.00\n',
    );
    const items = await readBankFile(file, 'generic', 'acct:1');
    expect(items.flatMap((i) => (i.kind === 'line' ? [i.line.record.ref] : []))).toEqual(['R2', 'R3', 'R1']);
    expect(items.find((i) => i.kind === 'note')).toEqual({ kind: 'note', message: 'lines are newest-first (from the running balances of lines 3 and 4)' });
  });
});
