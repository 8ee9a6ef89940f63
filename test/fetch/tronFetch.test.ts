import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountAmount, TraceResult } from '../../src/model/trace.js';
import { fixture, tempDir } from '../support/cli.js';
import { hoptraceAsync } from '../support/usdtCase.js';
import { recordedTransfers, startTronReplay, type ReplayBehaviour, type TronReplay } from '../support/tronReplay.js';

const ACCOUNT = 'TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre';
const PAYER = 'TJtEyS'; // prefix of the account that paid ACCOUNT 41.499389 USDT on 2025-01-31
const KEY = 'tg-key-7f3a9c1d';
const FIXTURE = fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json');

const servers: TronReplay[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

async function replay(behaviour: ReplayBehaviour = {}): Promise<TronReplay> {
  const server = await startTronReplay(behaviour);
  servers.push(server);
  return server;
}

const run = (args: string[]) => hoptraceAsync(args, { env: { HOPTRACE_TRONGRID_KEY: KEY } });

/** Transfers as `ref seq from to amount time asset`, to compare a fetched case with an ingested file. */
function transfers(db: string): string[] {
  const handle = new Database(db, { readonly: true });
  try {
    return handle
      .prepare(
        `SELECT t.ref || ' ' || t.seq || ' ' || f.ident || ' ' || r.ident || ' ' || t.amount || ' ' || t.time || ' ' || t.asset || ' ' || t.decimals
         FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id ORDER BY 1`,
      )
      .pluck()
      .all() as string[];
  } finally {
    handle.close();
  }
}

function query<T>(db: string, sql: string): T[] {
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare(sql).all() as T[];
  } finally {
    handle.close();
  }
}

async function ingestedFixture(token?: string): Promise<string> {
  const db = join(tempDir(), 'file.db');
  const result = await run(['--db', db, 'ingest', 'usdt', FIXTURE, '--quiet', ...(token ? ['--token', token] : [])]);
  expect(result.status, result.stderr).toBe(0);
  return db;
}

