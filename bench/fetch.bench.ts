/**
 * Live fetch: `fetchEvmAccounts` against a real local node (ganache, in this process)
 * holding one busy wallet's USDT history, beside a bare baseline in the same run: the same
 * eth_getLogs queries sent with fetch() and decoded by hand, nothing stored. The difference is
 * hoptrace's ethers provider, block-time lookups, seq fingerprints, SQLite writes and checkpoints.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { getAddress } from 'ethers';
import { openCaseDb } from '../src/store/caseStore.js';
import { EvmRpc } from '../src/fetch/evmRpc.js';
import { sqliteFetchCase } from '../src/fetch/fetchCaseSqlite.js';
import { addressTopic, fetchEvmAccounts } from '../src/fetch/evmFetch.js';
import { DEFAULT_RETRY } from '../src/fetch/retry.js';
import { TRANSFER_TOPIC } from '../adapters/usdt/rpcLogs.js';
import { USDT_ETHEREUM } from '../adapters/usdt/tokens.js';
import { startEthNode } from '../test/support/ethNode.js';

const TRANSACTIONS = Number(process.env['FETCH_BENCH_TXS'] ?? 100);
const PER_TX = 200;

const node = await startEthNode(60, 60_000_000);
const hot = getAddress(node.accounts[1]!);
const recipients = node.accounts.slice(2).map((a) => getAddress(a));
const buildStarted = Date.now();
await node.send(node.accounts[0]!, node.token.encodeFunctionData('mint', [hot, 10n ** 15n]));
for (let t = 0; t < TRANSACTIONS; t++) {
  const to = Array.from({ length: PER_TX }, (_, i) => recipients[(t * PER_TX + i) % recipients.length]!);
  const values = Array.from({ length: PER_TX }, (_, i) => BigInt(1_000_000 + t * PER_TX + i));
  await node.send(hot, node.token.encodeFunctionData('batchTransfer', [to, values]));
  if (t % 10 === 0) await node.mineEmpty(20);
}
const last = await node.blockNumber();
const rows = TRANSACTIONS * PER_TX + 1;
console.log(
  `chain: ${rows.toLocaleString('en-US')} transfers of one wallet over ${last} blocks (built in ${((Date.now() - buildStarted) / 1000).toFixed(1)} s)`,
);

async function baseline(): Promise<number> {
  let count = 0;
  for (const topics of [
    [TRANSFER_TOPIC, addressTopic(hot)],
    [TRANSFER_TOPIC, null, addressTopic(hot)],
  ]) {
    for (let from = 0; from <= last; from += 2000) {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_getLogs',
        params: [{ fromBlock: '0x' + from.toString(16), toBlock: '0x' + Math.min(last, from + 1999).toString(16), address: USDT_ETHEREUM, topics }],
      });
      const response = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const logs = ((await response.json()) as { result: { topics: string[]; data: string }[] }).result;
      for (const log of logs) if (BigInt(log.data) >= 0n && log.topics[1]!.length === 66) count++;
    }
  }
  return count;
}

async function hoptrace(concurrency: number): Promise<{ inserted: number; peakRss: number }> {
  const path = join(tmpdir(), `fetch-bench-${process.pid}-${concurrency}.db`);
  rmSync(path, { force: true });
  const db = openCaseDb(path);
  const rpc = await EvmRpc.connect(node.url, DEFAULT_RETRY, 60_000);
  let peakRss = process.memoryUsage().rss;
  const [result] = await fetchEvmAccounts({
    store: sqliteFetchCase(db),
    rpc,
    addresses: [hot],
    token: 'usdt',
    fromBlock: 0,
    toBlock: last,
    concurrency,
    onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
  });
  rpc.destroy();
  db.close();
  rmSync(path, { force: true });
  return { inserted: result!.inserted, peakRss };
}

const perSecond = (n: number, ms: number): string => Math.round((n * 1000) / ms).toLocaleString('en-US');
for (let round = 1; round <= 2; round++) {
  let started = performance.now();
  const bare = await baseline();
  const bareMs = performance.now() - started;
  for (const concurrency of [1, 4]) {
    started = performance.now();
    const { inserted, peakRss } = await hoptrace(concurrency);
    const ms = performance.now() - started;
    if (inserted !== bare) throw new Error(`hoptrace stored ${inserted} transfers, the baseline counted ${bare}`);
    console.log(
      `round ${round}, concurrency ${concurrency}: hoptrace ${perSecond(inserted, ms)} rows/s (${(ms / 1000).toFixed(2)} s), bare eth_getLogs ${perSecond(bare, bareMs)} rows/s (${(bareMs / 1000).toFixed(2)} s), ratio ${(ms / bareMs).toFixed(2)}, peak RSS ${Math.round(peakRss / 1048576)} MB`,
    );
  }
}
await node.close();
