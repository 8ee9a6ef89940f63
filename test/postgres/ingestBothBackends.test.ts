import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/schema.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { usePgCluster } from '../support/postgres.js';

// The case's guarantees on both backends (docs/case-file.md, docs/postgresql.md): one suite, run
// over a SQLite case file and a PostgreSQL database.
const TRONSCAN = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv');
const TRONGRID = fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json');
const NOTHING_STORED = 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones';

const pgCluster = usePgCluster();
let databases = 0;
const dir = tempDir();

interface Backend {
  /** A new, empty case: its --db. */
  create(): string;
  count(db: string, table: string): Promise<number>;
}

const backends: Record<'sqlite' | 'postgres', Backend> = {
  sqlite: {
    create: () => join(tempDir(), 'case.db'),
    count: async (db, table) => {
      const file = new Database(db, { readonly: true });
      try {
        return Number(file.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
      } finally {
        file.close();
      }
    },
  },
  postgres: {
    create: () => {
      const cluster = pgCluster.current!;
      const name = `case${++databases}`;
      cluster.createDatabase(name);
      return cluster.url(name);
    },
    count: async (db, table) => {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);
      } finally {
        await client.end();
      }
    },
  },
};

const TABLES = ['sources', 'transfers', 'accounts', 'tags', 'sightings', 'rejects', 'audit_log'];

async function counts(backend: Backend, db: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = await backend.count(db, table);
  return out;
}

/** The first 41 lines of the TronScan export, and a copy whose row `line` moves one base unit more. */
function conflictingExports(): { original: string; altered: string; line: number } {
  const lines = readFileSync(TRONSCAN, 'utf8').split('\n').slice(0, 41);
  const original = join(tempDir(), 'original.csv');
  writeFileSync(original, lines.join('\n') + '\n');
  const cells = lines[7]!.split(',');
  expect(cells[9]).toBe('1000000000');
  cells[9] = '1000000001';
  const altered = join(tempDir(), 'altered.csv');
  writeFileSync(altered, [...lines.slice(0, 7), cells.join(','), ...lines.slice(8)].join('\n') + '\n');
  return { original, altered, line: 8 };
}

