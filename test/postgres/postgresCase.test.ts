import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_NAMES, type TraceResult } from '../../src/model/trace.js';
import type { CaseInfo } from '../../src/store/info.js';
import { citusPlan } from '../../src/store/pg/citus.js';
import { schemaTables, TABLE_PLACEMENT } from '../../src/store/pg/schema.js';
import { BIN, fixture, hoptrace, ROOT, runProcess, tempDir } from '../support/cli.js';
import { usePgCluster, type PgCluster } from '../support/postgres.js';

// A case hoptrace has never seen, from real exports: two TronScan pages of a seizure order's
// wallets (with TronScan's exchange labels), a TronGrid page and an Etherscan token export.
const FILES = [
  fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'),
  fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part2.csv'),
  fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json'),
  fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv'),
];
// The seizure-order wallet whose USDT went to Binance (test/cli/trace.test.ts), and a busier one.
const SEEDS = ['account:TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m', 'account:TBfJfBYSpVPLDoFzvg3zCnc4Kvpb48cME5'];

const pgCluster = usePgCluster();
let cluster: PgCluster;
let url: string;
let sqlite: string;

/** A result without the lines that name the case itself (its path, the file's hash, the log head). */
function withoutCaseLines(json: string): string {
  const result = JSON.parse(json) as TraceResult;
  return JSON.stringify({ ...result, case: { ...result.case, path: 'CASE', sha256: 'HASH', logHead: 'HEAD' } }, null, 2);
}

function infoWithoutTimes(json: string): CaseInfo {
  const info = JSON.parse(json) as CaseInfo;
  return { ...info, sources: info.sources.map((s) => ({ ...s, importedAt: 'TIME' })) };
}

beforeAll(() => {
  if (!pgCluster.current) return;
  cluster = pgCluster.current;
  cluster.createDatabase('equal');
  url = cluster.url('equal');
  sqlite = join(tempDir(), 'case.db');
  const onPg = hoptrace(['--db', url, 'ingest', 'usdt', ...FILES, '--quiet']);
  expect(onPg.stderr).toBe('');
  expect(onPg.status).toBe(0);
  expect(hoptrace(['--db', sqlite, 'ingest', 'usdt', ...FILES, '--quiet']).status).toBe(0);
});

