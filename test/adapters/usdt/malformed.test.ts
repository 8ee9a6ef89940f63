import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HoptraceError } from '../../../src/model/errors.js';
import { openCaseDb } from '../../../src/store/caseStore.js';
import { ingestUsdtFiles } from '../../../src/ingest/ingestUsdt.js';
import { fixture, tempDir } from '../../support/cli.js';
import { caseSnapshot, hoptraceAsync, withLines } from '../../support/usdtCase.js';

/**
 * Broken inputs, each made from a real fixture with one defect: one error `FILE:LINE: what is
 * wrong — what to do` (which the CLI prints after `hoptrace: `, exiting 1), and the case file
 * (which already holds an earlier import) exactly as it was.
 */
const THOUSANDS = fixture('hoptrace-made', 'etherscan-thousands.csv');
const ADDRESS_PAGE = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
const TRONSCAN = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv');
const TRONGRID = fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json');
const RPC = fixture('ethereum-etl-rpc-fixtures', 'derived', 'usdt_transfer_logs_blocks_17173049_17173050.eth_getLogs.json');
const NOTHING_STORED = 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones';

const dir = tempDir();
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** Replaces the nth cell of an unquoted CSV line (TronScan's flattening has no quoted cells). */
const cell = (n: number, value: string) => (line: string) =>
  line
    .split(',')
    .map((c, i) => (i === n ? value : c))
    .join(',');
/** Replaces one quoted value of a line (Etherscan quotes every cell, and values hold commas). */
const swap = (from: string, to: string) => (line: string) => {
  if (!line.includes(from)) throw new Error(`${from} not in ${line}`);
  return line.replace(from, to);
};
const lineCount = (text: string): number => text.split('\n').length;

interface BrokenInput {
  name: string;
  path: () => string;
  args?: string[];
  /** The whole stderr line after `hoptrace: `. */
  error: (path: string) => string;
}

const cases: BrokenInput[] = [
  {
    name: 'a corrupted row in the middle of the 5,413-row TronScan export (bad base58check)',
    path: () =>
      withLines(TRONSCAN, join(dir, 'tronscan-corrupt-2708.csv'), {
        2708: (line) => {
          const cells = line.split(',');
          const from = cells[5]!;
          cells[5] = from.slice(0, -1) + (from.endsWith('A') ? 'B' : 'A');
          return cells.join(',');
        },
      }),
    error: (path) => {
      const from = readFileSync(path, 'utf8').split('\n')[2707]!.split(',')[5];
      return `${path}:2708: address "${from}": bad base58check checksum — ${NOTHING_STORED}`;
    },
  },
  {
    name: 'Latin-1 bytes in a UTF-8 export',
    path: () => {
      const text = readFileSync(THOUSANDS);
      const at = text.indexOf('Tether USD', text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1));
      return file('latin1.csv', Buffer.concat([text.subarray(0, at), Buffer.from('Tether d\xe9mo', 'latin1'), text.subarray(at + 'Tether USD'.length)]));
    },
    error: (path) => `${path}:4: bytes that are not valid UTF-8 — the file is not UTF-8 (Latin-1 or Windows-1252?): re-export it as UTF-8`,
  },
  {
    name: 'a UTF-16 file without a byte-order mark',
    path: () => file('utf16-no-bom.csv', Buffer.from(readFileSync(THOUSANDS, 'utf8'), 'utf16le')),
    error: (path) => `${path}:1: NUL bytes in the text: the file looks like UTF-16 without a byte-order mark, or is not text — re-export it as UTF-8`,
  },
  {
    name: 'a CSV cut off inside a quoted field (line 200)',
    path: () => {
      const text = readFileSync(ADDRESS_PAGE, 'utf8');
      const lines = text.split('\n');
      return file('truncated-quote.csv', lines.slice(0, 199).join('\n') + '\n' + lines[199]!.slice(0, 90));
    },
    error: (path) => `${path}:200: CSV: a quoted field is never closed (file truncated?)`,
  },
  {
    name: 'a CSV cut off between fields (last row too short)',
    path: () => {
      const lines = readFileSync(TRONSCAN, 'utf8').split('\n');
      return file('truncated-row.csv', lines.slice(0, 99).join('\n') + '\n' + lines[99]!.split(',').slice(0, 6).join(','));
    },
    error: (path) => `${path}:100: 6 fields, the header has 18 — ${NOTHING_STORED}`,
  },
  {
    name: 'a TronGrid download cut off half way',
    path: () => {
      const text = readFileSync(TRONGRID, 'utf8');
      return file('truncated.json', text.slice(0, Math.floor(text.length * 0.6)));
    },
    error: (path) => `${path}:${lineCount(readFileSync(path, 'utf8'))}: JSON ends early (truncated download?)`,
  },
  {
    name: 'an eth_getLogs response cut off half way',
    path: () => {
      const text = readFileSync(RPC, 'utf8');
      return file('truncated-logs.json', text.slice(0, Math.floor(text.length / 2)));
    },
    args: ['--format', 'rpc-logs', '--blocks', fixture('ethereum-etl-rpc-fixtures', 'mainnet_blocks_17173049_17173050', 'expected_blocks.json')],
    error: (path) => `${path}:${lineCount(readFileSync(path, 'utf8'))}: JSON ends early (truncated download?)`,
  },
  {
    name: 'a mixed-case EVM address with a wrong EIP-55 checksum',
    path: () =>
      withLines(THOUSANDS, join(dir, 'bad-eip55.csv'), {
        2: swap('"0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be"', '"0x3F5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE"'),
      }),
    error: (path) =>
      `${path}:2: address "0x3F5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE": bad EIP-55 checksum (mixed case that does not match the address) — ${NOTHING_STORED}`,
  },
  {
    name: 'a Tron address with a bad base58check checksum in a TronGrid page',
    path: () => file('bad-tron.json', readFileSync(TRONGRID, 'utf8').replace('TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', 'TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy')),
    error: (path) => `${path}:4: address "TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy": bad base58check checksum — ${NOTHING_STORED}`,
  },
  {
    name: 'a damaged UnixTimestamp (a digit lost) that its own DateTime (UTC) contradicts',
    path: () => withLines(THOUSANDS, join(dir, 'timestamp-digit-lost.csv'), { 3: swap('"1609168415"', '"160916841"') }),
    error: (path) => `${path}:3: UnixTimestamp says 1975-02-06 11:07:21 UTC, DateTime (UTC) says 2020-12-28 15:13:35: a damaged row — ${NOTHING_STORED}`,
  },
  {
    name: 'a DateTime (UTC) a day off its UnixTimestamp',
    path: () => withLines(THOUSANDS, join(dir, 'datetime-day-off.csv'), { 3: swap('"2020-12-28 15:13:35"', '"2020-12-29 15:13:35"') }),
    error: (path) => `${path}:3: UnixTimestamp says 2020-12-28 15:13:35 UTC, DateTime (UTC) says 2020-12-29 15:13:35: a damaged row — ${NOTHING_STORED}`,
  },
  {
    name: 'a time before the first Ethereum block (no DateTime to compare)',
    path: () =>
      file(
        'pre-genesis.csv',
        readFileSync(THOUSANDS, 'utf8')
          .split('\n')
          .slice(0, 3)
          .map((line) => line.replace(',"DateTime (UTC)"', '').replace(',"2020-12-28 15:01:00"', '').replace(',"2020-12-28 15:13:35"', ''))
          .join('\n')
          .replace('"1609168415"', '"1409168415"') + '\n',
      ),
    error: (path) => `${path}:3: time 2014-08-27T19:40:15.000Z is before the first Ethereum block (2015-07-30) — ${NOTHING_STORED}`,
  },
  {
    name: 'a negative token value',
    path: () => withLines(THOUSANDS, join(dir, 'negative.csv'), { 3: swap('"1,000"', '"-1000"') }),
    error: (path) => `${path}:3: amount "-1000": negative value — ${NOTHING_STORED}`,
  },
  {
    name: 'a negative TronScan quant',
    path: () => withLines(TRONSCAN, join(dir, 'negative-quant.csv'), { 3: cell(9, '-300000000') }),
    error: (path) => `${path}:3: amount "-300000000": negative value — ${NOTHING_STORED}`,
  },
  {
    name: 'a value that is not a number',
    path: () => withLines(THOUSANDS, join(dir, 'not-a-number.csv'), { 3: swap('"1,000"', '"N/A"') }),
    error: (path) => `${path}:3: amount "N/A": not a number — ${NOTHING_STORED}`,
  },
  {
    name: 'a value in scientific notation',
    path: () => withLines(THOUSANDS, join(dir, 'scientific.csv'), { 5: swap('"1,234,567.891011"', '"1.2345678e6"') }),
    error: (path) => `${path}:5: amount "1.2345678e6": scientific notation is not accepted (the export lost precision) — ${NOTHING_STORED}`,
  },
  {
    name: 'a TronGrid value as a JSON number (precision already lost)',
    path: () => file('value-number.json', readFileSync(TRONGRID, 'utf8').replace('"value": "41677389"', '"value": 4.1677389e7')),
    error: (path) => `${path}:4: value 41677389 must be a string of base units — ${NOTHING_STORED}`,
  },
  {
    name: 'a file in no known format',
    path: () => fixture('tron-aso-nbctf-hfuhruhurr', 'tron_wallets.csv'),
    error: (path) =>
      `${path}:1: unknown format (header: "num,wallet,date_created,date_most_recent,aso,aso_line_num,note") — expected one of trongrid, tronscan, rpc-logs, etherscan; give --format to say which`,
  },
  {
    name: 'a directory instead of a file',
    path: () => tempDir(),
    error: (path) => `${path}: is a directory, not a file`,
  },
  {
    name: 'an empty file',
    path: () => file('empty.csv', ''),
    error: (path) => `${path}: empty file`,
  },
  {
    name: 'a file of blank lines',
    path: () => file('blank.csv', '\n\n  \n'),
    error: (path) => `${path}: empty file`,
  },
  {
    name: 'an export written with ";" as the delimiter',
    path: () => file('semicolons.csv', readFileSync(THOUSANDS, 'utf8').replaceAll('","', '";"')),
    error: (path) =>
      `${path}:1: unknown format (header: ${JSON.stringify(readFileSync(path, 'utf8').split('\n')[0]!.slice(0, 120))}) — the header is separated by ";": explorer exports use ","; re-export the file or check it is the right one`,
  },
  {
    name: 'the same file forced as etherscan',
    path: () => file('semicolons-forced.csv', readFileSync(THOUSANDS, 'utf8').replaceAll('","', '";"')),
    args: ['--format', 'etherscan'],
    error: (path) =>
      `${path}:1: not an Etherscan token-transfer export: no from, to, value column — the header is separated by ";": Etherscan exports use ","; re-export the file or check it is the right one`,
  },
  {
    name: 'a CSV forced as trongrid',
    path: () => THOUSANDS,
    args: ['--format', 'trongrid'],
    error: (path) => `${path}:1: not a JSON document: it starts with "\\"Txhash\\",\\"Bl", not with { or [`,
  },
];

