import { describe, expect, it } from 'vitest';
import { tronscanAdapter } from '../../../adapters/usdt/tronscan.js';
import { detectUsdtFormat } from '../../../adapters/usdt/index.js';
import { decodeHead, readHeadBytes } from '../../../adapters/common/text.js';
import { fixture } from '../../support/cli.js';
import { kinds, readAll, transfersOf } from '../../support/adapters.js';
import { assetTotal, ingestIntoNewCase } from '../../support/usdtCase.js';

// Expected figures: python3 csv/json over the fixture files (distinct transfers keyed by
// tx_id, from, to, quant; base58check verified with test/fixtures/hoptrace-made/keccak.py).
const PART1 = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv');
const PART2 = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part2.csv');
const PAGE = fixture('hoptrace-made', 'tronscan-page.json');
const PAGES = fixture('hoptrace-made', 'tronscan-pages.json');
const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const REPAIRED = 'header repaired: "result0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17" read as "result" (a pandas index row glued onto the header upstream)';

const tron = (ident: string) => ({ rail: 'tron', ident });

describe('TronScan token_trc20/transfers CSV (the 10,827-row NBCTF sample, damaged header)', () => {
  it('part 1: 5,413 rows, 5,379 USDT, 34 other tokens skipped, a note about the repaired header', async () => {
    const items = await readAll(tronscanAdapter, PART1, { token: 'usdt' });
    expect(items[0]).toEqual({ kind: 'note', message: REPAIRED });
    expect(kinds(items)).toMatchObject({ note: 1, transfer: 5379, skipped: 34 });
    const transfers = transfersOf(items);
    expect(transfers[0]).toMatchObject({
      rail: 'tron',
      asset: 'USDT',
      token: USDT,
      decimals: 6,
      amount: 65_290000n,
      from: tron('TS2oMCWeBsYmMFWsXFx5u7M96KDF8BZDyG'),
      to: tron('TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m'),
      time: 1650176103000,
      ref: '99e53c29e7c429aaf5150dc5586f5d3cd143c111c62f5b5deebd000aedacb842',
      line: 2,
    });
    expect(transfers.at(-1)).toMatchObject({
      amount: 305_000000n,
      from: tron('TNXoiAJ3dct8Fjg4M9fkLFh9S2v9TXc32G'),
      to: tron('TQimtt6MmASiLDEsKsfDDaDq5CFRE2BY1F'),
      time: 1636650591000,
      ref: '08ab8e50f9a8647504b8865a193e70ed7716973fe623d4c4ab729378ef402556',
      line: 5414,
    });
    // from_tag / to_tag are TronScan's exchange labels: tags of origin TronScan.
    expect(items.find((item) => item.kind === 'tag')).toEqual({
      kind: 'tag',
      record: { account: tron('TS2oMCWeBsYmMFWsXFx5u7M96KDF8BZDyG'), category: 'exchange', label: 'LBank', origin: 'TronScan', confidence: 50, line: 2 },
    });
  });

  it('both parts: 10,747 USDT rows are 10,525 distinct transfers, 66,554,716.729485 USDT, 32 exchange tags', async () => {
    const { db, info } = await ingestIntoNewCase([PART1, PART2]);
    expect(info.transfers).toBe(10525);
    expect(info.byAsset).toEqual([{ rail: 'tron', asset: 'USDT', count: 10525, amount: '66554716.729485' }]);
    expect(info.tags).toBe(32);
    expect(info.sources.map((s) => ({ rows: s.rows, duplicates: s.duplicates, skipped: s.skipped, rejected: s.rejected, notes: s.notes }))).toEqual([
      { rows: 5373, duplicates: 6, skipped: 34, rejected: 0, notes: [REPAIRED] },
      { rows: 5152, duplicates: 216, skipped: 46, rejected: 0, notes: [REPAIRED] },
    ]);
    // Part 2's last USDT row (line 5415): 999 USDT from a wallet to Binance-Hot 1's neighbour.
    const last = db
      .prepare(
        `SELECT t.amount, f.ident AS from_ident, r.ident AS to_ident, t.time, t.line FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id WHERE t.ref = ?`,
      )
      .get('49f9dcebbc2d846dba5e97dad503164c4518aaa63cb900637ab0ff150e6aebf6');
    expect(last).toEqual({
      amount: 999_000000n,
      from_ident: 'TAUN6FwrnwwmaEqYcckffC7wYmbaS6cBiX',
      to_ident: 'TXRBsytHfJDoAKRdcedgLsoHudh1xJGUdC',
      time: 1628012874000n,
      line: 5415n,
    });
    const labels = db.prepare("SELECT label FROM tags WHERE origin = 'TronScan' AND category = 'exchange' ORDER BY label").pluck().all();
    expect(labels).toHaveLength(32);
    expect(labels.slice(0, 4)).toEqual(['AscendEX (Bitmax)', 'BHEX', 'Binance 2', 'Binance-Hot 1']);
  });

  it('--token all keeps all 10,605 distinct transfers of 33 tokens, 18-decimal airdrop amounts exact', async () => {
    const { info } = await ingestIntoNewCase([PART1, PART2], { token: 'all' });
    expect(info.transfers).toBe(10605);
    expect(info.byAsset).toHaveLength(33);
    expect(assetTotal(info, 'tron', 'USDT')).toEqual({ count: 10525, amount: '66554716.729485' });
    // 3,999,994.664 "AGhaxi.com" tokens in base units (3.99e24) do not fit SQLite's 64-bit integers.
    expect(assetTotal(info, 'tron', 'AGhaxi.com:TJ7C9ajLYi5TD6zcuHWxGsLXLHfEpQV1m4')).toEqual({ count: 8, amount: '3999994.664000000000000000' });
    expect(assetTotal(info, 'tron', 'HAXI9.com:TPy8v4JkfMfoARycAJm7T1UJNbyJrVTqXh')).toEqual({ count: 8, amount: '3810007.104000' });
  });

  it('is detected from its header', async () => {
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(PART1)))).toBe('tronscan');
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(PAGE)))).toBe('tronscan');
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(PAGES)))).toBe('tronscan');
  });
});