describe('a case on PostgreSQL (--db postgres://…) and the same case in a SQLite file', () => {
  it('info --json is the same, apart from import times', () => {
    const onPg = hoptrace(['--db', url, 'info', '--json']);
    const onFile = hoptrace(['--db', sqlite, 'info', '--json']);
    expect(onPg.status).toBe(0);
    const info = infoWithoutTimes(onPg.stdout);
    expect(info).toEqual(infoWithoutTimes(onFile.stdout));
    expect([info.transfers, info.accounts, info.tags]).toEqual([10538, 1743, 32]);
    expect(info.sources.map((s) => [s.adapter, s.rows, s.duplicates, s.skipped])).toEqual([
      ['usdt:tronscan', 5373, 6, 34],
      ['usdt:tronscan', 5152, 216, 46],
      ['usdt:trongrid', 11, 0, 3],
      ['usdt:etherscan', 2, 0, 426],
    ]);
  });

  it('stores the same rows with the same ids: accounts, transfers, tags, sightings', async () => {
    const file = new Database(sqlite, { readonly: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // pg gives BIGINT and NUMERIC as strings; the file's integers are compared as strings too.
      const queries = [
        'SELECT id, rail, ident FROM accounts ORDER BY id',
        'SELECT id, from_id, to_id, amount, time, ref, seq, source_id, line FROM transfers ORDER BY id',
        'SELECT id, account_id, category, label, source_id, line FROM tags ORDER BY id',
        'SELECT transfer_id, source_id, line FROM sightings ORDER BY 1, 2, 3',
        'SELECT tag_id, source_id, line FROM tag_sightings ORDER BY 1, 2, 3',
      ];
      for (const sql of queries) {
        const fileRows = (file.prepare(sql).raw().all() as unknown[][]).map((row) => row.map(String));
        const pgRows = (await client.query({ text: sql, rowMode: 'array' })).rows as string[][];
        expect(pgRows.length).toBeGreaterThan(0);
        expect(pgRows).toEqual(fileRows);
      }
      const log = await client.query<{ action: string }>('SELECT action FROM audit_log ORDER BY seq');
      expect(log.rows.map((r) => r.action)).toEqual([
        'create case',
        'ingest usdt:tronscan',
        'ingest usdt:tronscan',
        'ingest usdt:trongrid',
        'ingest usdt:etherscan',
      ]);
    } finally {
      file.close();
      await client.end();
    }
  });

  describe.each(RULE_NAMES)('trace --json --rule %s', (rule) => {
    it.each([
      [SEEDS[0]!, []],
      [SEEDS[1]!, ['--max-hops', '3', '--stop-at-degree', '8']],
      [SEEDS[1]!, ['--until', '2023-06-01', '--min-amount', '100']],
    ])('from %s %j is byte-identical apart from the case lines', (seed, limits) => {
      const onPg = hoptrace(['--db', url, 'trace', seed, '--rule', rule, ...limits, '--json']);
      const onFile = hoptrace(['--db', sqlite, 'trace', seed, '--rule', rule, ...limits, '--json']);
      expect(onPg.stderr).toBe('');
      expect(onPg.status).toBe(0);
      expect(withoutCaseLines(onPg.stdout)).toBe(withoutCaseLines(onFile.stdout));
      const result = JSON.parse(onPg.stdout) as TraceResult;
      expect(result.edges.length).toBeGreaterThan(0);
      // The database as the case, without a password; no file to hash; the log head pins the content.
      expect(result.case.path).toBe(url);
      expect(result.case.sha256).toBeNull();
      expect(result.case.logHead).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('the human summary is the documented one (test/cli/trace.test.ts) on PostgreSQL too', () => {
    const run = hoptrace(['--db', url, 'trace', SEEDS[0]!]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('  → exchange              4963.000000 USDT  TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi (Binance-Hot 2)\n');
  });

  it('HOPTRACE_DB=postgres://… is the same as --db', () => {
    const run = hoptrace(['info', '--json'], { env: { HOPTRACE_DB: url } });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as CaseInfo).transfers).toBe(10538);
  });

  it('fetch tron and trace --fetch run on PostgreSQL: an API it may not ask is the error a case file gives', () => {
    const fetchArgs = ['fetch', 'tron', '--api', 'http://127.0.0.1:9', '--address', 'TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu', '--retries', '0'];
    const fetchTron = hoptrace(['--db', url, ...fetchArgs]);
    expect(fetchTron.status).toBe(1);
    expect(fetchTron.stderr).toBe(hoptrace(['--db', join(tempDir(), 'fetch.db'), ...fetchArgs]).stderr);
    expect(fetchTron.stderr).toBe('hoptrace: fetch failed: bad port\n');
    // A seed that is not in the case and names no account to fetch: the crawl traces, and stops as `trace` does.
    const fetching = hoptrace(['--db', url, 'trace', 'transfer:99999999', '--fetch', 'tron', '--api', 'http://127.0.0.1:9']);
    expect(fetching.status).toBe(1);
    expect(fetching.stderr).toBe(hoptrace(['--db', url, 'trace', 'transfer:99999999']).stderr);
    expect(fetching.stderr).toContain(': seed "transfer:99999999" matches no transfer in the case');
  });

  it('a seed that matches no transfer gets the hint a case file gives: an account named bare is told to use account:', () => {
    const wallet = 'TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m';
    for (const [seed, hint] of [
      [wallet, `${wallet} is an account: trace its outgoing payments with account:${wallet}`],
      ['NO-SUCH-REF', 'check it with hoptrace info, or use transfer:ID'],
    ] as const) {
      const onPg = hoptrace(['--db', url, 'trace', seed]);
      const onFile = hoptrace(['--db', sqlite, 'trace', seed]);
      expect([onPg.status, onFile.status]).toEqual([1, 1]);
      expect(onFile.stderr).toBe(`hoptrace: seed "${seed}" matches no transfer in the case file — ${hint}\n`);
      expect(onPg.stderr).toBe(`hoptrace: ${url}: seed "${seed}" matches no transfer in the case — ${hint}\n`);
    }
  });

  it('a database that is not there, or holds no case, is one clear line', () => {
    cluster.createDatabase('empty');
    const empty = hoptrace(['--db', cluster.url('empty'), 'info']);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe(`hoptrace: ${cluster.url('empty')}: no hoptrace case in this database — check --db, or create the case with an ingest command\n`);
    const missing = hoptrace(['--db', cluster.url('nosuchdb'), 'info']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot connect to PostgreSQL: database "nosuchdb" does not exist');
  });
});

describe('a team on one PostgreSQL case', () => {
  it('a role with only SELECT runs info and trace, and may not ingest', () => {
    cluster.psql(
      'CREATE ROLE analyst LOGIN; GRANT CONNECT ON DATABASE equal TO analyst; GRANT USAGE ON SCHEMA public TO analyst; GRANT SELECT ON ALL TABLES IN SCHEMA public TO analyst;',
      'equal',
    );
    const reader = url.replace('postgres://postgres@', 'postgres://analyst@');
    const info = hoptrace(['--db', reader, 'info', '--json']);
    expect(info.stderr).toBe('');
    expect(infoWithoutTimes(info.stdout)).toEqual(infoWithoutTimes(hoptrace(['--db', url, 'info', '--json']).stdout));
    const trace = hoptrace(['--db', reader, 'trace', SEEDS[1]!, '--rule', 'libr', '--max-hops', '3', '--json']);
    expect(trace.status).toBe(0);
    expect(withoutCaseLines(trace.stdout)).toBe(
      withoutCaseLines(hoptrace(['--db', sqlite, 'trace', SEEDS[1]!, '--rule', 'libr', '--max-hops', '3', '--json']).stdout),
    );
    const dir = tempDir();
    const file = join(dir, 'one.etherscan.csv');
    writeFileSync(
      file,
      '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"\n"0x' +
        'ab'.repeat(32) +
        '","22002000","1742047200","2025-03-15 14:00:00","0x305f09462e89b540029102e3a0119fe8dec88ae2","0x090fa40851205443ebe9625ebc941ad9cf93162c","30,000","N/A","0xdac17f958d2ee523a2206206994597c13d831ec7","Tether USD","USDT"\n',
    );
    const ingest = hoptrace(['--db', reader, 'ingest', 'usdt', file]);
    expect(ingest.status).toBe(1);
    expect(ingest.stderr).toMatch(
      /^hoptrace: postgres:\/\/analyst@127\.0\.0\.1:\d+\/equal: this database role may not change the case \(permission denied for table sources\) — a read-only role runs info and trace; ingest as a role that may write\n$/,
    );
  });

  it('a second writer waits for the first, saying so, then stores its source', async () => {
    cluster.createDatabase('team');
    const team = cluster.url('team');
    expect(hoptrace(['--db', team, 'ingest', 'usdt', FILES[2]!, '--quiet']).status).toBe(0);
    // The first writer: a transaction holding the case's writer lock, as an ingest holds it.
    const first = new pg.Client({ connectionString: team });
    await first.connect();
    try {
      await first.query('BEGIN');
      await first.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const second = runProcess(process.execPath, [BIN, '--db', team, 'ingest', 'usdt', FILES[3]!, '--quiet'], { env: { ...process.env } });
      const waiting = await waitFor(first, "SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
      expect(waiting).toBe(1);
      expect((await first.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM sources')).rows[0]!.n).toBe(1);
      // Readers do not wait for writers: info runs while both writers are in their transactions.
      const reading = await runProcess(process.execPath, [BIN, '--db', team, 'info', '--json'], { env: { ...process.env } });
      expect(reading.status).toBe(0);
      expect((JSON.parse(reading.stdout) as CaseInfo).sources.map((s) => s.adapter)).toEqual(['usdt:trongrid']);
      await first.query('COMMIT');
      const run = await second;
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(
        /^hoptrace: another hoptrace process is writing to this case \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/team\); waiting for it to finish…\n$/,
      );
      expect((await first.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM sources')).rows[0]!.n).toBe(2);
      // With HOPTRACE_BUSY_TIMEOUT_MS the wait is bounded: the second writer stops, storing nothing.
      await first.query('BEGIN');
      await first.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const bounded = await runProcess(process.execPath, [BIN, '--db', team, 'ingest', 'usdt', FILES[0]!, '--quiet'], {
        env: { ...process.env, HOPTRACE_BUSY_TIMEOUT_MS: '300' },
      });
      await first.query('COMMIT');
      expect(bounded.status).toBe(1);
      expect(bounded.stderr).toContain('the case is busy: another hoptrace process is writing to it — wait for it to finish and run the command again');
      expect((await first.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM sources')).rows[0]!.n).toBe(2);
    } finally {
      await first.end();
    }
  });
});

async function waitFor(client: pg.Client, sql: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const n = (await client.query<{ n: number }>(sql)).rows[0]!.n;
    if (n > 0) return n;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 0;
}

describe('ready to distribute (docs/postgresql.md, "From one laptop to Citus")', () => {
  it('the documented Citus statements are those citusPlan gives for a case database', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const plan = await citusPlan(client);
      const docs = readFileSync(join(ROOT, 'docs', 'postgresql.md'), 'utf8');
      const block = /<!-- citus-plan:[^\n]*-->\n```sql\n([\s\S]*?)```/.exec(docs)?.[1];
      expect(block).toBe(['CREATE EXTENSION IF NOT EXISTS citus;', ...plan].join('\n') + '\n');
      expect(plan).toContain("SELECT create_distributed_table('transfers', 'from_id', colocate_with => 'accounts');");
      expect(plan).toContain("SELECT create_reference_table('sources');");
      // Every table of the schema has its place, and nothing else does.
      expect(Object.keys(TABLE_PLACEMENT).sort()).toEqual(schemaTables().sort());
    } finally {
      await client.end();
    }
  });

  it('a case without the keys Citus cannot keep ingests and traces the same', async () => {
    cluster.createDatabase('citusready');
    const ready = cluster.url('citusready');
    expect(hoptrace(['--db', ready, 'ingest', 'usdt', FILES[0]!, '--quiet']).status).toBe(0);
    const client = new pg.Client({ connectionString: ready });
    await client.connect();
    try {
      // Everything but the Citus functions (not installed here): the constraint changes.
      for (const statement of (await citusPlan(client)).filter((s) => !s.startsWith('SELECT create_'))) await client.query(statement);
      expect(
        (await client.query("SELECT COUNT(*)::int AS n FROM pg_constraint WHERE conname IN ('transfers_pkey', 'accounts_rail_ident_key')")).rows[0],
      ).toEqual({ n: 0 });
    } finally {
      await client.end();
    }
    const rest = hoptrace(['--db', ready, 'ingest', 'usdt', ...FILES, '--quiet']);
    expect(rest.status).toBe(0);
    expect(hoptrace(['--db', ready, 'ingest', 'usdt', ...FILES, '--quiet']).status).toBe(0);
    expect(infoWithoutTimes(hoptrace(['--db', ready, 'info', '--json']).stdout)).toEqual(infoWithoutTimes(hoptrace(['--db', sqlite, 'info', '--json']).stdout));
    const args = ['trace', SEEDS[1]!, '--rule', 'fifo', '--max-hops', '3', '--json'];
    expect(withoutCaseLines(hoptrace(['--db', ready, ...args]).stdout)).toBe(withoutCaseLines(hoptrace(['--db', sqlite, ...args]).stdout));
  });
});