describe('broken inputs: a clear error naming FILE:LINE, the case file unchanged', () => {
  let before: Record<string, unknown[]>;
  let goodCase: Buffer;

  beforeAll(async () => {
    // Every case starts from the same case file holding one good import.
    const path = join(dir, 'good.db');
    const db = openCaseDb(path);
    await ingestUsdtFiles(db, [TRONGRID]);
    db.close();
    before = caseSnapshot(path);
    goodCase = readFileSync(path);
  });

  const freshCase = (): string => {
    const db = join(tempDir(), 'case.db');
    writeFileSync(db, goodCase);
    return db;
  };

  /** The options `ingest usdt` would get from these CLI arguments. */
  const optionsOf = (args: string[] = []): { format?: 'rpc-logs' | 'etherscan' | 'trongrid'; blocks?: string } => {
    const format = args[args.indexOf('--format') + 1] as 'rpc-logs' | 'etherscan' | 'trongrid';
    const blocks = args.includes('--blocks') ? args[args.indexOf('--blocks') + 1] : undefined;
    return { ...(args.includes('--format') ? { format } : {}), ...(blocks ? { blocks } : {}) };
  };

  it.each(cases)('$name', async ({ path, args, error }) => {
    const input = path();
    const dbPath = freshCase();
    const db = openCaseDb(dbPath);
    try {
      const failure = await ingestUsdtFiles(db, [input], optionsOf(args)).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(failure).toBeInstanceOf(HoptraceError);
      expect((failure as HoptraceError).describe()).toBe(error(input));
    } finally {
      db.close();
    }
    expect(caseSnapshot(dbPath)).toEqual(before);
  });

  // The CLI prints exactly that line after `hoptrace: ` and exits 1 (three cases suffice: main.ts
  // does the same for every HoptraceError).
  it.concurrent.each(cases.filter((c) => /middle|half way|no known format/.test(c.name)))('through the CLI: $name', async ({ path, args, error }) => {
    const input = path();
    const db = freshCase();
    const run = await hoptraceAsync(['--db', db, 'ingest', 'usdt', ...(args ?? []), input]);
    expect(run.stderr).toBe(`hoptrace: ${error(input)}\n`);
    expect(run.status).toBe(1);
    expect(caseSnapshot(db)).toEqual(before);
  });
});

