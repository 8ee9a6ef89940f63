import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../../support/cli.js';

/** The statement as a tool that writes decomposed Unicode saves it again ("ä" as "a" and U+0308). */
function decomposedCopy(path: string, dir: string): string {
  const copy = join(dir, 'decomposed.csv');
  const text = readFileSync(path, 'utf8');
  expect(text.normalize('NFD')).not.toBe(text);
  writeFileSync(copy, text.normalize('NFD'));
  return copy;
}

describe('a statement saved again in decomposed Unicode (NFD) is the same statement', () => {
  // Real exports with accented text in lines without a bank reference: such a line is named by
  // its content (docs/bank-statements.md, "References"). Before, every line with an accent got a
  // new reference from the copy, and was stored a second time: money counted twice.
  it.each([
    ['beancount-importers-cvigo/N26_Sample.csv', 'n26', 86, ['--account', 'DE89370400440532013000']],
    // Its balances have a break (a trimmed sample): kept as a gap.
    ['csv2ofx/test/ingesp.csv', 'ing-es', 10, ['--account', 'ES9121000418450200051332', '--balance', 'gaps']],
    ['bank2ynab-samples/ie_bank_of_ireland_test_BOI_TransactionExport.csv', 'boi-ie', 27, ['--account', 'IE29AIBK93115212345678', '--balance', 'gaps']],
  ])('%s: the copy adds nothing', (file, profile, lines, extra) => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const original = fixture(...file.split('/'));
    const first = hoptrace(['--db', db, 'ingest', 'bank', original, ...extra]);
    expect(first.stderr.split('\n')[0]).toMatch(new RegExp(`: profile ${profile} \\(detected\\): ${lines} stored`));
    const copy = hoptrace(['--db', db, 'ingest', 'bank', decomposedCopy(original, dir), ...extra]);
    expect(copy.status).toBe(0);
    expect(copy.stderr.split('\n')[0]).toMatch(new RegExp(`decomposed\\.csv: profile ${profile} \\(detected\\): 0 stored, ${lines} already in the case`));
    expect(JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout).transfers).toBe(lines);
  });

  it('a header with accents (ING Germany\'s "Empfänger") is found in the decomposed copy too', () => {
    const dir = tempDir();
    const copy = decomposedCopy(fixture('ing-de-n26-jheimbach', 'ing_de_current_format.csv'), dir);
    // Before: "no bank profile fits … nearest: ing-de (6/8 columns)".
    const run = hoptrace(['--db', join(dir, 'case.db'), 'ingest', 'bank', copy, '--balance', 'gaps']);
    expect(run.stderr.split('\n')[0]).toBe(`${copy}: profile ing-de (detected): 2 stored`);
    expect(run.status).toBe(0);
  });
});
