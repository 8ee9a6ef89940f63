import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../src/model/amount.js';
import { makeIban } from '../../../src/model/iban.js';
import { formatLocalDate } from '../../../src/model/localDate.js';
import { readMt940Statement } from '../../../adapters/bank/mt940.js';
import type { LegacyEncoding } from '../../../adapters/bank/legacyText.js';
import type { StatementItem } from '../../../adapters/bank/statementRow.js';
import { fixture, tempDir } from '../../support/cli.js';
import { gapLines, linesOf, readBankFile, rejectLines, rowsOf } from './support.js';

/**
 * MT940/MT942 on the samples of the `mt940` Python library (test/fixtures/mt940-wolph). Expected
 * figures from a Python regex pass over the files: the number of `:61:` lines, their signed sum,
 * and the balance tags that do not follow (a closing balance that is not opening + lines, an
 * opening that is not the previous closing of the same account).
 */
async function readMt940(path: string, encoding: LegacyEncoding = 'utf-8'): Promise<StatementItem[]> {
  const items: StatementItem[] = [];
  for await (const item of readMt940Statement({ path }, encoding)) items.push(item);
  return items;
}

const CASES: [file: string, lines: number, sum: string, balanceBreaks: number[]][] = [
  ['betterplace/sepa_mt9401.sta', 97, '-9269135.90', []],
  ['betterplace/sepa_snippet.sta', 11, '-2143323.39', [55]],
  ['betterplace/with_binary_character.sta', 4, '-179066.75', []],
  ['cmxl/mt940.sta', 16, '12327.30', []],
  ['jejik/abnamro.sta', 10, '-345.93', [27, 35, 40]],
  ['jejik/generic.sta', 2, '-20.00', []],
  ['jejik/ing.sta', 7, '-45.59', [26]],
  ['jejik/knab.sta', 3, '-6260.00', [13, 20]],
  ['jejik/postfinance.sta', 4, '159.40', [27]],
  ['jejik/rabobank.sta', 5, '-1589.09', [11, 16, 22, 28]],
  ['jejik/sns.sta', 2, '-25.00', []],
  ['jejik/triodos.sta', 2, '-715.70', [12]],
  ['mBank/mt940.sta', 3, '0.03', []],
  ['mBank/mt942.sta', 3, '0.03', []],
  ['mBank/with_newline_in_tnr.sta', 2, '89.00', [19]],
  ['sberbank/171011_01234945.sta', 3, '-9437.00', []],
  ['self-provided/february_30.sta', 1, '-6.00', []],
  ['self-provided/gv_codes.sta', 2, '-257.45', []],
  ['self-provided/whitespace.sta', 1, '-233.15', [9]],
  ['self-provided/wrapped_timestamp.sta', 1, '-6.00', []],
  ['self-provided/transaction_details_wrapped.sta', 1, '-6.00', []],
];

