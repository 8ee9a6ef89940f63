import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transactionHash, trongridAdapter } from '../../../adapters/usdt/trongrid.js';
import { detectUsdtFormat } from '../../../adapters/usdt/index.js';
import { decodeHead, readHeadBytes } from '../../../adapters/common/text.js';
import { fixture, tempDir } from '../../support/cli.js';
import { kinds, readAll, transfersOf } from '../../support/adapters.js';
import { writeTronGridPages } from '../../support/generate.js';
import { AddressCache } from '../../../src/model/address.js';
import type { ReadItem } from '../../../adapters/types.js';
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

  it('reads each field as the checks say: amounts from 0 to past 2^64, ids in any case, USDT decimals, rejects by line', async () => {
    const id = (n: number) => n.toString(16).padStart(64, '0');
    const item = (n: number, changes: Record<string, unknown> = {}, info: Record<string, unknown> = {}) => ({
      transaction_id: id(n),
      token_info: { symbol: 'USDT', address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', decimals: 6, ...info },
      block_timestamp: 1672531202000 + n,
      from: 'TE3CeJn69nY26HfBXbysttEkqU5xTTcCTa',
      to: 'TPLaoXzu8zL59hrerdi91ETWkaavh43CDz',
      type: 'Transfer',
      value: '4707577805',
      ...changes,
    });
    const items = [
      item(1, { value: '0' }),
      item(2, { value: '000123' }),
      item(3, { value: '999999999999999' }),
      item(4, { value: '9007199254740993' }),
      item(5, { value: '18446744073709551616' }),
      item(6, { value: ' 12 ' }),
      item(7, { transaction_id: id(7).toUpperCase().replace('0X', '') }),
      item(8, { value: '-5' }),
      item(9, { value: '1e6' }),
      item(10, { value: '1.5' }),
      item(11, { value: 12 }),
      item(12, { transaction_id: 'xyz' }),
      item(13, {}, { decimals: '6' }),
      item(14, {}, { decimals: 18 }),
      item(15, { type: 'Approval' }),
      item(16, { value: '\u0663' }),
    ];
    const dir = tempDir();
    const path = join(dir, 'edges.json');
    writeFileSync(path, `{"data": [\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n], "success": true}`);
    const read = await readAll(trongridAdapter, path, { token: 'usdt' });
    expect(transfersOf(read).map((t) => [t.line, t.amount, t.ref, t.decimals])).toEqual([
      [2, 0n, id(1), 6],
      [3, 123n, id(2), 6],
      [4, 999_999_999_999_999n, id(3), 6],
      [5, 9_007_199_254_740_993n, id(4), 6],
      [6, 18_446_744_073_709_551_616n, id(5), 6],
      [7, 12n, id(6), 6],
      [8, 4_707_577_805n, id(7), 6],
    ]);
    expect(read.flatMap((r) => (r.kind === 'reject' || r.kind === 'skipped' ? [[r.line, r.kind, r.reason]] : []))).toEqual([
      [9, 'reject', 'amount "-5": negative value'],
      [10, 'reject', 'amount "1e6": scientific notation is not accepted (the export lost precision)'],
      [11, 'reject', 'amount "1.5": not an integer count of base units'],
      [12, 'reject', 'value 12 must be a string of base units'],
      [13, 'reject', 'transaction_id "xyz" is not 32 bytes of hex'],
      [14, 'reject', 'token decimals "6" is not a number'],
      [15, 'reject', 'token decimals 18 for USDT, which has 6'],
      [16, 'skipped', 'Approval event, not a transfer'],
      [17, 'reject', 'amount "\u0663": not an integer count of base units'],
    ]);
    // Past 64 bits the case file keeps the amount as 0x text, read back exactly.
    const stored = await ingestIntoNewCase([path], { skipBad: true });
    const amounts = stored.db.prepare('SELECT line, typeof(amount) AS type, amount FROM transfers ORDER BY line').all();
    stored.db.close();
    expect(amounts).toEqual([
      { line: 2n, type: 'integer', amount: 0n },
      { line: 3n, type: 'integer', amount: 123n },
      { line: 4n, type: 'integer', amount: 999_999_999_999_999n },
      { line: 5n, type: 'integer', amount: 9_007_199_254_740_993n },
      { line: 6n, type: 'text', amount: '0x10000000000000000' },
      { line: 7n, type: 'integer', amount: 12n },
      { line: 8n, type: 'integer', amount: 4_707_577_805n },
    ]);
  });

  it('transactionHash: a lower-case id as it is, another case lowered, anything else named', () => {
    const lower = 'bb534989e0a17f5bc81dc9336cd59424ac5df80aea0f203101f073a2fd3b7759';
    expect(transactionHash(lower)).toBe(lower);
    expect(transactionHash(lower.toUpperCase())).toBe(lower);
    expect(transactionHash('0'.repeat(64))).toBe('0'.repeat(64));
    expect(() => transactionHash(lower.slice(1))).toThrow(`transaction_id "${lower.slice(1)}" is not 32 bytes of hex`);
    expect(() => transactionHash(`0x${lower}`)).toThrow('is not 32 bytes of hex');
    expect(() => transactionHash(`${lower.slice(0, 63)}g`)).toThrow(`transaction_id "${lower.slice(0, 63)}g" is not 32 bytes of hex`);
    expect(() => transactionHash('')).toThrow('transaction_id "" is not 32 bytes of hex');
  });
});