describe('fetch tron against a TronGrid replay server', () => {
  it('pages by fingerprint, waits out a 429, sends the key as a header and stores what the file adapter reads', async () => {
    const server = await replay({ tooManyFirst: 1 });
    const db = join(tempDir(), 'case.db');
    const started = Date.now();
    const result = await run(['--db', db, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT, '--page-size', '4', '--json']);
    expect(result.status, result.stderr).toBe(0);
    // Retry-After: 1 was honoured.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(result.stdout)).toEqual([
      { address: ACCOUNT, pages: 3, transfers: 11, inserted: 11, duplicates: 0, alreadyComplete: false, resumed: false },
    ]);
    expect(server.requests.map((r) => [r.status, r.query['limit'], r.query['contract_address'], r.query['order_by'], r.apiKey])).toEqual([
      [429, '4', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'block_timestamp,asc', KEY],
      [200, '4', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'block_timestamp,asc', KEY],
      [200, '4', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'block_timestamp,asc', KEY],
      [200, '4', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'block_timestamp,asc', KEY],
    ]);
    expect(result.stderr).toMatch(
      /^hoptrace fetch: retry 1 in \d+ ms: HTTP 429 from http:\/\/127\.0\.0\.1:\d+\/v1\/accounts\/TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre\/transactions\/trc20: \{"success":false,"error":"rate limited"\}\n/,
    );
    // The same transfers, seq for seq, as ingesting the recorded page from a file.
    expect(transfers(db)).toEqual(transfers(await ingestedFixture()));
    expect(transfers(db)).toHaveLength(11);
    // Provenance: one source per page, the SHA-256 of the exact bytes served; the key nowhere.
    const sources = query<{ path: string; sha256: string; adapter: string; options: string }>(
      db,
      'SELECT path, sha256, adapter, options FROM sources ORDER BY id',
    );
    expect(sources.map((s) => s.sha256)).toEqual(server.bodies);
    expect(new Set(sources.map((s) => `${s.adapter} ${s.path}`))).toEqual(new Set([`fetch:tron ${server.url}/v1/accounts/${ACCOUNT}/transactions/trc20`]));
    expect(sources.map((s) => (JSON.parse(s.options) as { page: number }).page)).toEqual([1, 2, 3]);
    expect(readFileSync(db).includes(KEY)).toBe(false);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    // `info` shows the fetched answers as one line per endpoint.
    const info = await run(['--db', db, 'info']);
    expect(info.stdout).toMatch(
      new RegExp(
        `\\nsources:\\n  ${server.url}/v1/accounts/${ACCOUNT}/transactions/trc20\\n    fetch:tron  3 answers fetched \\S+Z – \\S+Z  rows 11  duplicates 0  \\(each answer's request and SHA-256: info --json\\)\\n$`,
      ),
    );
  });

  it('a server failing on page 2 stops the fetch; the next run resumes at page 2 and stores each transfer once', async () => {
    const failing = await replay({ failOnPage: 2 });
    const db = join(tempDir(), 'case.db');
    const args = (url: string): string[] => [
      '--db',
      db,
      'fetch',
      'tron',
      '--api',
      url,
      '--address',
      ACCOUNT,
      '--page-size',
      '4',
      '--retries',
      '1',
      '--retry-delay-ms',
      '1',
      '--quiet',
    ];
    const broken = await run(args(failing.url));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toBe(
      `hoptrace: HTTP 500 from ${failing.url}/v1/accounts/${ACCOUNT}/transactions/trc20: {"success":false,"error":"internal error"}\n`,
    );
    expect(transfers(db)).toHaveLength(4);
    const [checkpoint] = query<{ value: string }>(db, 'SELECT value FROM fetch_checkpoints');
    expect(JSON.parse(checkpoint!.value)).toMatchObject({ pages: 1, complete: false });

    const healthy = await replay();
    const resumed = await run(args(healthy.url));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe(`${ACCOUNT}: 2 pages (resumed); 7 transfers: 7 new, 0 already in the case\n`);
    // It asked for page 2 straight away, with the fingerprint the first run kept.
    expect(healthy.requests[0]!.query['fingerprint']).toBe(failing.requests[1]!.query['fingerprint']);
    expect(transfers(db)).toEqual(transfers(await ingestedFixture()));

    // History grows: a later run starts from the newest transfer stored, which comes back as a sighting.
    const later = await run(args(healthy.url));
    expect(later.stdout).toBe(`${ACCOUNT}: 1 page; 1 transfer: 0 new, 1 already in the case\n`);
    expect(healthy.requests.at(-1)!.query['min_timestamp']).toBe('1738601505000');
    expect(transfers(db)).toHaveLength(11);
  });

  it('--token all keeps every TRC-20 token, 18-decimal amounts exact; --max-timestamp bounds the history', async () => {
    const server = await replay();
    const db = join(tempDir(), 'case.db');
    const all = await run(['--db', db, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT, '--token', 'all', '--quiet']);
    expect(all.stdout).toBe(`${ACCOUNT}: 1 page; 14 transfers: 14 new, 0 already in the case\n`);
    expect(transfers(db)).toEqual(transfers(await ingestedFixture('all')));
    // 13,409,316,000,000,000,000 base units pass 64 bits: stored as exact hex text, read back as bigint.
    expect(transfers(db).filter((t) => t.includes('SUNDOG'))).toEqual([
      expect.stringContaining(' 0xba1775db3cf64000 1726887669000 SUNDOG:TXL6rJbvmjD46zeN1JssfgxvSo99qC8MRT 18'),
    ]);
    expect(BigInt('0xba1775db3cf64000')).toBe(13409316000000000000n);
    const bounded = join(tempDir(), 'bounded.db');
    const args = ['--db', bounded, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT, '--max-timestamp', '2022-12-31', '--quiet'];
    expect((await run(args)).stdout).toBe(`${ACCOUNT}: 1 page; 3 transfers: 3 new, 0 already in the case\n`);
    expect((await run(args)).stdout).toBe(`${ACCOUNT}: already fetched (nothing new asked)\n`);
  });

  it('an API error answer is reported, and nothing is stored', async () => {
    const server = await replay({ refuse: true });
    const db = join(tempDir(), 'case.db');
    const result = await run(['--db', db, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `hoptrace: ${server.url}/v1/accounts/${ACCOUNT}/transactions/trc20: TronGrid answered with an error on page 1: "account query not allowed"\n`,
    );
    expect(transfers(db)).toEqual([]);
  });

  it('a truncated page is an error naming the page; the pages before it stay stored', async () => {
    const server = await replay({ truncatePage: 2 });
    const db = join(tempDir(), 'case.db');
    const result = await run(['--db', db, 'fetch', 'tron', '--api', server.url, '--address', ACCOUNT, '--page-size', '4', '--quiet']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`hoptrace: ${server.url}/v1/accounts/${ACCOUNT}/transactions/trc20: page 2 is not JSON (truncated answer?)\n`);
    expect(transfers(db)).toHaveLength(4);
  });

  it('trace --fetch tron follows the money account by account and matches tracing the fully fetched history', async () => {
    const server = await replay();
    const payer = recordedTransfers().find((t) => t.from.startsWith(PAYER))!.from;
    const crawlDb = join(tempDir(), 'crawl.db');
    const crawled = await run(['--db', crawlDb, 'trace', `account:${payer}`, '--fetch', 'tron', '--api', server.url, '--json']);
    expect(crawled.status, crawled.stderr).toBe(0);
    const crawl = JSON.parse(crawled.stdout) as TraceResult;
    // FIFO at ACCOUNT: 0.178 USDT of older, untraced money leaves first, then all 41.499389 traced.
    expect(crawl.held.map((h) => [h.ident, h.amount])).toEqual([['TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', '41.499389']]);
    expect(crawled.stderr).toContain('hoptrace crawl: 3 rounds, 3 accounts fetched\n');

    const fullDb = join(tempDir(), 'full.db');
    const everyone = [...new Set(recordedTransfers().flatMap((t) => [t.from, t.to]))];
    expect((await run(['--db', fullDb, 'fetch', 'tron', '--api', server.url, '--address', ...everyone, '--quiet'])).status).toBe(0);
    const full = JSON.parse((await run(['--db', fullDb, 'trace', `account:${payer}`, '--json'])).stdout) as TraceResult;
    // Seed ids (transfer ids) depend on storage order; compare amounts per seed by value.
    const bySeedValues = (list: readonly AccountAmount[]) => list.map((h) => ({ ...h, bySeed: Object.values(h.bySeed), history: undefined }));
    expect(bySeedValues(crawl.held)).toEqual(bySeedValues(full.held));
    // Both fetched the holder's own history to completion: "in case" as of the fetch.
    expect([...crawl.held, ...full.held].map((h) => [h.history.class, 'basis' in h.history ? h.history.basis : null])).toEqual([
      ['in-case', 'fetch'],
      ['in-case', 'fetch'],
    ]);
    expect(bySeedValues(crawl.endpoints)).toEqual(bySeedValues(full.endpoints));
    expect(crawl.edges.map((e) => [e.ref, e.traced, e.outcome])).toEqual(full.edges.map((e) => [e.ref, e.traced, e.outcome]));
  });

  it("trace --fetch tron from a bank victim's account (account:IBAN): the IBAN is traced from the case, the Tron accounts the money reaches are fetched", async () => {
    const server = await replay();
    const dir = tempDir();
    expect((await run(['demo', '--out', join(dir, 'demo'), '--no-timestamp'])).status).toBe(0);
    const db = join(dir, 'demo', 'case.db');
    const offline = JSON.parse((await run(['--db', db, 'trace', 'account:DE68500105174417320965', '--json'])).stdout) as TraceResult;
    // It was refused before fetching anything: address "DE68…": not a Tron base58 address.
    const crawled = await run(['--db', db, 'trace', 'account:DE68500105174417320965', '--fetch', 'tron', '--api', server.url, '--json']);
    expect(crawled.status, crawled.stderr).toBe(0);
    const crawl = JSON.parse(crawled.stdout) as TraceResult;
    // The replay knows none of the demo's addresses: the crawl fetched empty histories, and the money went where it went offline.
    expect(crawl.endpoints.map((e) => [e.ident, e.amount])).toEqual([['TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT', '19008.000000']]);
    expect(crawl.endpoints.map((e) => [e.ident, e.amount])).toEqual(offline.endpoints.map((e) => [e.ident, e.amount]));
    // Only the Tron accounts that carried the money on were asked for, never the IBAN or the exchange.
    const asked = [...new Set(server.requests.map((r) => /^\/v1\/accounts\/([^/]+)\//.exec(r.path)?.[1]))];
    const carried = [...new Set(offline.edges.filter((e) => e.rail === 'tron' && e.outcome === 'carried').map((e) => e.to))].sort();
    expect(carried.length).toBeGreaterThan(0);
    expect(asked.sort()).toEqual(carried);
  });
});