describe.each(['sqlite', 'postgres'] as const)('ingest usdt on %s', (name) => {
  const backend = backends[name];

  it('re-importing the same file adds nothing and writes no log entry', async () => {
    const db = backend.create();
    expect(hoptrace(['--db', db, 'ingest', 'usdt', TRONSCAN, '--quiet']).status).toBe(0);
    const before = await counts(backend, db);
    expect(before).toEqual({ sources: 1, transfers: 5373, accounts: 821, tags: 28, sightings: 6, rejects: 0, audit_log: 2 });
    const again = hoptrace(['--db', db, 'ingest', 'usdt', TRONSCAN]);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe(`${TRONSCAN}: already imported (source 1, sha256 ${again.stderr.match(/sha256 ([0-9a-f]{12})/)![1]}…): nothing added\n`);
    expect(await counts(backend, db)).toEqual(before);
    // The same bytes read with other options are refused, the case unchanged.
    const other = hoptrace(['--db', db, 'ingest', 'usdt', TRONSCAN, '--token', 'all']);
    expect(other.status).toBe(1);
    expect(other.stderr).toBe(
      `hoptrace: ${TRONSCAN}: already imported as source 1 (options usdt:tronscan {"token":"usdt"}; now usdt:tronscan {"token":"all"}) — remove-source 1 first to import it differently\n`,
    );
    expect(await counts(backend, db)).toEqual(before);
  });

  it('a bad row in the middle of a file fails the file and stores none of it; the next file goes in', async () => {
    const db = backend.create();
    expect(hoptrace(['--db', db, 'ingest', 'usdt', TRONGRID, '--quiet']).status).toBe(0);
    const before = await counts(backend, db);
    const lines = readFileSync(TRONSCAN, 'utf8').split('\n');
    const cells = lines[2707]!.split(',');
    const from = cells[5]!;
    cells[5] = from.slice(0, -1) + (from.endsWith('A') ? 'B' : 'A');
    lines[2707] = cells.join(',');
    const corrupt = join(dir, `corrupt-${name}.csv`);
    writeFileSync(corrupt, lines.join('\n'));
    const run = hoptrace(['--db', db, 'ingest', 'usdt', corrupt]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`hoptrace: ${corrupt}:2708: address "${cells[5]}": bad base58check checksum — ${NOTHING_STORED}\n`);
    expect(await counts(backend, db)).toEqual(before);
    expect(hoptrace(['--db', db, 'ingest', 'usdt', TRONSCAN, '--quiet']).status).toBe(0);
    expect((await counts(backend, db))['sources']).toBe(2);
  });

  it('--skip-bad stores the good rows and records each bad one', async () => {
    const db = backend.create();
    const bad = join(dir, `bad-${name}.json`);
    writeFileSync(bad, readFileSync(TRONGRID, 'utf8').replace('TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', 'TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy'));
    const run = hoptrace(['--db', db, 'ingest', 'usdt', bad, '--skip-bad']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`${bad}: trongrid (detected): 10 stored, 3 skipped (other tokens or failed transactions), 1 rejected (see hoptrace info)\n`);
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { rejects: unknown[] };
    expect(info.rejects).toEqual([{ sourceId: 1, path: bad, line: 4, reason: 'address "TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqy": bad base58check checksum' }]);
  });

  it('a row contradicting a stored transfer fails the file; with --skip-bad it is a reject', async () => {
    const { original, altered, line } = conflictingExports();
    const db = backend.create();
    expect(hoptrace(['--db', db, 'ingest', 'usdt', original, '--quiet']).status).toBe(0);
    const before = await counts(backend, db);
    const run = hoptrace(['--db', db, 'ingest', 'usdt', altered]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^hoptrace: ${altered}:${line}: conflicts with transfer 7 from ${original}:${line} \\(amount 1000\\.000001 vs 1000\\.000000\\) — `),
    );
    expect(await counts(backend, db)).toEqual(before);
    expect(hoptrace(['--db', db, 'ingest', 'usdt', altered, '--skip-bad', '--quiet']).status).toBe(0);
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { transfers: number; rejects: unknown[]; sources: unknown[] };
    expect(info.transfers).toBe(before['transfers']);
    expect(info.rejects).toEqual([
      { sourceId: 2, path: altered, line, reason: `conflicts with transfer 7 from ${original}:${line} (amount 1000.000001 vs 1000.000000)` },
    ]);
    expect(info.sources[1]).toMatchObject({ rows: 0, duplicates: 38, skipped: 1, rejected: 1 });
  });
});

describe('one schema, two dialects', () => {
  it('a PostgreSQL case has every table and column of a case file, in the same order', async () => {
    const db = backends.postgres.create();
    expect(hoptrace(['--db', db, 'ingest', 'usdt', TRONGRID, '--quiet']).status).toBe(0);
    const file = new Database(':memory:');
    for (const migration of MIGRATIONS) file.exec(migration);
    const fileTables = file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      for (const table of fileTables) {
        const fileColumns = (file.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
        const pgColumns = (
          await client.query<{ column_name: string }>(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            [table],
          )
        ).rows.map((r) => r.column_name);
        expect(pgColumns, table).toEqual(fileColumns);
      }
      const pgTables = (
        await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
      ).rows.map((r) => r.table_name);
      expect(pgTables).toEqual([...fileTables, 'schema_migrations'].sort());
      const types = (
        await client.query<{ column_name: string; data_type: string }>(
          "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'transfers' AND column_name IN ('id', 'amount', 'time') ORDER BY column_name",
        )
      ).rows;
      expect(types).toEqual([
        { column_name: 'amount', data_type: 'numeric' },
        { column_name: 'id', data_type: 'bigint' },
        { column_name: 'time', data_type: 'bigint' },
      ]);
      expect((await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version)).toEqual(
        MIGRATIONS.map((_, i) => i + 1),
      );
    } finally {
      file.close();
      await client.end();
    }
  });
});
