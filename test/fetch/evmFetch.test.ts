import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, ZeroAddress } from 'ethers';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { EvmRpc } from '../../src/fetch/evmRpc.js';
import { sqliteFetchCase } from '../../src/fetch/fetchCaseSqlite.js';
import { evmCheckpointKey, fetchEvmAccounts, type EvmCheckpoint } from '../../src/fetch/evmFetch.js';
import { readCheckpoint } from '../../src/store/fetchState.js';
import type { RetryPolicy } from '../../src/fetch/retry.js';
import { tempDir } from '../support/cli.js';
import { compileTetherLike, startEthNode, type EthNode } from '../support/ethNode.js';
import { buildChainScenario, type ChainScenario } from '../support/chainScenario.js';
import { startRpcProxy, type RpcProxy } from '../support/rpcProxy.js';
import { caseTransfers, chainTransfers } from '../support/chainReference.js';

const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

let node: EthNode;
let scenario: ChainScenario;
let chain: Awaited<ReturnType<typeof chainTransfers>>;
const proxies: RpcProxy[] = [];

beforeAll(async () => {
  node = await startEthNode();
  scenario = await buildChainScenario(node);
  chain = await chainTransfers(node);
}, 120_000);

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await node?.close();
});

async function proxy(behaviour: Parameters<typeof startRpcProxy>[1]): Promise<RpcProxy> {
  const started = await startRpcProxy(node.url, behaviour);
  proxies.push(started);
  return started;
}

function newCase(): Db {
  return openCaseDb(join(tempDir(), 'case.db'));
}

const involving = (address: string, toBlock = Number.MAX_SAFE_INTEGER): string[] =>
  chain
    .filter((t) => (t.from === address || t.to === address) && t.block <= toBlock)
    .map((t) => t.key)
    .sort();

const count = (db: Db, sql: string, ...params: unknown[]): number =>
  Number(
    db
      .prepare(sql)
      .pluck()
      .get(...params),
  );