describe('UTF-16 with a byte-order mark is decoded, not refused', () => {
  it('reads a UTF-16LE export (Excel "Unicode text") exactly like the UTF-8 one', async () => {
    const utf16 = file('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(THOUSANDS, 'utf8'), 'utf16le')]));
    const db = join(tempDir(), 'case.db');
    const run = await hoptraceAsync(['--db', db, 'ingest', 'usdt', utf16]);
    expect(run.status).toBe(0);
    const info = JSON.parse((await hoptraceAsync(['--db', db, 'info', '--json'])).stdout) as { byAsset: unknown[] };
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: 'USDT', count: 4, amount: '1249068.391011' }]);
  });
});

describe('--skip-bad', () => {
  it('stores the good rows and lists each reject with its file, line and reason', async () => {
    const etherscan = withLines(THOUSANDS, join(dir, 'two-bad-rows.csv'), {
      3: swap('"1,000"', '"-1000"'),
      5: swap('"0x003dc32fe920a4aaeed12dc87e145f030aa753f3"', '"0xZZ"'),
    });
    const trongrid = file(
      'one-bad-item.json',
      readFileSync(TRONGRID, 'utf8').replace('TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', 'TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy'),
    );
    const db = join(tempDir(), 'case.db');
    const run = await hoptraceAsync(['--db', db, 'ingest', 'usdt', '--skip-bad', etherscan, trongrid]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      `${etherscan}: etherscan (detected): 2 stored, 2 rejected (see hoptrace info)\n` +
        `${trongrid}: trongrid (detected): 10 stored, 3 skipped (other tokens or failed transactions), 1 rejected (see hoptrace info)\n`,
    );
    const info = JSON.parse((await hoptraceAsync(['--db', db, 'info', '--json'])).stdout) as {
      byAsset: unknown[];
      sources: { rows: number; rejected: number }[];
      rejects: unknown[];
    };
    // Rows 2 and 4 (1,000 + 12,500.5 USDT) and the 10 good TronGrid transfers (84.998778 − 41.677389).
    expect(info.byAsset).toEqual([
      { rail: 'ethereum', asset: 'USDT', count: 2, amount: '13500.500000' },
      { rail: 'tron', asset: 'USDT', count: 10, amount: '43.321389' },
    ]);
    expect(info.sources.map((s) => [s.rows, s.rejected])).toEqual([
      [2, 2],
      [10, 1],
    ]);
    expect(info.rejects).toEqual([
      { sourceId: 1, path: etherscan, line: 3, reason: 'amount "-1000": negative value' },
      { sourceId: 1, path: etherscan, line: 5, reason: 'address "0xZZ": not a 20-byte 0x address' },
      { sourceId: 2, path: trongrid, line: 4, reason: 'address "TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy": bad base58check checksum' },
    ]);
    const text = (await hoptraceAsync(['--db', db, 'info'])).stdout;
    expect(text).toContain(`rejected rows:\n  ${etherscan}:3: amount "-1000": negative value\n`);
  });

  it('does not skip file-level problems: a truncated file still fails whole', async () => {
    const text = readFileSync(TRONGRID, 'utf8');
    const truncated = file('truncated-skip-bad.json', text.slice(0, 5000));
    const db = join(tempDir(), 'case.db');
    const run = await hoptraceAsync(['--db', db, 'ingest', 'usdt', '--skip-bad', truncated]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`hoptrace: ${truncated}:${lineCount(text.slice(0, 5000))}: JSON ends early (truncated download?)\n`);
  });
});
