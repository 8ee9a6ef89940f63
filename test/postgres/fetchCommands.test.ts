import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { BIN, tempDir, type CliRun } from '../support/cli.js';
import { dumpPgCase, dumpSqliteCase, type CaseDump } from '../support/caseDump.js';
import { chainTransfers } from '../support/chainReference.js';
import { buildChainScenario, writeScenarioTags, type ChainScenario } from '../support/chainScenario.js';
import { startEthNode, type EthNode } from '../support/ethNode.js';
import { usePgCluster } from '../support/postgres.js';
import { startRpcProxy, type RpcProxy } from '../support/rpcProxy.js';
import { recordedTransfers, startTronReplay, type TronReplay } from '../support/tronReplay.js';
import { hoptraceAsync } from '../support/usdtCase.js';

// `fetch evm`, `fetch tron` and `trace --fetch` on PostgreSQL (docs/postgresql.md, "Fetching into
// PostgreSQL"): against the same local node (ganache behind a proxy that refuses wide ranges) and
// the same TronGrid replay, each command on a fresh case file and a fresh PostgreSQL database must
// print the same bytes and store the same rows: sources, accounts, transfers, sightings, block
// times, checkpoints and audit-log entries (test/support/caseDump.ts leaves out only times and hashes).
// One range at a time (--concurrency 1): with several in flight the adaptive span, and with it
// the ranges each source covers, follows the order the node answers in, on either backend.

const ACCOUNT = 'TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre';
const cluster = usePgCluster();
let node: EthNode;
let scenario: ChainScenario;
let chain: Awaited<ReturnType<typeof chainTransfers>>;
let front: RpcProxy;
let tags: string;
let databases = 0;
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  node = await startEthNode();
  scenario = await buildChainScenario(node);
  chain = await chainTransfers(node);
  front = await startRpcProxy(node.url, { maxRange: 200 });
  closing.push(front);
  tags = writeScenarioTags(scenario);
}, 120_000);

afterAll(async () => {
  for (const server of closing) await server.close();
  await node?.close();
});

async function replay(behaviour: Parameters<typeof startTronReplay>[0] = {}): Promise<TronReplay> {
  const server = await startTronReplay(behaviour);
  closing.push(server);
  return server;
}

/** A fresh case on each backend. */
function newCases(): { file: string; url: string } {
  const name = `fetch${++databases}`;
  cluster.current!.createDatabase(name);
  return { file: join(tempDir(), 'case.db'), url: cluster.current!.url(name) };
}

interface Both {
  file: CliRun;
  pg: CliRun;
}

/** The same command on the case file and on PostgreSQL, one after the other (the node answers both alike). */
async function onBoth(cases: { file: string; url: string }, args: readonly string[]): Promise<Both> {
  const file = await hoptraceAsync(['--db', cases.file, ...args]);
  const onPg = await hoptraceAsync(['--db', cases.url, ...args]);
  return { file, pg: onPg };
}

function expectSameRun(run: Both): void {
  expect(run.pg.stderr).toBe(run.file.stderr);
  expect(run.pg.stdout).toBe(run.file.stdout);
  expect(run.pg.status).toBe(run.file.status);
}

async function dumps(cases: { file: string; url: string }): Promise<{ file: CaseDump; pg: CaseDump }> {
  return { file: dumpSqliteCase(cases.file), pg: await dumpPgCase(cases.url) };
}

/** A trace without the lines that name the case: its path or database, the file's hash, the log head. */
const withoutCaseLines = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !/"path"|"sha256"|"logHead"/.test(line))
    .join('\n');