describe('fetch evm against a real local node', () => {
  it('the scenario is what the tests need: over 1,000 transfers across hundreds of blocks', () => {
    expect(chain.length).toBe(scenario.transfers);
    expect(chain.length).toBe(1172);
    expect(new Set(chain.map((t) => t.block)).size).toBeGreaterThan(80);
    expect(scenario.lastBlock).toBe(578);
  });

  it('fetching every address stores exactly the transfers on chain, through range refusals and 429s', async () => {
    const front = await proxy({ maxRange: 64, tooManyEvery: 9 });
    const rpc = await EvmRpc.connect(front.url, FAST_RETRY, 10_000);
    const db = newCase();
    // Every address on chain, the zero address (the sender of mints) included.
    const all = [...new Set(chain.flatMap((t) => [t.from, t.to]))].sort();
    const results = await fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc,
      addresses: all,
      token: 'usdt',
      fromBlock: 0,
      toBlock: scenario.lastBlock,
      concurrency: 4,
      initialSpan: 2000,
    });
    rpc.destroy();

    expect(caseTransfers(db)).toEqual(chain.map((t) => t.key).sort());
    // Each transfer is stored once and seen again from its other end (a wallet paying itself, 27
    // times in the noise, is in both its "sent" and "received" answers): one sighting each.
    expect(all).toContain(ZeroAddress);
    expect(chain.filter((t) => t.from === t.to)).toHaveLength(27);
    expect(count(db, 'SELECT COUNT(*) FROM sightings')).toBe(chain.length);
    expect(front.counts.refused).toBeGreaterThan(0);
    expect(front.counts.tooMany).toBeGreaterThan(0);
    expect(results.reduce((sum, r) => sum + r.refusals, 0)).toBeGreaterThan(0);
    expect(results.every((r) => r.blocksScanned === scenario.lastBlock + 1 && r.blocksAlreadyFetched === 0)).toBe(true);
    // Block times come from the node, fetched once per block and kept in the case file.
    const times = db.prepare("SELECT block, time FROM block_times WHERE rail = 'ethereum' ORDER BY block").all() as { block: bigint; time: bigint }[];
    expect(times.length).toBe(new Set(chain.map((t) => t.block)).size);
    for (const { block, time } of times.slice(0, 5)) {
      const answer = (await node.request('eth_getBlockByNumber', ['0x' + Number(block).toString(16), false])) as { timestamp: string };
      expect(Number(time)).toBe(Number(BigInt(answer.timestamp)));
    }
    expect(count(db, 'SELECT COUNT(*) FROM transfers t JOIN block_times b ON b.block = t.block AND t.time = b.time * 1000')).toBe(chain.length);
    // Provenance: each stored response is a source with the endpoint, the request and its SHA-256.
    const sources = db.prepare("SELECT path, sha256, size, adapter, options FROM sources WHERE adapter = 'fetch:evm'").all() as {
      path: string;
      sha256: string;
      size: bigint;
      adapter: string;
      options: string;
    }[];
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.path).toBe(front.url + '/');
      expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(source.size)).toBeGreaterThan(0);
      const request = JSON.parse(source.options) as { method: string; chainId: number; fromBlock: number; toBlock: number };
      expect(request).toMatchObject({ method: 'eth_getLogs', chainId: 1337 });
      expect(request.toBlock - request.fromBlock + 1).toBeLessThanOrEqual(64);
    }
    db.close();
  }, 120_000);

  it('an interrupted fetch resumes where its checkpoint says, with nothing lost or doubled', async () => {
    const db = newCase();
    const address = scenario.exchange;
    const failing = await proxy({ maxRange: 50, failAfterLogs: 9 });
    const rpc = await EvmRpc.connect(failing.url, { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, 10_000);
    await expect(
      fetchEvmAccounts({
        store: sqliteFetchCase(db),
        rpc,
        addresses: [address],
        token: 'usdt',
        fromBlock: 0,
        toBlock: scenario.lastBlock,
        concurrency: 1,
        initialSpan: 40,
      }),
    ).rejects.toThrow(/HTTP 503/);
    rpc.destroy();
    const key = evmCheckpointKey(1337, 'usdt', address);
    const checkpoint = readCheckpoint<EvmCheckpoint>(db, key)!;
    expect(checkpoint.scanned).toHaveLength(1);
    const [first, reached] = checkpoint.scanned[0]!;
    expect(first).toBe(0);
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(scenario.lastBlock);
    // Exactly what lies in the checkpointed blocks is stored: nothing of the failed range.
    expect(caseTransfers(db)).toEqual(involving(address, reached));
    expect(involving(address, reached).length).toBeGreaterThan(0);

    const healthy = await proxy({ maxRange: 50 });
    const again = await EvmRpc.connect(healthy.url, FAST_RETRY, 10_000);
    const [resumed] = await fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc: again,
      addresses: [address],
      token: 'usdt',
      fromBlock: 0,
      toBlock: scenario.lastBlock,
      concurrency: 3,
      initialSpan: 40,
    });
    expect(resumed!.blocksAlreadyFetched).toBe(reached + 1);
    expect(resumed!.blocksScanned).toBe(scenario.lastBlock - reached);
    expect(caseTransfers(db)).toEqual(involving(address));
    expect(caseTransfers(db).length).toBe(count(db, 'SELECT COUNT(*) FROM transfers'));
    expect(count(db, 'SELECT COUNT(*) FROM sightings')).toBe(0);
    expect(readCheckpoint<EvmCheckpoint>(db, key)!.scanned).toEqual([[0, scenario.lastBlock]]);

    // A third run has nothing left to fetch and asks the node for no logs.
    const before = healthy.counts.getLogs;
    const [third] = await fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc: again,
      addresses: [address],
      token: 'usdt',
      fromBlock: 0,
      toBlock: scenario.lastBlock,
      concurrency: 3,
    });
    expect(third).toMatchObject({ blocksScanned: 0, blocksAlreadyFetched: scenario.lastBlock + 1, queries: 0, inserted: 0 });
    expect(healthy.counts.getLogs).toBe(before);
    again.destroy();
    db.close();
  }, 120_000);

  it('a node that refuses even one block stops the fetch with a clear error', async () => {
    const db = newCase();
    const refusing = await proxy({ maxRange: 0 });
    const rpc = await EvmRpc.connect(refusing.url, FAST_RETRY, 10_000);
    await expect(
      fetchEvmAccounts({ store: sqliteFetchCase(db), rpc, addresses: [scenario.victim], token: 'usdt', fromBlock: 0, toBlock: 7, concurrency: 1 }),
    ).rejects.toThrow('the node refuses eth_getLogs even for the single block 0: query exceeds max block range 0');
    rpc.destroy();
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    db.close();
  });

  it('a request that times out is retried, and the fetch completes', async () => {
    // Stalled answers take 6 s against a 1.5 s timeout: far enough apart that a loaded machine
    // (a 2-core CI runner) neither answers a stalled request in time nor times out a normal one.
    const stalling = await proxy({ delayMs: 6000, stallFirst: 3 });
    const db = newCase();
    const retries: string[] = [];
    const rpc = await EvmRpc.connect(stalling.url, { ...FAST_RETRY, onRetry: (_attempt, _delay, error) => retries.push((error as Error).name) }, 1500);
    const [result] = await fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc,
      addresses: [scenario.victim],
      token: 'usdt',
      fromBlock: 0,
      toBlock: scenario.lastBlock,
      concurrency: 1,
    });
    rpc.destroy();
    expect(retries).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError']);
    expect(result!.inserted).toBe(involving(scenario.victim).length);
    expect(caseTransfers(db)).toEqual(involving(scenario.victim));
    db.close();
  });

  it('a damaged log in an answer fails the fetch naming the answer and the item; nothing of that range is stored', async () => {
    const damaging = await proxy({ corruptLogs: true });
    const db = newCase();
    const rpc = await EvmRpc.connect(damaging.url, FAST_RETRY, 10_000);
    const failure = fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc,
      addresses: [scenario.victim],
      token: 'usdt',
      fromBlock: 0,
      toBlock: scenario.lastBlock,
      concurrency: 1,
    });
    await expect(failure).rejects.toThrow(`item 1: data "0x12" is not one uint256`);
    await expect(failure).rejects.toMatchObject({ file: damaging.url + '/' });
    rpc.destroy();
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM fetch_checkpoints')).toBe(0);
    db.close();
  });

  it('another token: decimals and symbol read from the contract, and a token calling itself USDT is not USDT', async () => {
    // The same contract code at a second address: it claims symbol USDT, so it must be kept apart.
    const fake = '0x00000000000000000000000000000000DeaDBeef';
    const { runtime } = compileTetherLike();
    await node.request('evm_setAccountCode', [fake, runtime]);
    const first = (await node.blockNumber()) + 1;
    const send = async (data: string): Promise<void> => {
      const hash = (await node.request('eth_sendTransaction', [{ from: node.accounts[0], to: fake, data, gas: '0x989680' }])) as string;
      expect(((await node.request('eth_getTransactionReceipt', [hash])) as { status: string }).status).toBe('0x1');
    };
    await send(node.token.encodeFunctionData('mint', [scenario.victim, 5_000_000n]));
    await send(node.token.encodeFunctionData('mint', [scenario.victim, 1_250_000n]));
    const last = await node.blockNumber();
    const db = newCase();
    const rpc = await EvmRpc.connect(node.url, FAST_RETRY, 10_000);
    const [result] = await fetchEvmAccounts({
      store: sqliteFetchCase(db),
      rpc,
      addresses: [scenario.victim],
      token: { rail: 'ethereum', contract: getAddress(fake) },
      fromBlock: first,
      toBlock: last,
      concurrency: 1,
    });
    rpc.destroy();
    expect(result!.inserted).toBe(2);
    expect(db.prepare('SELECT asset, decimals, amount, token FROM transfers ORDER BY amount').all()).toEqual([
      { asset: `TOKEN:${getAddress(fake)}`, decimals: 6n, amount: 1_250_000n, token: getAddress(fake) },
      { asset: `TOKEN:${getAddress(fake)}`, decimals: 6n, amount: 5_000_000n, token: getAddress(fake) },
    ]);
    db.close();
  });
});
