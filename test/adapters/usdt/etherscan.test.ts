import { describe, expect, it } from 'vitest';
import { etherscanAdapter } from '../../../adapters/usdt/etherscan.js';
import { detectUsdtFormat } from '../../../adapters/usdt/index.js';
import { decodeHead, readHeadBytes } from '../../../adapters/common/text.js';
import { fixture } from '../../support/cli.js';
import { kinds, readAll, transfersOf } from '../../support/adapters.js';
import { ingestUsdtFiles } from '../../../src/ingest/ingestUsdt.js';
import { assetTotal, ingestIntoNewCase } from '../../support/usdtCase.js';

// Expected figures come from python3 over the CSV files (csv module, Decimal for values) and from
// test/fixtures/hoptrace-made/keccak.py for EIP-55 checksums, never from hoptrace itself.
const ADDRESS_PAGE = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
const SMALL_CRLF = fixture('etherscan-exports-privatefolio', '0xf98', 'etherscan-erc20.csv');
const made = (name: string): string => fixture('hoptrace-made', name);

const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const DAI = '0x6B175474E89094C44Da98b954EedeAC495271d0F';
const WATCHED = '0x003dC32fE920a4aAeeD12dC87E145F030aa753f3';
const BINANCE_14 = '0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE';

// Lines 341 and 342 of the 0x003dc export: 1,000 USDT in from Binance, 1,000 USDT out 12 minutes later.
const USDT_IN = {
  rail: 'ethereum',
  asset: 'USDT',
  token: USDT,
  decimals: 6,
  amount: 1_000_000_000n,
  from: { rail: 'ethereum', ident: BINANCE_14 },
  to: { rail: 'ethereum', ident: WATCHED },
  time: 1609167660000,
  ref: '0x3f1bb2bb9f194d0dd8391905d432dde64ba94ae6e30a56fe7e420527225ad492',
  block: 11543133,
};
const USDT_OUT = {
  ...USDT_IN,
  from: { rail: 'ethereum', ident: WATCHED },
  to: { rail: 'ethereum', ident: '0x06da0fd433C1A5d7a4faa01111c044910A184553' },
  time: 1609168415000,
  ref: '0xbc8a0458bf91ae96ca99580aafa952838450d85696bb43fd36d1b38628b0135c',
  block: 11543185,
};

describe('Etherscan address-page export (privatefolio 0x003dc: 428 token rows, 2 of them USDT)', () => {
  it('keeps the 2 USDT transfers to the minor unit and counts the 426 other-token rows as skipped', async () => {
    const items = await readAll(etherscanAdapter, ADDRESS_PAGE, { token: 'usdt' });
    expect(kinds(items)).toEqual({ transfer: 2, skipped: 426 });
    const [first, second] = transfersOf(items);
    expect(first).toMatchObject({ ...USDT_IN, line: 341 });
    expect(second).toMatchObject({ ...USDT_OUT, line: 342 });
    expect(first!.seq).not.toBe(second!.seq);
    const skipped = items.filter((item) => item.kind === 'skipped');
    expect(skipped[0]).toEqual({ kind: 'skipped', line: 2, reason: 'token 0x519475b31653E46D20cD09F9FdcF3B12BDAcB4f5' });
  });

  it('reads the CRLF export of 0xf98: 8 token rows, none of them USDT', async () => {
    const items = await readAll(etherscanAdapter, SMALL_CRLF, { token: 'usdt' });
    expect(kinds(items)).toEqual({ skipped: 8 });
    expect(items.map((item) => (item.kind === 'skipped' ? item.line : 0))).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('--token all keeps all 428 rows, one asset per contract, other tokens at 18 decimals', async () => {
    const items = await readAll(etherscanAdapter, ADDRESS_PAGE, { token: 'all' });
    const transfers = transfersOf(items);
    expect(transfers).toHaveLength(428);
    expect(transfers[0]).toMatchObject({
      asset: 'VIU:0x519475b31653E46D20cD09F9FdcF3B12BDAcB4f5',
      decimals: 18,
      amount: 9_041312760000000000n,
      from: { rail: 'ethereum', ident: '0xAE2B80F7F4D285Caa658a285233550D19C8e7847' },
      to: { rail: 'ethereum', ident: WATCHED },
      time: 1511302899000,
      ref: '0x159bee633df089f99c55d7ebd0608655c613e3459b823db030a32abbc2b24b50',
      line: 2,
    });
    expect(transfers[427]).toMatchObject({
      asset: 'yvYFI:0xdb25cA703181E7484a155DD612b06f57E12Be5F0',
      amount: 1196905052533791n,
      from: { rail: 'ethereum', ident: '0xc2C171bD6FC3B5885b589ed8b4d135F31085e973' },
      time: 1663701899000,
      ref: '0xd5c5e34d06b4bc5f39a4d86b30196ad2d17fad786138d4056ea102dfd17769b2',
      line: 429,
    });

    const { info } = await ingestIntoNewCase([ADDRESS_PAGE], { token: 'all' });
    expect(info.transfers).toBe(428);
    expect(info.byAsset).toHaveLength(69);
    expect(assetTotal(info, 'ethereum', `DAI:${DAI}`)).toEqual({ count: 77, amount: '73735.252724122860119586' });
    expect(assetTotal(info, 'ethereum', 'USDC:0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48')).toEqual({ count: 21, amount: '47757.695836000000000000' });
    expect(assetTotal(info, 'ethereum', 'WETH:0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2')).toEqual({ count: 50, amount: '183.059338956482074756' });
    expect(assetTotal(info, 'ethereum', 'USDT')).toEqual({ count: 2, amount: '2000.000000' });
  });

  it('--token ADDR keeps that one token (lower-case input accepted)', async () => {
    const { db, info } = await ingestIntoNewCase([ADDRESS_PAGE], { token: DAI.toLowerCase() });
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: `DAI:${DAI}`, count: 77, amount: '73735.252724122860119586' }]);
    expect(info.sources[0]).toMatchObject({ rows: 77, skipped: 351, rejected: 0 });
    // The same filter written another way is the same import.
    const [again] = await ingestUsdtFiles(db, [ADDRESS_PAGE], { token: DAI });
    expect(again).toMatchObject({ status: 'already-imported' });
  });
});

