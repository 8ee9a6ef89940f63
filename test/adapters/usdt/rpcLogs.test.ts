import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { readBlockTimes, rpcLogsAdapter } from '../../../adapters/usdt/rpcLogs.js';
import { detectUsdtFormat } from '../../../adapters/usdt/index.js';
import { decodeHead, readHeadBytes } from '../../../adapters/common/text.js';
import type { TransferRecord } from '../../../src/model/types.js';
import { fixture, tempDir } from '../../support/cli.js';
import { kinds, readAll, transfersOf } from '../../support/adapters.js';
import { ingestIntoNewCase } from '../../support/usdtCase.js';

// Checksummed addresses: test/fixtures/hoptrace-made/keccak.py. References: ethers' Interface.parseLog on the same logs (the adapter decodes by hand), and the
// transfers ethereum-etl itself expects from these blocks (expected_token_transfers.json).
const ETL = (name: string): string => fixture('ethereum-etl-rpc-fixtures', 'mainnet_blocks_17173049_17173050', name);
const ETL_LOGS = ETL('expected_logs.json');
const ETL_BLOCKS = ETL('expected_blocks.json');
const RPC_RESPONSE = fixture('ethereum-etl-rpc-fixtures', 'derived', 'usdt_transfer_logs_blocks_17173049_17173050.eth_getLogs.json');
const SINGLE_LOG = fixture('ethereum-etl-rpc-fixtures', 'derived', 'usdt_single_log_evm-rpc-canister.eth_getLogs.json');
const FILTER_LOGS = fixture('ethereum-etl-rpc-fixtures', 'export_token_transfers_block_483920', 'web3_response.eth_getFilterLogs_0x0.json');
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

const erc20 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 value)']);

interface EtlLog {
  log_index: number;
  transaction_hash: string;
  address: string;
  data: string;
  topics: string[];
  block_number: number;
  block_timestamp: number;
}
interface EtlTransfer {
  token_address: string;
  from_address: string;
  to_address: string;
  value: number | string;
  transaction_hash: string;
  log_index: number;
  block_number: number;
  block_timestamp: number;
}

const jsonLines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

/** What ethers makes of a log: the reference decode. */
function ethersDecode(log: EtlLog): { from: string; to: string; amount: bigint } | undefined {
  const parsed = erc20.parseLog({ topics: log.topics, data: log.data });
  if (!parsed || log.topics.length !== 3) return undefined;
  return { from: parsed.args[0] as string, to: parsed.args[1] as string, amount: parsed.args[2] as bigint };
}

const key = (hash: string, logIndex: number | undefined): string => `${hash}:${logIndex}`;

