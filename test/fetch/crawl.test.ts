import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { BIN, tempDir } from '../support/cli.js';
import { hoptraceAsync } from '../support/usdtCase.js';
import { startEthNode, type EthNode } from '../support/ethNode.js';
import { buildChainScenario, writeScenarioTags, type ChainScenario } from '../support/chainScenario.js';
import { startRpcProxy, type RpcProxy } from '../support/rpcProxy.js';
import { chainTransfers } from '../support/chainReference.js';

let node: EthNode;
let scenario: ChainScenario;
let chain: Awaited<ReturnType<typeof chainTransfers>>;
let front: RpcProxy;
let tags: string;
const proxies: RpcProxy[] = [];

beforeAll(async () => {
  node = await startEthNode();
  scenario = await buildChainScenario(node);
  chain = await chainTransfers(node);
  front = await startRpcProxy(node.url, { maxRange: 200 });
  proxies.push(front);
  tags = writeScenarioTags(scenario);
}, 120_000);

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await node?.close();
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return hoptraceAsync(args, { env });
}

async function caseWithTags(): Promise<string> {
  const db = join(tempDir(), 'case.db');
  const ingested = await run(['--db', db, 'ingest', 'tags', tags, '--quiet']);
  expect(ingested.status, ingested.stderr).toBe(0);
  return db;
}

/** What a trace found, without the case file's identity (its path and hash differ between cases). */
function findings(result: TraceResult): unknown {
  const { case: _case, sources: _sources, ...rest } = result;
  // The "as of" of a fetched holder's history is when its own scan ended, which differs between a crawl and a full fetch.
  let text = JSON.stringify({
    ...rest,
    held: rest.held.map(({ history: _history, ...held }) => held),
    edges: rest.edges.map(({ transfer: _id, source: _source, ...edge }) => edge),
  });
  // Seeds are keyed by their transfer id, which depends on the order rows were stored.
  for (const seed of rest.seeds) text = text.replaceAll(`"${seed.id}"`, `"${seed.ref}"`);
  return JSON.parse(text) as unknown;
}

const usdt = (whole: string): string => `${whole}.000000`;

function checkpointAccounts(db: string): string[] {
  const handle = new Database(db, { readonly: true });
  try {
    return (handle.prepare('SELECT key FROM fetch_checkpoints ORDER BY key').pluck().all() as string[]).map((key) => key.split('|')[3]!).sort();
  } finally {
    handle.close();
  }
}