describe('Etherscan column sets (hoptrace-made files from the same real rows)', () => {
  it('detects every layout as etherscan', async () => {
    for (const name of [
      'etherscan-transaction-hash-header.csv',
      'etherscan-old-value-header.csv',
      'etherscan-token-page-quantity.csv',
      'etherscan-thousands.csv',
    ]) {
      expect(detectUsdtFormat(decodeHead(await readHeadBytes(made(name)))), name).toBe('etherscan');
    }
    expect(detectUsdtFormat(decodeHead(await readHeadBytes(ADDRESS_PAGE)))).toBe('etherscan');
    // The normal-transaction and internal-transaction exports are not token transfers.
    for (const name of ['etherscan.csv', 'etherscan-internal.csv']) {
      expect(detectUsdtFormat(decodeHead(await readHeadBytes(fixture('etherscan-exports-privatefolio', '0x003dc', name)))), name).toBeUndefined();
    }
  });

  it('reads a "Transaction Hash" header like "Txhash"', async () => {
    const items = await readAll(etherscanAdapter, made('etherscan-transaction-hash-header.csv'), { token: 'usdt' });
    expect(kinds(items)).toEqual({ transfer: 2, skipped: 1 });
    const [first, second] = transfersOf(items);
    expect(first).toMatchObject({ ...USDT_IN, line: 2 });
    expect(second).toMatchObject({ ...USDT_OUT, line: 3 });
  });

  it('reads the old "Value" layout, which has no block column', async () => {
    const transfers = transfersOf(await readAll(etherscanAdapter, made('etherscan-old-value-header.csv'), { token: 'usdt' }));
    const { block: _inBlock, ...withoutBlockIn } = USDT_IN;
    const { block: _outBlock, ...withoutBlockOut } = USDT_OUT;
    expect(transfers).toHaveLength(2);
    expect(transfers[0]).toMatchObject(withoutBlockIn);
    expect(transfers[0]!.block).toBeUndefined();
    expect(transfers[1]).toMatchObject(withoutBlockOut);
  });

  it('reads the token page "Quantity" export (no contract column) as USDT, and says so', async () => {
    const items = await readAll(etherscanAdapter, made('etherscan-token-page-quantity.csv'), { token: 'usdt' });
    expect(items[0]).toEqual({
      kind: 'note',
      message: `no contract column (token page export): every row is taken as USDT ${USDT}; give --token ADDR if the page is another token's`,
    });
    expect(transfersOf(items)).toMatchObject([
      { ...USDT_IN, line: 2 },
      { ...USDT_OUT, line: 3 },
    ]);
  });

  it('takes a token page export as the token --token names', async () => {
    const items = await readAll(etherscanAdapter, made('etherscan-token-page-quantity.csv'), { token: { rail: 'ethereum', contract: DAI } });
    expect(items[0]).toEqual({ kind: 'note', message: `no contract column (token page export): every row is taken as token ${DAI} (--token)` });
    expect(transfersOf(items).map((t) => [t.asset, t.decimals, t.amount])).toEqual([
      [`TOKEN:${DAI}`, 18, 1000n * 10n ** 18n],
      [`TOKEN:${DAI}`, 18, 1000n * 10n ** 18n],
    ]);
  });

  it('reads quoted values with thousands separators exactly', async () => {
    const transfers = transfersOf(await readAll(etherscanAdapter, made('etherscan-thousands.csv'), { token: 'usdt' }));
    expect(transfers.map((t) => [t.line, t.amount])).toEqual([
      [2, 1_000_000_000n],
      [3, 1_000_000_000n],
      [4, 12_500_500_000n],
      [5, 1_234_567_891_011n],
    ]);
  });

  it('stores the same transfer from two exports once, with a sighting of the second', async () => {
    const { db, info } = await ingestIntoNewCase([ADDRESS_PAGE, made('etherscan-transaction-hash-header.csv')]);
    expect(info.transfers).toBe(2);
    expect(info.sources.map((s) => [s.rows, s.duplicates, s.skipped])).toEqual([
      [2, 0, 426],
      [0, 2, 1],
    ]);
    const sightings = db
      .prepare('SELECT t.line AS first_line, s.line AS seen_line FROM sightings s JOIN transfers t ON t.id = s.transfer_id ORDER BY s.line')
      .all();
    expect(sightings).toEqual([
      { first_line: 341n, seen_line: 2n },
      { first_line: 342n, seen_line: 3n },
    ]);
  });
});