describe('eth_getLogs in ethereum-etl JSON Lines (681 logs of mainnet blocks 17173049–17173050)', () => {
  const logs = jsonLines<EtlLog>(ETL_LOGS);
  // ethereum-etl writes `value` as a JSON number; values past 2^53 need the exact digits.
  const etlTransfers = readFileSync(ETL('expected_token_transfers.json'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line.replace(/"value": (\d+)/, '"value": "$1"')) as EtlTransfer);

  it('keeps the 41 USDT Transfer logs and decodes each exactly as ethers does', async () => {
    const items = await readAll(rpcLogsAdapter, ETL_LOGS, { token: 'usdt' });
    expect(kinds(items)).toEqual({ transfer: 41, skipped: 640 });
    const byLog = new Map(transfersOf(items).map((t) => [key(t.ref, t.logIndex), t]));
    let compared = 0;
    for (const log of logs) {
      if (log.address !== USDT.toLowerCase()) continue;
      const reference = ethersDecode(log);
      if (!reference) continue;
      const ours = byLog.get(key(log.transaction_hash, log.log_index));
      expect(ours, key(log.transaction_hash, log.log_index)).toMatchObject({
        from: { rail: 'ethereum', ident: reference.from },
        to: { rail: 'ethereum', ident: reference.to },
        amount: reference.amount,
        block: log.block_number,
        time: log.block_timestamp * 1000,
        asset: 'USDT',
        decimals: 6,
      });
      compared++;
    }
    expect(compared).toBe(41);
  });

  it("agrees with ethereum-etl's own 41 USDT transfers, summing 1,088,121.577531 USDT", async () => {
    const { info, db } = await ingestIntoNewCase([ETL_LOGS]);
    const expected = etlTransfers.filter((t) => t.token_address === USDT.toLowerCase());
    expect(expected).toHaveLength(41);
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: 'USDT', count: 41, amount: '1088121.577531' }]);
    const stored = db
      .prepare(
        `SELECT t.ref, t.log_index, lower(f.ident) AS from_ident, lower(r.ident) AS to_ident, t.amount FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY t.block, t.log_index`,
      )
      .all();
    expect(stored).toEqual(
      expected.map((t) => ({
        ref: t.transaction_hash,
        log_index: BigInt(t.log_index),
        from_ident: t.from_address,
        to_ident: t.to_address,
        amount: BigInt(t.value),
      })),
    );
  });

  it('--token all: the 282 ERC-20 Transfer logs of 71 tokens, each as ethereum-etl has it; the 9 ERC-721 ones skipped', async () => {
    const items = await readAll(rpcLogsAdapter, ETL_LOGS, { token: 'all' });
    const transfers = transfersOf(items);
    expect(transfers).toHaveLength(282);
    expect(items.filter((item) => item.kind === 'skipped' && item.reason.includes('ERC-721'))).toHaveLength(9);
    const etlByLog = new Map(etlTransfers.map((t) => [key(t.transaction_hash, t.log_index), t]));
    for (const t of transfers) {
      const etl = etlByLog.get(key(t.ref, t.logIndex));
      expect(etl, key(t.ref, t.logIndex)).toBeDefined();
      expect([t.token?.toLowerCase(), t.from.ident.toLowerCase(), t.to.ident.toLowerCase(), t.amount]).toEqual([
        etl!.token_address,
        etl!.from_address,
        etl!.to_address,
        BigInt(etl!.value),
      ]);
    }
    expect(new Set(transfers.map((t) => t.token)).size).toBe(71);
    // Logs carry no decimals: other tokens stay in base units.
    expect(transfers.find((t) => t.asset !== 'USDT')).toMatchObject({ decimals: 0 });
  });
});