describe('MT940 / MT942 samples', () => {
  for (const [file, count, sum, breaks] of CASES) {
    it(file, async () => {
      const items = await readMt940(fixture('mt940-wolph', ...file.split('/')));
      const rows = rowsOf(items);
      expect(rows.length).toBe(count);
      expect(
        formatAmount(
          rows.reduce((s, r) => s + r.amount, 0n),
          rows[0]?.decimals ?? 2,
        ),
      ).toBe(sum);
      expect(rejectLines(items)).toEqual([]);
      const pipeline = await readBankFile(fixture('mt940-wolph', ...file.split('/')));
      expect(gapLines(pipeline)).toEqual(breaks);
      expect(rejectLines(pipeline)).toEqual([]);
      expect(pipeline.filter((i) => i.kind === 'gap').every((i) => i.kind === 'gap' && i.gap.reason.startsWith('balance'))).toBe(true);
    });
  }

  it('ABN AMRO: legacy account with the sender BIC, entry dates, opening balance', async () => {
    const items = await readBankFile(fixture('mt940-wolph', 'jejik', 'abnamro.sta'));
    const lines = linesOf(items);
    expect(lines[0]!.record).toMatchObject({ from: { ident: 'ABNANL2A:517852257' }, amount: 900n, line: 8 });
    // `:61:1105210523D11,59`: value date 21 May, booked 23 May.
    expect(lines.find((l) => l.record.line === 12)!.record.time).toBe(Date.UTC(2011, 4, 23));
    expect(items.find((i) => i.kind === 'opening')).toMatchObject({ opening: { amount: 323628n, line: 7 } });
    expect(items.find((i) => i.kind === 'gap')).toMatchObject({
      gap: {
        lineAfter: 27,
        missing: 876_84n - 2914_84n,
        reason: 'balance: closing balance 876.84 EUR does not follow from the opening balance and the lines (expected 2914.84): a missing or altered line',
      },
    });
  });

  it('German ZKA details: counterparty name, IBAN and bank code from ?32/?33, ?31, ?30', async () => {
    const rows = rowsOf(await readMt940(fixture('mt940-wolph', 'betterplace', 'sepa_snippet.sta')));
    expect(rows[0]).toMatchObject({
      account: '50880050:0194787400888',
      counterpartyName: 'KARL KAUFMANN',
      counterpartyAccount: 'DE14508800500194785000',
      amount: 5099005n,
    });
  });

  it('Dutch SEPA tags: /NAME/ wrapped across lines; supplementary details kept in the description', async () => {
    // rabobank-iban.sta's own IBAN is anonymised; a copy with its check digits recomputed is read here.
    const dir = tempDir();
    const text = readFileSync(fixture('mt940-wolph', 'jejik', 'rabobank-iban.sta'), 'utf8').replaceAll('NL71RABO0123456789', makeIban('NL', 'RABO0123456789'));
    writeFileSync(join(dir, 'rabobank.sta'), text);
    const rows = rowsOf(await readMt940(join(dir, 'rabobank.sta')));
    expect(rows.length).toBe(4);
    expect(rows[0]).toMatchObject({ account: makeIban('NL', 'RABO0123456789'), counterpartyName: 'CONTRA ACCOUNT HOLDER', amount: -2500n });
    expect(rows[1]).toMatchObject({ counterpartyName: 'JOHN DOE', description: expect.stringContaining('P001234567') });
    expect(rows[1]!.reference).toBeUndefined();
  });

  it('MT942: the :90D: count and sum are checked', async () => {
    const items = await readBankFile(fixture('mt940-wolph', 'self-provided', 'mt942.sta'));
    expect(items.filter((i) => i.kind === 'reject')).toEqual([
      { kind: 'reject', line: 11, reason: 'balance: :90D: reports 1 debit lines of 2,30 EUR, the report holds 1 of 0,42' },
    ]);
    expect(linesOf(items)[0]!.record).toMatchObject({ asset: 'EUR', amount: 42n, ref: '055001022000001' });
  });

  it('a statement cut short (an opening balance, lines, no :62F: closing balance) is stored with a note saying so', async () => {
    const whole = readFileSync(fixture('bank-made', 'mule2-mt940.sta'), 'utf8').split('\n');
    const cut = join(tempDir(), 'cut.sta');
    writeFileSync(cut, whole.slice(0, 6).join('\n') + '\n');
    const notes = (items: Awaited<ReturnType<typeof readBankFile>>): string[] => items.flatMap((i) => (i.kind === 'note' ? [i.message] : []));
    expect(notes(await readBankFile(cut)).filter((m) => m.includes(':62F:'))).toEqual([
      'the statement of NL91ABNA0417164300 (line 1) has an opening balance (:60F:) but no closing balance (:62F: or :62M:): its lines cannot be checked against one, and a file cut short looks like this — lines after line 6 may be missing',
    ]);
    // The whole statement, with its closing balance: no such note.
    expect(notes(await readBankFile(fixture('bank-made', 'mule2-mt940.sta'))).filter((m) => m.includes(':62F:'))).toEqual([]);
  });

  it('February 30th as a value date: the entry date books it', async () => {
    const rows = rowsOf(await readMt940(fixture('mt940-wolph', 'self-provided', 'february_30.sta')));
    expect(formatLocalDate(rows[0]!.date)).toBe('2016-03-01');
  });

  it('code page 852 and Windows-1250 files read to the same Hungarian text', async () => {
    const dos = rowsOf(await readMt940(fixture('mt940-wolph', 'self-provided', 'raiffeisen-cmi.sta'), 'cp852'));
    const windows = rowsOf(await readMt940(fixture('mt940-wolph', 'derived', 'raiffeisen-cmi.cp1250.sta'), 'windows-1250'));
    expect(dos.length).toBe(7);
    expect(dos[0]!.description).toContain('Csoportos átutalás jóváírása');
    expect(dos[0]!.account).toBe('UBRTHUHB:123456789150ABCDEF002');
    expect(windows.map((r) => [r.amount, r.description])).toEqual(dos.map((r) => [r.amount, r.description]));
  });

  it('Windows-1252: Š, €, dashes and quotes of a description read as written, not as control characters', async () => {
    // The characters Windows-1252 puts at 0x80–0x9F, and one above them.
    const cp1252: Record<string, number> = { '€': 0x80, '„': 0x84, Š: 0x8a, '“': 0x93, '–': 0x96, ü: 0xfc };
    const description = 'Zahlung Škoda – Rechnung € 100 „Müller“';
    const text = readFileSync(fixture('mt940-wolph', 'jejik', 'generic.sta'), 'utf8').replace(':86:\n', `:86:${description}\n`);
    const path = join(tempDir(), 'cp1252.sta');
    writeFileSync(path, Buffer.from(Array.from(text, (c) => cp1252[c] ?? c.charCodeAt(0))));
    const rows = rowsOf(await readMt940(path, 'windows-1252'));
    expect(rows.map((r) => r.description)).toEqual([description, undefined]);
  });

  it('a non-UTF-8 file without --profile mt940-cp…: an error naming the line and the choices', async () => {
    await expect(readBankFile(fixture('mt940-wolph', 'self-provided', 'raiffeisen-cmi.sta'))).rejects.toMatchObject({
      line: 7,
      message: 'bytes that are not valid utf-8',
      hint: expect.stringContaining('mt940-cp852'),
    });
  });

  it('malformed statements', async () => {
    // Anonymised own IBAN: the whole file is refused at its :25: line.
    await expect(readMt940(fixture('mt940-wolph', 'ASNB', '0708271685_09022020_164516.940.txt'))).rejects.toMatchObject({
      line: 3,
      message: expect.stringContaining('IBAN NL81ASNB9999999999: bad check digits'),
    });
    await expect(readMt940(fixture('mt940-wolph', 'self-provided', 'invalid_statement.sta'))).rejects.toThrow(/no MT940\/MT942 statement/);
    await expect(readMt940(fixture('mt940-wolph', 'cmxl', 'statement_line.sta'))).rejects.toThrow(/no :25: account/);
    // A ?31 field with a bad IBAN rejects that line.
    const details = await readMt940(fixture('mt940-wolph', 'self-provided', 'malformed_details.sta'));
    expect(details.filter((i) => i.kind === 'reject')).toEqual([
      {
        kind: 'reject',
        line: 6,
        reason:
          ':86: counterparty account: IBAN DE99700500000000012345: bad check digits (ISO 13616 mod-97) — a mistyped, altered or anonymised account number; check the source document',
      },
    ]);
    // Balances without a currency are rejected where they stand.
    expect(rejectLines(await readMt940(fixture('mt940-wolph', 'self-provided', 'raphaelm.sta')))).toEqual([27, 35, 47]);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad-amount.sta'), ':20:X\n:25:12345678/1020304050\n:60F:C170914EUR1,00\n:61:170914D2.33NMSC\n:62F:C170914EUR1,00\n-\n');
    expect(await readMt940(join(dir, 'bad-amount.sta'))).toContainEqual({
      kind: 'reject',
      line: 4,
      reason: ':61: "170914D2.33NMSC" is not an MT940 statement line',
    });
  });
});