/** readBatches' batches, and the error that ended them (undefined when none did). */
async function readBatchesOf(path: string): Promise<{ batches: ReadItem[][]; error: unknown }> {
  const batches: ReadItem[][] = [];
  const read = trongridAdapter.readBatches;
  if (!read) throw new Error('the TronGrid adapter has no readBatches');
  try {
    for await (const batch of read({ path, addresses: new AddressCache() }, { token: 'usdt' })) batches.push([...batch]);
  } catch (error) {
    return { batches, error };
  }
  return { batches, error: undefined };
}

describe('TronGrid pages read a chunk at a time (readBatches, what ingest takes)', () => {
  it('gives the items that read gives, in order, one batch per 64 KiB chunk that ends an item', async () => {
    const path = join(tempDir(), 'pages.json');
    await writeTronGridPages(path, 5_000, 7, 300);
    const one = await readAll(trongridAdapter, path, { token: 'usdt' });
    const { batches, error } = await readBatchesOf(path);
    expect(error).toBeUndefined();
    expect(one).toHaveLength(5_000);
    expect(batches.flat()).toEqual(one);
    // Each item is one line of the file: the chunk holding its last character is the batch it comes in.
    const text = readFileSync(path, 'latin1');
    const chunksEndingItems = new Set<number>();
    for (let at = text.indexOf('\n{'); at >= 0; at = text.indexOf('\n{', at + 1)) {
      // An item ends with its value: `"value":"…"}`.
      const last = text.indexOf('"}', text.indexOf('"value":"', at)) + 1;
      chunksEndingItems.add(Math.floor(last / 65_536));
    }
    expect(batches).toHaveLength(chunksEndingItems.size);
  });

  it('gives the items before an error answer, then the error, as read does', async () => {
    const path = join(tempDir(), 'error-after-items.json');
    const page = JSON.parse(readFileSync(LEDGER, 'utf8')) as Record<string, { data: unknown[] }>;
    writeFileSync(path, JSON.stringify({ data: page[WATCHED]!.data.slice(0, 3), success: false, error: 'rate limited' }));
    const items: ReadItem[] = [];
    const perItem = await (async () => {
      try {
        for await (const item of trongridAdapter.read({ path, addresses: new AddressCache() }, { token: 'usdt' })) items.push(item);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    const { batches, error } = await readBatchesOf(path);
    expect(kinds(items)).toEqual({ transfer: 2, skipped: 1 });
    expect(batches).toEqual([items]);
    expect((perItem as Error).message).toBe('TronGrid answered with an error: "rate limited"');
    expect((error as Error).message).toBe('TronGrid answered with an error: "rate limited"');
  });
});