describe('trace --fetch evm: crawl while tracing', () => {
  it('reaches the same endpoints as tracing the fully fetched chain, fetching only the accounts the money passed', async () => {
    const crawlDb = await caseWithTags();
    const crawled = await run(['--db', crawlDb, 'trace', scenario.seedTx, '--fetch', 'evm', '--rpc', front.url, '--confirmations', '0', '--json']);
    expect(crawled.status, crawled.stderr).toBe(0);
    const crawl = JSON.parse(crawled.stdout) as TraceResult;

    // The hand-worked FIFO figures (test/support/chainScenario.ts).
    expect(crawl.endpoints.map((e) => [e.ident, e.category, e.amount])).toEqual(
      [
        [scenario.exchange, 'exchange', usdt('6000')],
        [scenario.otc, 'otc', usdt('5000')],
        [scenario.sanctioned, 'sanctioned', usdt('12000')],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(crawl.held.map((h) => [h.ident, h.amount]).sort()).toEqual(
      [
        [scenario.mules[0], usdt('3000')],
        [scenario.mules[1], usdt('4000')],
      ].sort(),
    );
    expect(crawl.totals.conserved).toBe(true);
    // The seed was not in the case: its receipt named the victim, whose history came first; then
    // the four mules, one hop per round. The exchange (an endpoint, 300 transfers) was never fetched.
    expect(checkpointAccounts(crawlDb)).toEqual([scenario.victim, ...scenario.mules].sort());
    expect(crawled.stderr).toContain('hoptrace crawl: round 0: fetching 1 account\n');
    // Progress on stderr: what each fetched account gave.
    const victimLogs = chain.filter((t) => t.from === scenario.victim || t.to === scenario.victim).length;
    expect(crawled.stderr).toMatch(
      new RegExp(
        `\\nhoptrace fetch: ${scenario.victim}: 579 blocks fetched, \\d+ queries, \\d+ refused and split; ${victimLogs} logs: ${victimLogs} new transfers, 0 already in the case\\n`,
      ),
    );
    expect(crawled.stderr).toMatch(/hoptrace crawl: \d+ rounds, 5 accounts fetched\n/);

    const fullDb = await caseWithTags();
    const everyone = [...new Set(chain.flatMap((t) => [t.from, t.to]))];
    const fetched = await run(['--db', fullDb, 'fetch', 'evm', '--rpc', front.url, '--address', ...everyone, '--confirmations', '0', '--quiet']);
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(fetched.stdout.trim().split('\n')).toHaveLength(everyone.length);
    const full = await run(['--db', fullDb, 'trace', scenario.seedTx, '--json']);
    expect(full.status, full.stderr).toBe(0);
    const fullResult = JSON.parse(full.stdout) as TraceResult;
    expect(findings(crawl)).toEqual(findings(fullResult));
    // Both cases fetched the holders' own history (DESIGN rule 10); "as of" is when each scan ended.
    expect([...crawl.held, ...fullResult.held].map((h) => [h.history.class, 'basis' in h.history ? h.history.basis : null])).toEqual(
      [...crawl.held, ...fullResult.held].map(() => ['in-case', 'fetch']),
    );
  }, 120_000);

  it('--max-accounts bounds the crawl and names the accounts it did not fetch', async () => {
    const db = await caseWithTags();
    const crawled = await run([
      '--db',
      db,
      'trace',
      scenario.seedTx,
      '--fetch',
      'evm',
      '--rpc',
      front.url,
      '--confirmations',
      '0',
      '--max-accounts',
      '2',
      '--json',
      '--quiet',
    ]);
    expect(crawled.status, crawled.stderr).toBe(0);
    expect(checkpointAccounts(db)).toEqual([scenario.victim, scenario.mules[0]].sort());
    const [m1, m2, m3] = scenario.mules;
    expect(crawled.stderr).toBe(
      `hoptrace crawl: --max-accounts 2 reached; 2 accounts holding traced money were not fetched, so money may have moved on from them: ${[m2, m3].sort().join(', ')}\n`,
    );
    const result = JSON.parse(crawled.stdout) as TraceResult;
    expect(result.endpoints).toEqual([]);
    expect(result.held.map((h) => [h.ident, h.amount]).sort()).toEqual(
      [
        [m1, usdt('3000')],
        [m2, usdt('15000')],
        [m3, usdt('12000')],
      ].sort(),
    );
  }, 60_000);
});

describe('fetch evm from the command line', () => {
  it('SIGKILL mid-fetch, then a second run: exactly the transfers on chain, none twice', async () => {
    const slow = await startRpcProxy(node.url, { maxRange: 12, delayMs: 15 });
    proxies.push(slow);
    const db = join(tempDir(), 'case.db');
    const address = scenario.exchange;
    const args = ['--db', db, 'fetch', 'evm', '--rpc', slow.url, '--address', address, '--confirmations', '0', '--concurrency', '1', '--quiet'];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, HOPTRACE_STREAM_HEAP_MB: '0' } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it once a few ranges are committed.
    for (let polls = 0; polls < 400; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (progress(db) >= 60) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const reached = progress(db);
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(scenario.lastBlock);
    const expected = (toBlock: number): number => chain.filter((t) => (t.from === address || t.to === address) && t.block <= toBlock).length;
    expect(stored(db)).toEqual({ transfers: expected(reached), sightings: 0 });

    const resumed = await run(args);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(
        `^${address}: ${scenario.lastBlock - reached} blocks fetched \\(${reached + 1} already fetched\\), \\d+ queries, \\d+ refused and split; \\d+ logs: ${expected(scenario.lastBlock) - expected(reached)} new transfers, 0 already in the case\\n$`,
      ),
    );
    expect(stored(db)).toEqual({ transfers: expected(scenario.lastBlock), sightings: 0 });
    expect(expected(scenario.lastBlock)).toBe(chain.filter((t) => t.from === address || t.to === address).length);
  }, 120_000);

  it('credentials in --rpc are sent as HTTP Basic auth and stored nowhere', async () => {
    const guarded = await startRpcProxy(node.url, { authorization: 'Basic ' + Buffer.from('investigator:s3cret-token').toString('base64') });
    proxies.push(guarded);
    const db = join(tempDir(), 'case.db');
    const withSecret = guarded.url.replace('http://', 'http://investigator:s3cret-token@');
    const result = await run(['--db', db, 'fetch', 'evm', '--rpc', withSecret, '--address', scenario.victim, '--confirmations', '0', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(guarded.counts.unauthorised).toBe(0);
    const [summary] = JSON.parse(result.stdout) as { inserted: number }[];
    expect(summary!.inserted).toBe(chain.filter((t) => t.from === scenario.victim || t.to === scenario.victim).length);
    expect(readFileSync(db).includes('s3cret')).toBe(false);
    expect(result.stdout + result.stderr).not.toContain('s3cret');
    const handle = new Database(db, { readonly: true });
    expect(handle.prepare("SELECT DISTINCT path FROM sources WHERE adapter = 'fetch:evm'").pluck().all()).toEqual([guarded.url + '/']);
    handle.close();
  }, 60_000);

  it('a node that is not there: one clear line and exit 1', async () => {
    const port = await closedPort();
    const result = await run([
      '--db',
      join(tempDir(), 'case.db'),
      'fetch',
      'evm',
      '--rpc',
      `http://127.0.0.1:${port}`,
      '--address',
      scenario.victim,
      '--retries',
      '0',
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `hoptrace: cannot reach the JSON-RPC node at http://127.0.0.1:${port}/: fetch failed: connect ECONNREFUSED 127.0.0.1:${port} — check --rpc (http://host:port) and that the node is up\n`,
    );
  });
});

function progress(db: string): number {
  try {
    const handle = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const value = handle.prepare('SELECT value FROM fetch_checkpoints').pluck().get() as string | undefined;
      return value === undefined ? -1 : (JSON.parse(value) as { scanned: [number, number][] }).scanned[0]![1];
    } finally {
      handle.close();
    }
  } catch {
    // Not created yet, or being created.
    return -1;
  }
}

function stored(db: string): { transfers: number; sightings: number } {
  const handle = new Database(db, { readonly: true });
  try {
    return {
      transfers: Number(handle.prepare('SELECT COUNT(*) FROM transfers').pluck().get()),
      sightings: Number(handle.prepare('SELECT COUNT(*) FROM sightings').pluck().get()),
    };
  } finally {
    handle.close();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
