import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trongridAdapter } from '../../../adapters/usdt/trongrid.js';
import { detectUsdtFormat } from '../../../adapters/usdt/index.js';
import { decodeHead, readHeadBytes } from '../../../adapters/common/text.js';
import { fixture, tempDir } from '../../support/cli.js';
import { kinds, readAll, transfersOf } from '../../support/adapters.js';
import { assetTotal, ingestIntoNewCase } from '../../support/usdtCase.js';

// Expected figures: python3 json over the fixture (11 of 14 items have token_info.address = USDT,
// their values sum to 84998778); item lines are where each `{` of data[] stands in the file.
const LEDGER = fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json');
const WATCHED = 'TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre';
const tron = (ident: string) => ({ rail: 'tron', ident });

describe('TronGrid /v1/accounts/{addr}/transactions/trc20 (Ledger Live fixture, 14 items)', () => {
  it('keeps the 11 USDT transfers and skips SUNDOG, JST and WIN', async () => {
    const items = await readAll(trongridAdapter, LEDGER, { token: 'usdt' });
    expect(kinds(items)).toEqual({ transfer: 11, skipped: 3 });
    const transfers = transfersOf(items);
    expect(transfers.map((t) => t.line)).toEqual([4, 59, 169, 224, 279, 334, 389, 444, 499, 554, 664]);
    expect(transfers.reduce((sum, t) => sum + t.amount, 0n)).toBe(84_998778n);
    expect(transfers[0]).toEqual({
      rail: 'tron',
      asset: 'USDT',
      token: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      decimals: 6,
      amount: 41_677389n,
      from: tron(WATCHED),
      to: tron('TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx'),
      time: 1738601505000,
      ref: '0130dfde9281a48378109039ef512229d5359fbee2a8adbb17ad73aebc67ea99',
      seq: transfers[0]!.seq,
      block: 69316562,
      line: 4,
    });
    expect(transfers[10]).toMatchObject({
      amount: 1_000000n,
      from: tron('TVKG4gUar24bpAVrDv4GSzyDRtPkjPkogL'),
      to: tron(WATCHED),
      time: 1669285026000,
      block: 46232713,
      line: 664,
    });
    const skipped = items.flatMap((item) => (item.kind === 'skipped' ? [[item.line, item.reason]] : []));
    expect(skipped).toEqual([
      [114, 'token TXL6rJbvmjD46zeN1JssfgxvSo99qC8MRT'],
      [609, 'token TCFLL5dx5ZJdKnWuesXxi1VPwjLVmWZZy9'],
      [719, 'token TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7'],
    ]);
  });

  it('stores 84.998778 USDT; --token all adds the 18-decimal tokens exactly', async () => {
    const usdtOnly = await ingestIntoNewCase([LEDGER]);
    expect(usdtOnly.info.byAsset).toEqual([{ rail: 'tron', asset: 'USDT', count: 11, amount: '84.998778' }]);
    expect(usdtOnly.info.accounts).toBe(7);
    const all = await ingestIntoNewCase([LEDGER], { token: 'all' });
    expect(all.info.transfers).toBe(14);
    expect(assetTotal(all.info, 'tron', 'SUNDOG:TXL6rJbvmjD46zeN1JssfgxvSo99qC8MRT')).toEqual({ count: 1, amount: '13.409316000000000000' });
    expect(assetTotal(all.info, 'tron', 'JST:TCFLL5dx5ZJdKnWuesXxi1VPwjLVmWZZy9')).toEqual({ count: 1, amount: '1.234000000000000000' });
    expect(assetTotal(all.info, 'tron', 'WIN:TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7')).toEqual({ count: 1, amount: '1.000000' });
  });

  it('is detected from its JSON shape, also as a bare page and as an empty last page', async () => {
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(LEDGER)))).toBe('trongrid');
    const dir = tempDir();
    const empty = join(dir, 'last-page.json');
    writeFileSync(empty, JSON.stringify({ data: [], success: true, meta: { at: 1739546767075, page_size: 0 } }));
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(empty)))).toBe('trongrid');
    expect(await readAll(trongridAdapter, empty, { token: 'usdt' })).toEqual([]);
  });

  it('reads a bare page and an array of pages with the same transfers and lines', async () => {
    const document = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(LEDGER, 'utf8'))) as Record<string, { data: unknown[] }>;
    const page = document[WATCHED]!;
    const dir = tempDir();
    const bare = join(dir, 'page.json');
    writeFileSync(bare, JSON.stringify(page, null, 2));
    const pages = join(dir, 'pages.json');
    writeFileSync(
      pages,
      JSON.stringify([
        { ...page, data: page.data.slice(0, 7) },
        { ...page, data: page.data.slice(7) },
      ]),
    );
    const fromBare = transfersOf(await readAll(trongridAdapter, bare, { token: 'usdt' }));
    const fromPages = transfersOf(await readAll(trongridAdapter, pages, { token: 'usdt' }));
    expect(fromBare.map((t) => t.line)).toEqual([3, 58, 168, 223, 278, 333, 388, 443, 498, 553, 663]);
    expect(fromPages.map((t) => t.line)).toEqual(Array(11).fill(1));
    const strip = (t: { line: number }) => ({ ...t, line: 0 });
    expect(fromPages.map(strip)).toEqual(fromBare.map(strip));
  });

  it('says so when the file is a TronGrid error answer', async () => {
    const dir = tempDir();
    const path = join(dir, 'error.json');
    writeFileSync(path, JSON.stringify({ success: false, error: 'account not found', statusCode: 400 }));
    await expect(readAll(trongridAdapter, path, { token: 'usdt' })).rejects.toThrow('TronGrid answered with an error: "account not found"');
  });
});