describe('TronScan JSON pages ({"token_transfers": […]}, made from real rows)', () => {
  it('reads one page: 5 USDT transfers with the line each record starts on, tags from the tag objects', async () => {
    const items = await readAll(tronscanAdapter, PAGE, { token: 'usdt' });
    expect(kinds(items)).toEqual({ transfer: 5, tag: 3 });
    const transfers = transfersOf(items);
    expect(transfers.map((t) => t.line)).toEqual([6, 38, 70, 99, 131]);
    expect(transfers.map((t) => t.amount)).toEqual([65_290000n, 300_000000n, 300_000000n, 393_000000n, 393_000000n]);
    expect(transfers[4]).toMatchObject({
      from: tron('TRWpS2JarmZShhQLTfHafnzkQdNKUh1ozK'),
      to: tron('TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m'),
      time: 1637772033000,
      ref: 'ad543fbeabe82a67fc651471fa625211ff9136b2c7729006f2fea443820af563',
      asset: 'USDT',
      decimals: 6,
    });
    const tags = items.flatMap((item) => (item.kind === 'tag' ? [[item.record.account.ident, item.record.label, item.record.line]] : []));
    expect(tags).toEqual([
      ['TS2oMCWeBsYmMFWsXFx5u7M96KDF8BZDyG', 'LBank', 6],
      ['TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'Binance-Hot 2', 38],
      ['TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi', 'Binance-Hot 2', 99],
    ]);
  });

  it("reads an array of three wallets' pages: the transfer both wallets list is stored once, the REV row skipped", async () => {
    const items = await readAll(tronscanAdapter, PAGES, { token: 'usdt' });
    expect(kinds(items)).toMatchObject({ transfer: 10, skipped: 1 });
    expect(items.find((item) => item.kind === 'skipped')).toEqual({ kind: 'skipped', line: 262, reason: 'token TD4bVgcwj3FRbmAo283HxNvqZvY7T3uD8k' });
    const { info } = await ingestIntoNewCase([PAGES]);
    expect(info.byAsset).toEqual([{ rail: 'tron', asset: 'USDT', count: 9, amount: '22461.216920' }]);
    expect(info.sources[0]).toMatchObject({ rows: 9, duplicates: 1, skipped: 1, rejected: 0 });
    expect(info.tags).toBe(3);
  });

  it('the JSON page and the CSV flattening of the same rows give the same transfers (stored once)', async () => {
    const { info } = await ingestIntoNewCase([PAGE, PART1]);
    expect(info.sources.map((s) => [s.adapter, s.rows, s.duplicates])).toEqual([
      ['usdt:tronscan', 5, 0],
      ['usdt:tronscan', 5368, 11],
    ]);
    expect(assetTotal(info, 'tron', 'USDT').count).toBe(5373);
  });
});
