import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { PlainCsv, readCsvRecords, type CsvRecord } from '../../../adapters/bank/csvRecords.js';
import { readCsvStatement } from '../../../adapters/bank/csvStatement.js';
import { findProfile } from '../../../adapters/bank/profiles.js';
import { prng } from '../../support/prng.js';

/** What the bank reader gave before its plain-line fast path: csv-parse's stream, errors as in csvRecords.ts. */
async function viaCsvParse(
  text: string[],
  delimiter: string,
  escapeChar: string,
): Promise<{ records: CsvRecord[]; error?: { message: string; line: number | undefined } }> {
  const parser = parse({ delimiter, escape: escapeChar, relax_column_count: true, skip_empty_lines: true, info: true });
  Readable.from(text).pipe(parser);
  const records: CsvRecord[] = [];
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
      records.push({ line: item.info.lines, fields: item.record });
  } catch (error) {
    const e = error as { code?: string; message: string; lines?: number };
    const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (file truncated?)' : e.message;
    return { records, error: { message: `CSV: ${reason}`, line: e.lines || undefined } };
  }
  return { records };
}

async function viaReader(
  text: string[],
  delimiter: string,
  escapeChar: string,
): Promise<{ records: CsvRecord[]; error?: { message: string; line: number | undefined } }> {
  async function* chunks(): AsyncGenerator<string> {
    yield* text;
  }
  const records: CsvRecord[] = [];
  try {
    for await (const record of readCsvRecords('s.csv', chunks, { delimiter, escape: escapeChar })) records.push(record);
  } catch (error) {
    const e = error as { message: string; line?: number; file?: string };
    expect(e.file).toBe('s.csv');
    return { records, error: { message: e.message, line: e.line } };
  }
  return { records };
}

function split(text: string, random: () => number): string[] {
  const parts: string[] = [];
  let at = 0;
  while (at < text.length) {
    const size = 1 + Math.floor(random() * 12);
    parts.push(text.slice(at, at + size));
    at += size;
  }
  return parts;
}

describe('bank CSV records (plain lines read by hand, the rest by csv-parse)', () => {
  it('reads plain LF and CRLF statements by hand, with their line numbers, skipping empty lines', () => {
    const plain = new PlainCsv(';', '"');
    const records = [...plain.push('date;amount;"name"\r\n\r\n2024-01-02;"-1,50";"Mü""ller; J."\r\n2024-01-03;', false), ...plain.push('2,00;\r\n', true)];
    expect(plain.stopped).toBe(false);
    expect(records).toEqual([
      { line: 1, fields: ['date', 'amount', 'name'] },
      { line: 3, fields: ['2024-01-02', '-1,50', 'Mü"ller; J.'] },
      { line: 4, fields: ['2024-01-03', '2,00', ''] },
    ]);
  });

  it('stops at the first line that is not plain, and csv-parse gives its records and its error', async () => {
    const lines = ['a,b', '1,2', 'x,y"z', '3,4'];
    // One chunk: its records are not given before the error (as csv-parse's stream did).
    expect(await viaReader([lines.join('\n') + '\n'], ',', '"')).toEqual({
      records: [],
      error: { message: 'CSV: Invalid Opening Quote: a quote is found on field 1 at line 3, value is "y"', line: 3 },
    });
    // Two chunks, the first plain: its records are given.
    expect(await viaReader(['a,b\n1,2\n', 'x,y"z\n3,4\n'], ',', '"')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
      error: { message: 'CSV: Invalid Opening Quote: a quote is found on field 1 at line 3, value is "y"', line: 3 },
    });
    // A line end inside quotes and a backslash escape: not plain, read by csv-parse without a record twice.
    expect(await viaReader(['a,b\n1,"two\nlines"\n2,"\\"q\\""\n3,x\n'], ',', '\\')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['1', 'two\nlines'] },
        { line: 4, fields: ['2', '"q"'] },
        { line: 5, fields: ['3', 'x'] },
      ],
    });
  });

  it('gives what csv-parse gives on random text in random chunks: records, lines and errors', async () => {
    const random = prng(19);
    const alphabet = ['a', 'b', 'é', ' ', ',', ',', ';', '"', '"', '\\', '\n', '\n', '\r\n', '\r', '\uFEFF'];
    const plainLine = (): string =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        random() < 0.4 ? `"${'a,"";b'.slice(0, Math.floor(random() * 7))}"` : 'x1é'.slice(0, Math.floor(random() * 4)),
      ).join(',');
    for (let run = 0; run < 1500; run++) {
      const lineEnd = random() < 0.5 ? '\n' : '\r\n';
      const lines = Array.from({ length: Math.floor(random() * 8) }, () => (random() < 0.15 ? '' : plainLine()));
      let text = lines.join(lineEnd) + (random() < 0.7 ? lineEnd : '');
      // Most runs damage the text once or twice; some stay plain.
      for (let k = Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (text.length + 1));
        text = text.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + text.slice(at);
      }
      const delimiter = random() < 0.8 ? ',' : ';';
      const escapeChar = random() < 0.8 ? '"' : '\\';
      // One chunk, as a statement below a megabyte is read: the very same outcome.
      expect(await viaReader([text], delimiter, escapeChar), JSON.stringify({ text, delimiter, escape: escapeChar })).toEqual(
        await viaCsvParse([text], delimiter, escapeChar),
      );
      // Random chunks: the same records, lines and error (csv-parse's stream may leave records it read unread before failing).
      const chunks = split(text, random);
      const byParts = await viaReader(chunks, delimiter, escapeChar);
      const reference = await viaCsvParse(chunks, delimiter, escapeChar);
      expect(byParts.error, JSON.stringify({ chunks, delimiter, escape: escapeChar })).toEqual(reference.error);
      if (reference.error === undefined) expect(byParts.records).toEqual(reference.records);
    }
  });

  it('a statement of many chunks with a quoted line end far in: every row with its line, progress only forward', async () => {
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance';
    const lines = Array.from(
      { length: 3000 },
      (_, i) =>
        `2024-01-${String(1 + (i % 28)).padStart(2, '0')},-1.${String(i % 100).padStart(2, '0')},EUR,DE89370400440532013000,Jens Kramer,REF${i},${i === 2500 ? '"two\nlines"' : `payment ${i}`},`,
    );
    const path = join(mkdtempSync(join(tmpdir(), 'hoptrace-csvrecords-')), 'statement.csv');
    writeFileSync(path, [header, ...lines].join('\n') + '\n');
    const progress: number[] = [];
    const items = [];
    for await (const item of readCsvStatement({ path, account: 'NL91ABNA0417164300', onBytes: (n) => progress.push(n) }, findProfile('generic').profile))
      items.push(item);
    const rows = items.flatMap((i) => (i.kind === 'row' ? [i.row] : []));
    expect(items.length).toBe(3000);
    expect(rows.length).toBe(3000);
    // Line 2502 is the quoted field's second physical line: csv-parse names the line a record ends on.
    expect(rows.slice(2498, 2501).map((r) => [r.line, r.reference, r.description])).toEqual([
      [2500, 'REF2498', 'payment 2498'],
      [2501, 'REF2499', 'payment 2499'],
      [2503, 'REF2500', 'two\nlines'],
    ]);
    expect(rows[2999]!.line).toBe(3002);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((n, i) => i === 0 || n > progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(statSync(path).size);
  });
});