describe('fetch evm on PostgreSQL', () => {
  it('stores what a case file stores, prints the same, and a second run fetches and stores nothing', async () => {
    const cases = newCases();
    const addresses = [scenario.victim, ...scenario.mules, scenario.exchange, scenario.noise[0]!];
    const args = ['fetch', 'evm', '--rpc', front.url, '--address', ...addresses, '--confirmations', '0', '--concurrency', '1', '--quiet'];
    const first = await onBoth(cases, [...args, '--json']);
    expectSameRun(first);
    expect(first.pg.status, first.pg.stderr).toBe(0);
    const results = JSON.parse(first.pg.stdout) as { address: string; inserted: number; duplicates: number; sources: number; refusals: number }[];
    // Each address: the range the node refused (and its halves), its transfers, those another address's answers stored first.
    expect(results.map((r) => [r.address, r.refusals, r.inserted, r.duplicates, r.sources])).toEqual([
      [scenario.victim, 3, 2, 0, 2],
      [scenario.mules[0], 2, 3, 1, 3],
      [scenario.mules[1], 2, 3, 1, 2],
      [scenario.mules[2], 2, 1, 1, 2],
      [scenario.mules[3], 2, 1, 1, 2],
      [scenario.exchange, 2, 226, 1, 5],
      [scenario.noise[0], 2, 89, 20, 7],
    ]);
    const stored = await dumps(cases);
    expect(stored.pg).toEqual(stored.file);
    const counts = Object.fromEntries(
      ['sources', 'accounts', 'transfers', 'sightings', 'audit_log', 'fetch_checkpoints', 'block_times'].map((t) => [t, stored.pg[t]!.length]),
    );
    expect(counts).toEqual({ sources: 23, accounts: 38, transfers: 325, sightings: 25, audit_log: 18, fetch_checkpoints: 7, block_times: 62 });
    // One entry per stored batch (a range's answers that hold logs), after the case's creation.
    expect(stored.pg['audit_log']!.filter((e) => e.includes('action=fetch evm'))).toHaveLength(17);

    const again = await onBoth(cases, args);
    expectSameRun(again);
    expect(again.pg.stdout).toBe(
      addresses
        .map((a) => `${a}: 0 blocks fetched (${scenario.lastBlock + 1} already fetched), 0 queries; 0 logs: 0 new transfers, 0 already in the case\n`)
        .join(''),
    );
    expect(await dumpPgCase(cases.url)).toEqual(stored.pg);
    expect(dumpSqliteCase(cases.file)).toEqual(stored.file);
  }, 120_000);

  it('with ranges in flight while batches are stored: exactly the transfers on chain of the accounts asked, each once', async () => {
    // Through refusals and 429s, four ranges in flight: their block-time look-ups meet the open
    // write transaction of the batch being stored on the same connection.
    const busy = await startRpcProxy(node.url, { maxRange: 100, tooManyEvery: 9 });
    closing.push(busy);
    const { url } = newCases();
    const everyone = [scenario.exchange, ...scenario.noise.slice(0, 3)].sort();
    const involving = chain.filter((t) => everyone.includes(t.from) || everyone.includes(t.to)).map((t) => t.key);
    const run = await hoptraceAsync(['--db', url, 'fetch', 'evm', '--rpc', busy.url, '--address', ...everyone, '--confirmations', '0', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const stored = await client.query<{ key: string }>(
        `SELECT t.ref || ':' || t.log_index || ' ' || f.ident || ' ' || r.ident || ' ' || t.amount AS key
         FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY 1`,
      );
      expect(stored.rows.map((r) => r.key)).toEqual(involving.sort());
      expect(stored.rows.length).toBe(457);
      const checkpoints = await client.query<{ value: string }>('SELECT value FROM fetch_checkpoints');
      expect(checkpoints.rows.map((r) => r.value)).toEqual(everyone.map(() => `{"scanned":[[0,${scenario.lastBlock}]]}`));
    } finally {
      await client.end();
    }
    expect(busy.counts.refused).toBeGreaterThan(0);
    expect(busy.counts.tooMany).toBeGreaterThan(0);
  }, 180_000);

  it('killed mid-fetch: only whole batches stored, and the next run completes it from the checkpoint', async () => {
    const slow = await startRpcProxy(node.url, { maxRange: 12, delayMs: 15 });
    closing.push(slow);
    const { url } = newCases();
    const address = scenario.exchange;
    const args = ['--db', url, 'fetch', 'evm', '--rpc', slow.url, '--address', address, '--confirmations', '0', '--concurrency', '1', '--quiet'];
    // The case exists before the fetch starts, so its checkpoint can be watched.
    expect((await hoptraceAsync(['--db', url, 'ingest', 'tags', tags, '--quiet'])).status).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const reachedBlock = async (): Promise<number> => {
        const row = (await client.query<{ value: string }>('SELECT value FROM fetch_checkpoints')).rows[0];
        return row ? (JSON.parse(row.value) as { scanned: [number, number][] }).scanned[0]![1] : -1;
      };
      const storedKeys = async (): Promise<string[]> =>
        (
          await client.query<{ key: string }>(
            `SELECT t.ref || ':' || t.log_index || ' ' || f.ident || ' ' || r.ident || ' ' || t.amount AS key
             FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY 1`,
          )
        ).rows.map((r) => r.key);
      const onChain = (toBlock: number): string[] =>
        chain
          .filter((t) => (t.from === address || t.to === address) && t.block <= toBlock)
          .map((t) => t.key)
          .sort();
      const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      for (let polls = 0; polls < 800 && (await reachedBlock()) < 60; polls++) await new Promise((resolve) => setTimeout(resolve, 25));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // A COMMIT the process sent before it died still completes: read once its session has ended.
      const sessions = async (): Promise<string> =>
        (await client.query<{ n: string }>("SELECT COUNT(*)::text AS n FROM pg_stat_activity WHERE application_name = 'hoptrace'")).rows[0]!.n;
      for (let polls = 0; polls < 400 && (await sessions()) !== '0'; polls++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await sessions()).toBe('0');
      const reached = await reachedBlock();
      expect(reached).toBeGreaterThan(0);
      expect(reached).toBeLessThan(scenario.lastBlock);
      // What the checkpoint claims is stored, and nothing more: a batch killed mid-transaction left nothing.
      expect(await storedKeys()).toEqual(onChain(reached));

      const resumed = await hoptraceAsync(args);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(new RegExp(`^${address}: ${scenario.lastBlock - reached} blocks fetched \\(${reached + 1} already fetched\\), `));
      expect(await storedKeys()).toEqual(onChain(scenario.lastBlock));
      expect((await client.query('SELECT 1 FROM sightings')).rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('a damaged answer fails the range on both: nothing of it stored, the same error', async () => {
    const damaged = await startRpcProxy(node.url, { corruptLogs: true });
    closing.push(damaged);
    const cases = newCases();
    const run = await onBoth(cases, ['fetch', 'evm', '--rpc', damaged.url, '--address', scenario.victim, '--confirmations', '0', '--quiet']);
    expectSameRun(run);
    expect(run.pg.status).toBe(1);
    expect(run.pg.stderr).toMatch(/^hoptrace: http:\/\/127\.0\.0\.1:\d+\/?: item 1: /);
    const stored = await dumps(cases);
    expect(stored.pg).toEqual(stored.file);
    expect(stored.pg['transfers']).toEqual([]);
    expect(stored.pg['fetch_checkpoints']).toEqual([]);
  }, 60_000);
});

describe('fetch tron on PostgreSQL', () => {
  it('pages, overlapping accounts and a re-run: the same rows and output as a case file', async () => {
    const server = await replay();
    const cases = newCases();
    const partner = recordedTransfers().find((t) => t.to === ACCOUNT && t.from !== ACCOUNT)!.from;
    const args = ['fetch', 'tron', '--api', server.url, '--address', ACCOUNT, partner, '--page-size', '4', '--max-timestamp', '2025-12-31', '--quiet'];
    const first = await onBoth(cases, [...args, '--json']);
    expectSameRun(first);
    expect(first.pg.status, first.pg.stderr).toBe(0);
    const results = JSON.parse(first.pg.stdout) as { address: string; pages: number; inserted: number; duplicates: number }[];
    // The partner's one payment, to ACCOUNT, came with ACCOUNT's pages: stored once, sighted again.
    expect(results.map((r) => [r.address, r.pages, r.inserted, r.duplicates])).toEqual([
      [ACCOUNT, 3, 11, 0],
      [partner, 1, 0, 1],
    ]);
    const stored = await dumps(cases);
    expect(stored.pg).toEqual(stored.file);
    const counts = Object.fromEntries(['sources', 'transfers', 'sightings', 'audit_log', 'fetch_checkpoints'].map((t) => [t, stored.pg[t]!.length]));
    expect(counts).toEqual({ sources: 4, transfers: 11, sightings: 1, audit_log: 5, fetch_checkpoints: 2 });

    const again = await onBoth(cases, args);
    expectSameRun(again);
    expect(again.pg.stdout).toBe(`${ACCOUNT}: already fetched (nothing new asked)\n${partner}: already fetched (nothing new asked)\n`);
    expect(await dumpPgCase(cases.url)).toEqual(stored.pg);
  }, 60_000);

  it('a truncated page 2 keeps page 1 on both; the resumed fetch ends in the same case', async () => {
    const broken = await replay({ truncatePage: 2 });
    const healthy = await replay();
    const cases = newCases();
    const args = (url: string): string[] => ['fetch', 'tron', '--api', url, '--address', ACCOUNT, '--page-size', '4', '--quiet'];
    const failed = await onBoth(cases, args(broken.url));
    expectSameRun(failed);
    expect(failed.pg.stderr).toBe(`hoptrace: ${broken.url}/v1/accounts/${ACCOUNT}/transactions/trc20: page 2 is not JSON (truncated answer?)\n`);
    const half = await dumps(cases);
    expect(half.pg).toEqual(half.file);
    expect(half.pg['transfers']).toHaveLength(4);
    const resumed = await onBoth(cases, args(healthy.url));
    expectSameRun(resumed);
    expect(resumed.pg.stdout).toBe(`${ACCOUNT}: 2 pages (resumed); 7 transfers: 7 new, 0 already in the case\n`);
    const whole = await dumps(cases);
    expect(whole.pg).toEqual(whole.file);
    expect(whole.pg['transfers']).toHaveLength(11);
  }, 60_000);
});

describe('trace --fetch on PostgreSQL', () => {
  it('evm: the same trace, byte for byte apart from the case lines, and the same case', async () => {
    const cases = newCases();
    const ingested = await onBoth(cases, ['ingest', 'tags', tags, '--quiet']);
    expect(ingested.pg.status, ingested.pg.stderr).toBe(0);
    const args = ['trace', scenario.seedTx, '--fetch', 'evm', '--rpc', front.url, '--confirmations', '0', '--concurrency', '1', '--json', '--quiet'];
    const run = await onBoth(cases, args);
    expect(run.pg.stderr).toBe(run.file.stderr);
    expect(run.pg.status, run.pg.stderr).toBe(0);
    expect(withoutCaseLines(run.pg.stdout)).toBe(withoutCaseLines(run.file.stdout));
    const result = JSON.parse(run.pg.stdout) as TraceResult;
    expect(result.case.path).toBe(cases.url);
    expect(result.endpoints.map((e) => e.category).sort()).toEqual(['exchange', 'otc', 'sanctioned']);
    expect(result.held.map((h) => [h.history.class, 'basis' in h.history ? h.history.basis : null])).toEqual([
      ['in-case', 'fetch'],
      ['in-case', 'fetch'],
    ]);
    const stored = await dumps(cases);
    expect(stored.pg).toEqual(stored.file);
    // The victim and the four mules, never the exchange.
    expect(stored.pg['fetch_checkpoints']).toHaveLength(5);

    // Again: every account it reaches is fetched already; nothing is stored, the trace is the same.
    const again = await onBoth(cases, args);
    expect(again.pg.status, again.pg.stderr).toBe(0);
    expect(withoutCaseLines(again.pg.stdout)).toBe(withoutCaseLines(run.pg.stdout));
    expect(withoutCaseLines(again.file.stdout)).toBe(withoutCaseLines(run.file.stdout));
    expect(await dumpPgCase(cases.url)).toEqual(stored.pg);
  }, 120_000);

  it('tron: the same trace and the same case', async () => {
    const server = await replay();
    const cases = newCases();
    const payer = recordedTransfers().find((t) => t.from.startsWith('TJtEyS'))!.from;
    const run = await onBoth(cases, ['trace', `account:${payer}`, '--fetch', 'tron', '--api', server.url, '--json']);
    expect(run.pg.status, run.pg.stderr).toBe(0);
    expect(run.pg.stderr).toBe(run.file.stderr);
    expect(run.pg.stderr).toContain('hoptrace crawl: 3 rounds, 3 accounts fetched\n');
    // A holder whose Tron history was fetched to the end is "in case" until the moment that fetch
    // stored its checkpoint (src/store/accountHistory.ts): a clock time, different in any two runs.
    const withoutFetchTime = (text: string): string =>
      withoutCaseLines(text).replace(/"until": "[^"]+",\n(\s+)"basis": "fetch"/g, '"until": "…",\n$1"basis": "fetch"');
    expect(withoutFetchTime(run.pg.stdout)).toBe(withoutFetchTime(run.file.stdout));
    expect(withoutFetchTime(run.pg.stdout)).toContain('"until": "…",');
    const result = JSON.parse(run.pg.stdout) as TraceResult;
    expect(result.held.map((h) => [h.ident, h.amount])).toEqual([['TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', '41.499389']]);
    const stored = await dumps(cases);
    expect(stored.pg).toEqual(stored.file);
  }, 60_000);
});

describe('fetching into a shared PostgreSQL case', () => {
  it('a role with only SELECT is refused before anything is fetched', async () => {
    const server = await replay();
    const cases = newCases();
    const made = await hoptraceAsync(['--db', cases.url, 'ingest', 'tags', tags, '--quiet']);
    expect(made.status, made.stderr).toBe(0);
    const database = cases.url.split('/').at(-1)!;
    cluster.current!.psql(
      `CREATE ROLE fetcher${databases} LOGIN; GRANT CONNECT ON DATABASE ${database} TO fetcher${databases}; GRANT USAGE ON SCHEMA public TO fetcher${databases}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO fetcher${databases};`,
      database,
    );
    const reader = cases.url.replace('postgres://postgres@', `postgres://fetcher${databases}@`);
    const before = await dumpPgCase(cases.url);
    const logsBefore = front.counts.getLogs;
    for (const [command, args] of [
      ['fetch tron', ['fetch', 'tron', '--api', server.url, '--address', ACCOUNT]],
      ['fetch evm', ['fetch', 'evm', '--rpc', front.url, '--address', scenario.victim, '--confirmations', '0']],
      ['trace --fetch', ['trace', scenario.seedTx, '--fetch', 'evm', '--rpc', front.url, '--confirmations', '0']],
    ] as const) {
      const run = await hoptraceAsync(['--db', reader, ...args]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `hoptrace: ${reader}: this database role may not change the case (no INSERT on sources), and ${command} stores its results there — run ${command} as a role that may write to the case; a read-only role runs every read command (docs/postgresql.md)\n`,
      );
    }
    expect(server.requests).toEqual([]);
    expect(front.counts.getLogs).toBe(logsBefore);
    expect(await dumpPgCase(cases.url)).toEqual(before);
  }, 60_000);

  it('a fetch waits for another writer, saying so, then stores its pages', async () => {
    const server = await replay();
    const cases = newCases();
    const made = await hoptraceAsync(['--db', cases.url, 'ingest', 'tags', tags, '--quiet']);
    expect(made.status, made.stderr).toBe(0);
    const first = new pg.Client({ connectionString: cases.url });
    const watcher = new pg.Client({ connectionString: cases.url });
    await first.connect();
    await watcher.connect();
    try {
      // The first writer: a transaction holding the case's writer lock (src/store/pg/pgCase.ts).
      await first.query('BEGIN');
      await first.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const fetching = hoptraceAsync(['--db', cases.url, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT, '--quiet']);
      // It fetched page 1 and now waits for the lock to store it.
      // Asked outside the first writer's transaction, which sees one snapshot of the server's activity.
      const waiters = async (): Promise<string> =>
        (
          await watcher.query<{ n: string }>(
            "SELECT COUNT(*)::text AS n FROM pg_stat_activity WHERE application_name = 'hoptrace' AND wait_event_type = 'Lock'",
          )
        ).rows[0]!.n;
      for (let i = 0; i < 2000 && (await waiters()) === '0'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await waiters()).toBe('1');
      expect(server.requests).toHaveLength(1);
      await first.query('COMMIT');
      const done = await fetching;
      expect(done.status, done.stderr).toBe(0);
      expect(done.stderr).toBe(`hoptrace: another hoptrace process is writing to this case (${cases.url}); waiting for it to finish…\n`);
      expect(done.stdout).toBe(`${ACCOUNT}: 1 page; 11 transfers: 11 new, 0 already in the case\n`);
    } finally {
      await first.end();
      await watcher.end();
    }
  }, 180_000);
});
