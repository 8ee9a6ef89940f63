import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsvRows, type CsvOptions, type CsvRow } from '../../../adapters/common/csv.js';
import { fixture } from '../../support/cli.js';

// The hand-written reader against csv-parse (what hoptrace used before, with the same options)
// as the reference: same records, same line numbers, whatever the chunking.
async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function ours(text: string, size = 1 << 20, options: CsvOptions = {}): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows('test.csv', chunked(text, size), options)) rows.push(row);
  return rows;
}

function reference(text: string, options: CsvOptions = {}): CsvRow[] {
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    from_line: options.fromLine ?? 1,
    delimiter: options.delimiter ?? ',',
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return records.map((r) => ({ line: r.info.lines, fields: r.record }));
}

describe('CSV records with line numbers', () => {
  it('reads every real CSV fixture exactly as csv-parse does', async () => {
    const files = [
      fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'),
      fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-internal.csv'),
      fixture('etherscan-exports-privatefolio', '0xf98', 'etherscan-erc20.csv'),
      fixture('etherscan-exports-privatefolio', '0xf98', 'etherscan.csv'),
      fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'),
      fixture('tron-aso-nbctf-hfuhruhurr', 'tron_wallets.csv'),
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(await ours(text, 4096), file).toEqual(reference(text));
    }
  });

  it('handles quoting, line ends and empty lines at every chunk boundary', async () => {
    const samples = [
      'a,b,c\n1,2,3\n',
      'a,b\r\n"x, y","he said ""hi"""\r\n\r\n"multi\nline",2\r\nlast,row',
      'h1,h2\n\n\n"",x\n,\n"a\nb",c\n',
      'one\rtwo\rthree',
      'a;b;c\n"1;2";3;4\n',
      'x,"",y\n"",""\n',
      'trailing,comma,\nnext,row,\n',
    ];
    for (const text of samples) {
      const delimiter = text.startsWith('a;') ? ';' : ',';
      const expected = reference(text, { delimiter });
      for (const size of [1, 2, 3, 5, 7, 1 << 20])
        expect(await ours(text, size, { delimiter }), `${JSON.stringify(text)} in chunks of ${size}`).toEqual(expected);
    }
  });

  it('counts a CRLF inside a quoted field of an LF file as one line end (csv-parse counts two)', async () => {
    expect((await ours('h1,h2\n"a\r\nb",c\nd,e\n', 3)).map((row) => row.line)).toEqual([1, 3, 4]);
  });

  it('skips preamble lines with fromLine', async () => {
    const text = 'Statement for account X\n"unbalanced quote line\nDate,Amount\n2024-01-01,5\n';
    expect(await ours(text, 3, { fromLine: 3 })).toEqual([
      { line: 3, fields: ['Date', 'Amount'] },
      { line: 4, fields: ['2024-01-01', '5'] },
    ]);
  });

  it('keeps a quote inside an unquoted field as a character, so the row can be judged by its reader', async () => {
    expect(await ours('a,b\nab"c,d\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['ab"c', 'd'] },
    ]);
  });

  it('fails on a quoted field that never closes, naming the line where it opened', async () => {
    await expect(ours('a,b\n1,2\n"3,4\n5,6\n', 4)).rejects.toMatchObject({
      message: 'CSV: a quoted field is never closed (file truncated?)',
      file: 'test.csv',
      line: 3,
    });
  });

  it('fails on text after a closing quote, or reports the row with malformed: report', async () => {
    await expect(ours('a,b\n"1"x,2\n')).rejects.toMatchObject({ message: 'CSV: unexpected "x,2" after the closing quote of field 1', line: 2 });
    expect(await ours('a,b\n"1"x,2\n3,4\n', 2, { malformed: 'report' })).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1'], problem: 'CSV: unexpected "x,2" after the closing quote of field 1' },
      { line: 3, fields: ['3', '4'] },
    ]);
  });
});