describe('eth_getLogs JSON-RPC responses', () => {
  it('reads the same 41 transfers from a JSON-RPC response, with block times from --blocks, as sightings of the JSON Lines ones', async () => {
    const times = await readBlockTimes(ETL_BLOCKS);
    expect([...times]).toEqual([
      [17173049, 1683029999],
      [17173050, 1683030011],
    ]);
    const items = await readAll(rpcLogsAdapter, RPC_RESPONSE, { token: 'usdt', blockTimes: times });
    const transfers = transfersOf(items);
    expect(transfers).toHaveLength(41);
    const lines = readFileSync(RPC_RESPONSE, 'utf8').split('\n');
    // Each log's line is the line of its opening brace.
    for (const t of transfers) expect(lines[t.line - 1]).toBe('    {');
    expect(transfers[0]).toMatchObject({
      line: 5,
      ref: '0xd4afff4fe5b2a36d608d49a76878360c49f2fdc07793415b29ab61202d30080e',
      logIndex: 49,
      amount: 30_000000n,
      time: 1683029999000,
    });

    const { info } = await ingestIntoNewCase([ETL_LOGS, RPC_RESPONSE], { blocks: ETL_BLOCKS });
    expect(info.transfers).toBe(41);
    expect(info.sources.map((s) => [s.rows, s.duplicates])).toEqual([
      [41, 0],
      [0, 41],
    ]);
  });

  it('without block times, a log is rejected with a reason that says what to give', async () => {
    const items = await readAll(rpcLogsAdapter, SINGLE_LOG, { token: 'usdt' });
    expect(items).toEqual([
      {
        kind: 'reject',
        line: 1,
        reason: 'no timestamp for block 18728830 — give block times with --blocks FILE (JSON {"block": unixSeconds}, or eth_getBlockByNumber results)',
      },
    ]);
    const dir = tempDir();
    const blocks = join(dir, 'blocks.json');
    writeFileSync(blocks, '{"18728830": 1702056359}');
    const [transfer] = transfersOf(await readAll(rpcLogsAdapter, SINGLE_LOG, { token: 'usdt', blockTimes: await readBlockTimes(blocks) }));
    expect(transfer).toMatchObject({
      amount: 1000_105011n,
      from: { rail: 'ethereum', ident: '0xA9D1e08C7793af67e9d92fe308d5697FB81d3E43' },
      to: { rail: 'ethereum', ident: '0x78CCCFB3D517CD4Ed6D045E263e134712288aCE2' },
      ref: '0xf3ed91a03ddf964281ac7a24351573efd535b80fc460a5c2ad2b9d23153ec678',
      block: 18728830,
      logIndex: 232,
      time: 1702056359000,
    } satisfies Partial<TransferRecord>);
  });

  it('eth_getFilterLogs of block 483920: 2 transfers of another token, skipped by default, kept in base units with --token all', async () => {
    const items = await readAll(rpcLogsAdapter, FILTER_LOGS, { token: 'usdt' });
    expect(kinds(items)).toEqual({ skipped: 2 });
    const times = new Map([[483920, 1446561880]]);
    const all = transfersOf(await readAll(rpcLogsAdapter, FILTER_LOGS, { token: 'all', blockTimes: times }));
    // expected_token_transfers.csv of the same ethereum-etl test
    const expected = readFileSync(fixture('ethereum-etl-rpc-fixtures', 'export_token_transfers_block_483920', 'expected_token_transfers.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(
      all.map((t) => [
        t.token!.toLowerCase(),
        t.from.ident.toLowerCase(),
        t.to.ident.toLowerCase(),
        String(t.amount),
        t.ref,
        String(t.logIndex),
        String(t.block),
      ]),
    ).toEqual(expected);
    expect(all.map((t) => [t.asset, t.decimals])).toEqual([
      ['TOKEN:0xf4eCEd2f682CE333f96f2D8966C613DeD8fC95DD', 0],
      ['TOKEN:0xf4eCEd2f682CE333f96f2D8966C613DeD8fC95DD', 0],
    ]);
  });

  it('is detected from the log shape in all three wrappings', async () => {
    for (const path of [ETL_LOGS, RPC_RESPONSE, SINGLE_LOG, FILTER_LOGS]) {
      expect(detectUsdtFormat(decodeHead(await readHeadBytes(path))), path).toBe('rpc-logs');
    }
  });

  it('keeps two identical transfers of one transaction apart (different log indexes), and stores them once per sighting', async () => {
    const response = JSON.parse(readFileSync(SINGLE_LOG, 'utf8')) as { result: Record<string, unknown>[] };
    const log = { ...response.result[0]!, blockTimestamp: '0x65735b27' };
    const dir = tempDir();
    const path = join(dir, 'batch-payout.json');
    writeFileSync(path, JSON.stringify([log, { ...log, logIndex: '0xe9' }], null, 1));
    const transfers = transfersOf(await readAll(rpcLogsAdapter, path, { token: 'usdt' }));
    expect(transfers.map((t) => t.logIndex)).toEqual([232, 233]);
    expect(transfers[0]!.seq).not.toBe(transfers[1]!.seq);
    const copy = join(dir, 'same-logs-again.json');
    writeFileSync(copy, JSON.stringify([log, { ...log, logIndex: '0xe9' }]));
    const { info } = await ingestIntoNewCase([path, copy]);
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: 'USDT', count: 2, amount: '2000.210022' }]);
    expect(info.sources.map((s) => [s.rows, s.duplicates])).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });
});
