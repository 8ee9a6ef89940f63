import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dumpPgCase, dumpSqliteCase, type CaseDump } from '../support/caseDump.js';
import { fixture, hoptrace, ROOT, tempDir, type CliRun } from '../support/cli.js';
import { writeExchangeCase } from '../support/exchangeCase.js';
import { usePgCluster } from '../support/postgres.js';

// The ingest commands that decide each row against the case (bank statements, exchange returns,
// links, tags, freeze lists) on PostgreSQL (docs/postgresql.md, "What runs on PostgreSQL"): the
// same files make the same case as in a SQLite case file, row for row, and the case's guarantees
// hold (re-import adds nothing, a bad file leaves nothing, every change is logged).
const pgCluster = usePgCluster();
let databases = 0;

const VICTIM = 'DE89370400440532013000';
const MULE1 = 'DE77100100100123456789';
const MULE2 = 'NL91ABNA0417164300';
const bankMade = (name: string): string => fixture('bank-made', name);
const sample = (...parts: string[]): string => join(ROOT, 'samples', ...parts);

interface Cases {
  sqlite: string;
  postgres: string;
}

function newCases(): Cases {
  const name = `match${++databases}`;
  pgCluster.current!.createDatabase(name);
  return { sqlite: join(tempDir(), 'case.db'), postgres: pgCluster.current!.url(name) };
}

/** Runs one command on both cases: the same exit status and messages on each. */
function onBoth(cases: Cases, args: string[]): CliRun {
  const sqlite = hoptrace(['--db', cases.sqlite, ...args]);
  const postgres = hoptrace(['--db', cases.postgres, ...args]);
  expect({ status: postgres.status, stderr: postgres.stderr, stdout: postgres.stdout }, args.join(' ')).toEqual({
    status: sqlite.status,
    stderr: sqlite.stderr,
    stdout: sqlite.stdout,
  });
  return sqlite;
}

async function dumps(cases: Cases): Promise<{ sqlite: CaseDump; postgres: CaseDump }> {
  return { sqlite: dumpSqliteCase(cases.sqlite), postgres: await dumpPgCase(cases.postgres) };
}

/** `info --json` of both cases, equal apart from when each source was imported. */
function info(cases: Cases): Record<string, unknown> {
  const read = (db: string): Record<string, unknown> => {
    const run = hoptrace(['--db', db, 'info', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { sources: { importedAt?: string }[] };
    for (const source of parsed.sources) delete source.importedAt;
    return parsed as unknown as Record<string, unknown>;
  };
  const sqlite = read(cases.sqlite);
  expect(read(cases.postgres)).toEqual(sqlite);
  return sqlite;
}

async function pgRows<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T & pg.QueryResultRow>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('tags two sources carried, on both backends', () => {
  it("removing the first source leaves the tag with the other's source, line and confidence", async () => {
    const cases = newCases();
    const dir = tempDir();
    const header = 'chain,address,category,label,confidence,source\n';
    const row = (confidence: number): string => `tron,TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez,exchange,Binance deposit,${confidence},me\n`;
    writeFileSync(join(dir, 'a.csv'), header + row(50) + row(50));
    writeFileSync(join(dir, 'b.csv'), header + row(90));
    expect(onBoth(cases, ['ingest', 'tags', join(dir, 'a.csv'), '--quiet']).status).toBe(0);
    expect(onBoth(cases, ['ingest', 'tags', join(dir, 'b.csv'), '--quiet']).status).toBe(0);
    const built = await dumps(cases);
    expect(built.postgres).toEqual(built.sqlite);
    expect(onBoth(cases, ['remove-source', '1']).status).toBe(0);
    const undone = await dumps(cases);
    expect(undone.postgres).toEqual(undone.sqlite);
    expect(onBoth(cases, ['tags']).stdout).toBe('tron      TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez  exchange          Binance deposit  [me, confidence 90]\n');
  });
});

describe('the demo case on both backends', () => {
  it('bank statements, explorer exports, links, tags, an exchange return, a freeze list and TRX transfers make the same case; read again, they add nothing', async () => {
    const cases = newCases();
    const steps: string[][] = [
      ['ingest', 'bank', sample('bank', 'mule-kevin-schulz.csv'), '--profile', 'generic', '--account', 'DE29100100100987654321'],
      ['ingest', 'bank', sample('bank', 'mule-daan-visser.csv'), '--profile', 'generic', '--account', 'NL36INGB0007654321'],
      ['ingest', 'bank', sample('bank', 'mule-lukas-hoffmann.csv'), '--profile', 'generic', '--account', 'DE73200411330112233445'],
      ['ingest', 'bank', sample('bank', 'victim-sanne-de-vries-ing-nl.csv')],
      [
        'ingest',
        'usdt',
        sample('usdt', 'tron-otc-and-collection.trongrid.json'),
        sample('usdt', 'tron-collector-and-peel-chain.tronscan.csv'),
        sample('usdt', 'eth-platform-and-collector.etherscan.csv'),
      ],
      ['ingest', 'links', sample('links', 'golden-lotus-otc-return.csv')],
      ['ingest', 'tags', join(ROOT, 'adapters', 'tags', 'starter', 'ofac-sdn-2025-11-19.csv'), sample('attribution', 'demo-tags.csv')],
      ['ingest', 'exchange', sample('exchange', 'exchange-one-return.csv')],
      ['ingest', 'blacklist', fixture('usdt-blacklist-dune-criptoanalyst', 'usdt_blacklist.csv')],
      ['ingest', 'native', sample('native', 'tron-fee-funding.trongrid.json')],
    ];
    for (const step of steps) expect(onBoth(cases, step).status).toBe(0);
    const built = await dumps(cases);
    expect(built.postgres).toEqual(built.sqlite);
    const counts = Object.fromEntries(Object.entries(built.sqlite).map(([table, rows]) => [table, rows.length]));
    expect(counts).toEqual({
      sources: 13,
      accounts: 251,
      transfers: 95,
      sightings: 15,
      transfer_refs: 2,
      tags: 200,
      tag_sightings: 2,
      links: 6,
      rejects: 0,
      opening_balances: 3,
      bank_lines: 23,
      balance_gaps: 0,
      exchange_movements: 3,
      usdt_freeze_events: 8570,
      notes: 0,
      cluster_assertions: 0,
      audit_log: 14,
      fetch_checkpoints: 0,
      block_times: 0,
    });
    const summary = info(cases);
    expect(summary).toMatchObject({ transfers: 95, accounts: 251, tags: 200, links: 6 });
    // The tenth and later log entries follow the ninth (PostgreSQL orders the log by number).
    const logged = built.postgres['audit_log']!.map((row) => [Number(/^seq=(\d+)/.exec(row)![1]), /action=([^|]+) \|/.exec(row)![1]] as const);
    expect(logged.sort((a, b) => a[0] - b[0]).slice(8)).toEqual([
      [9, 'ingest links:csv'],
      [10, 'ingest tags:csv'],
      [11, 'ingest tags:csv'],
      [12, 'ingest exchange:generic'],
      [13, 'ingest blacklist:csv'],
      [14, 'ingest native:trongrid-trx'],
    ]);

    for (const step of steps.slice(5)) {
      const again = onBoth(cases, step);
      expect(again.status).toBe(0);
      expect(again.stderr).toMatch(/already imported/);
    }
    for (const step of steps.slice(0, 4)) expect(onBoth(cases, [...step, '--quiet']).status).toBe(0);
    expect(await dumps(cases)).toEqual(built);
  }, 300_000);
});

describe('ingest bank on PostgreSQL', () => {
  it("two statements paying each other store each payment once, with both sides' lines, in either order; remove-source undoes one", async () => {
    for (const order of [
      ['mule1', 'mule2', 'victim'],
      ['victim', 'mule2', 'mule1'],
    ]) {
      const cases = newCases();
      for (const which of order) {
        const args =
          which === 'mule1'
            ? ['ingest', 'bank', bankMade('mule1-generic.csv'), '--account', MULE1]
            : ['ingest', 'bank', bankMade(which === 'mule2' ? 'mule2-mt940.sta' : 'victim-camt053.xml')];
        expect(onBoth(cases, args).status).toBe(0);
      }
      const built = await dumps(cases);
      expect(built.postgres).toEqual(built.sqlite);
      expect(info(cases)).toMatchObject({ transfers: 6, byAsset: [{ rail: 'bank', asset: 'EUR', count: 6, amount: '22600.00' }] });
      // Mule 1 → mule 2: one transfer, a statement line on each side, each bank's reference selecting it.
      const sides = await pgRows<{ transfer: string; accounts: string; refs: string }>(
        cases.postgres,
        `SELECT b.transfer_id::text AS transfer, string_agg(a.ident, ',' ORDER BY a.ident) AS accounts, string_agg(b.ref, ',' ORDER BY b.ref) AS refs
         FROM bank_lines b JOIN accounts a ON a.id = b.account_id JOIN transfers t ON t.id = b.transfer_id
         WHERE t.amount = 700000 GROUP BY b.transfer_id`,
      );
      expect(sides.map((s) => [s.accounts, s.refs])).toEqual([[`${MULE1},${MULE2}`, 'M1-102,M2-7000']]);
      const victimSide = await pgRows<{ n: string }>(
        cases.postgres,
        `SELECT COUNT(*)::text AS n FROM bank_lines b JOIN transfers t ON t.id = b.transfer_id JOIN accounts a ON a.id = t.from_id
         WHERE a.ident = '${VICTIM}' AND t.amount = 500000`,
      );
      expect(victimSide).toEqual([{ n: '2' }]);
      // Undoing the first statement keeps the payments the others saw, re-derived from them; read again, it matches them again.
      const removed = onBoth(cases, ['remove-source', '1']);
      expect(removed.stderr).toMatch(/^removed source 1 \(/);
      const undone = await dumps(cases);
      expect(undone.postgres).toEqual(undone.sqlite);
      const again =
        order[0] === 'mule1' ? ['ingest', 'bank', bankMade('mule1-generic.csv'), '--account', MULE1] : ['ingest', 'bank', bankMade('victim-camt053.xml')];
      expect(onBoth(cases, [...again, '--quiet']).status).toBe(0);
      const redone = await dumps(cases);
      expect(redone.postgres).toEqual(redone.sqlite);
      expect(info(cases)).toMatchObject({ transfers: 6 });
    }
  }, 300_000);

  it('a running-balance break fails the file and stores nothing; --balance gaps stores every line and records the gap', async () => {
    const cases = newCases();
    const file = bankMade('balance-break.csv');
    expect(onBoth(cases, ['ingest', 'bank', bankMade('mule1-generic.csv'), '--account', MULE1, '--quiet']).status).toBe(0);
    const before = await dumps(cases);
    const failed = onBoth(cases, ['ingest', 'bank', file, '--account', MULE1]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(
      `hoptrace: ${file}:3: balance 1290.00 EUR does not follow from the previous balance 1500.00 and amount -200.00 (expected 1300.00): a missing or altered line — nothing from this file was stored; --balance gaps stores every line and records the gap between lines 2 and 3\n`,
    );
    expect(await dumps(cases)).toEqual(before);
    expect(onBoth(cases, ['ingest', 'bank', file, '--account', MULE1, '--balance', 'gaps', '--quiet']).status).toBe(0);
    const built = await dumps(cases);
    expect(built.postgres).toEqual(built.sqlite);
    const summary = info(cases) as { transfers: number; balanceGaps: unknown[] };
    expect(summary.transfers).toBe(8);
    expect(summary.balanceGaps).toEqual([
      {
        account: MULE1,
        asset: 'EUR',
        missing: '-10.00',
        path: file,
        sourceId: 2,
        lineBefore: 2,
        lineAfter: 3,
        timeBefore: expect.any(Number) as number,
        timeAfter: expect.any(Number) as number,
        reason: 'balance 1290.00 EUR does not follow from the previous balance 1500.00 and amount -200.00 (expected 1300.00): a missing or altered line',
      },
    ]);
  }, 180_000);

  it("an earlier statement's opening balance replaces a later one's, as in a case file", async () => {
    const cases = newCases();
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
    const dir = tempDir();
    const march = join(dir, 'march.csv');
    const april = join(dir, 'april.csv');
    writeFileSync(march, header + `2024-03-04,-100.00,EUR,${MULE2},Mule Two,P1,,900.00\n2024-03-05,50.00,EUR,${VICTIM},Maria Mueller,P2,,950.00\n`);
    writeFileSync(april, header + `2024-04-02,-200.00,EUR,${MULE2},Mule Two,P3,,750.00\n`);
    expect(onBoth(cases, ['ingest', 'bank', april, '--account', MULE1]).stderr).toContain(
      'opening balance of DE77100100100123456789: 950.00 EUR before line 2',
    );
    expect(onBoth(cases, ['ingest', 'bank', march, '--account', MULE1]).stderr).toContain(
      "opening balance of DE77100100100123456789: 1000.00 EUR before line 2, replacing a later statement's",
    );
    const built = await dumps(cases);
    expect(built.postgres).toEqual(built.sqlite);
    expect(built.postgres['opening_balances']).toHaveLength(1);
    expect(built.postgres['opening_balances']![0]).toMatch(/amount=100000 .*source_id=2 /);
  }, 180_000);

  it('a bad line fails the file and leaves the case as it was; the log records only what was stored', async () => {
    const cases = newCases();
    expect(onBoth(cases, ['ingest', 'bank', bankMade('mule1-generic.csv'), '--account', MULE1, '--quiet']).status).toBe(0);
    const before = await dumps(cases);
    const lines = readFileSync(bankMade('mule1-generic.csv'), 'utf8').split('\n');
    const bad = join(tempDir(), 'mule1-bad.csv');
    writeFileSync(bad, [lines[0], lines[1], lines[2]!.replace('2024-03-05', '2024-13-05'), ...lines.slice(3)].join('\n'));
    // A copy of the good statement under another name is the same bytes: nothing to add.
    const copy = join(tempDir(), 'mule1-copy.csv');
    copyFileSync(bankMade('mule1-generic.csv'), copy);
    const failed = onBoth(cases, ['ingest', 'bank', bad, '--account', MULE1]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^hoptrace: ${bad}:3: .*nothing from this file was stored`));
    expect(await dumps(cases)).toEqual(before);
    expect(onBoth(cases, ['ingest', 'bank', copy, '--account', MULE1]).stderr).toMatch(/already imported \(source 1/);
    expect(await dumps(cases)).toEqual(before);
    const log = await pgRows<{ action: string; changes: string }>(cases.postgres, 'SELECT action, changes FROM audit_log ORDER BY seq');
    expect(log).toEqual([
      { action: 'create case', changes: '{}' },
      { action: 'ingest bank:generic', changes: '{"source":1,"transfers":4,"duplicates":0,"skipped":0,"rejected":0,"tags":0}' },
    ]);
    // With --skip-bad (and --balance gaps, as the line left out breaks the running balance) the bad line is a stored reject.
    expect(onBoth(cases, ['ingest', 'bank', bad, '--account', MULE1, '--skip-bad', '--balance', 'gaps', '--quiet']).status).toBe(0);
    const skipped = await dumps(cases);
    expect(skipped.postgres).toEqual(skipped.sqlite);
    expect(skipped.postgres['rejects']).toHaveLength(1);
    expect(skipped.postgres['rejects']![0]).toMatch(/^source_id=2 \| line=3 \| reason=/);
  }, 180_000);
});

describe('a PostgreSQL case past nine log entries', () => {
  it('ten explorer exports: each gets the next log entry and source, listed in number order as in a case file', async () => {
    const cases = newCases();
    const lines = readFileSync(fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'), 'utf8').split('\n');
    const dir = tempDir();
    const files = Array.from({ length: 10 }, (_, i) => {
      const file = join(dir, `part${i + 1}.csv`);
      writeFileSync(file, [lines[0], ...lines.slice(1 + i * 4, 5 + i * 4)].join('\n') + '\n');
      return file;
    });
    expect(onBoth(cases, ['ingest', 'usdt', ...files, '--quiet']).status).toBe(0);
    const summary = info(cases) as { sources: { path: string }[] };
    expect(summary.sources.map((source) => source.path)).toEqual(files);
    const log = await pgRows<{ seq: string; action: string }>(cases.postgres, 'SELECT seq::text AS seq, action FROM audit_log ORDER BY audit_log.seq');
    expect(log.map((entry) => `${entry.seq} ${entry.action}`)).toEqual(['1 create case', ...files.map((_, i) => `${i + 2} ingest usdt:tronscan`)]);
  }, 180_000);
});

describe('ingest exchange on PostgreSQL', () => {
  it('an exchange return is matched on chain by tx hash, or without one by address and amount, as in a case file', async () => {
    const { chain, ret } = writeExchangeCase(tempDir());
    // The same return without tx hashes: each row is matched by its address and amount within 72 hours.
    const lines = readFileSync(ret, 'utf8').trimEnd().split('\n');
    const bare = join(tempDir(), 'binance-return-no-txid.csv');
    writeFileSync(bare, [lines[0], ...lines.slice(1).map((line) => line.replace(/,0x[0-9a-f]{64},/, ',,'))].join('\n') + '\n');
    for (const [file, matched] of [
      [ret, 4],
      [bare, 4],
    ] as const) {
      const cases = newCases();
      expect(onBoth(cases, ['ingest', 'usdt', chain, '--quiet']).status).toBe(0);
      const run = onBoth(cases, ['ingest', 'exchange', file]);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`5 deposits and withdrawals, ${matched} matched on chain`);
      const built = await dumps(cases);
      expect(built.postgres).toEqual(built.sqlite);
      expect(built.sqlite['exchange_movements']).toHaveLength(5);
      expect(onBoth(cases, ['ingest', 'exchange', file]).stderr).toContain('already imported: nothing added');
    }
  }, 180_000);
});

describe('ingest amlsim on PostgreSQL', () => {
  it('identical rows on both sides of a cut, read in either order, number as in a case file', async () => {
    // The last and first 1,500 rows around the cut of the AMLSim export: step 75's identical rows sit on both sides.
    const dir = fixture('amlsim-ibm', '20K_fanin200cycle200');
    const [head1, ...rows1] = readFileSync(join(dir, 'transactions.part1.csv'), 'utf8').trimEnd().split('\n');
    const [, ...rows2] = readFileSync(join(dir, 'transactions.part2.csv'), 'utf8').trimEnd().split('\n');
    const out = tempDir();
    const before = join(out, 'before.csv');
    const after = join(out, 'after.csv');
    writeFileSync(before, [head1, ...rows1.slice(-1500)].join('\n') + '\n');
    writeFileSync(after, [head1, ...rows2.slice(0, 1500)].join('\n') + '\n');
    const cases = newCases();
    expect(onBoth(cases, ['ingest', 'amlsim', after]).status).toBe(0);
    expect(onBoth(cases, ['ingest', 'amlsim', before]).status).toBe(0);
    const built = await dumps(cases);
    expect(built.postgres).toEqual(built.sqlite);
    expect(built.sqlite['transfers']).toHaveLength(3000);
    expect(onBoth(cases, ['ingest', 'amlsim', before]).stderr).toContain('already imported');
  }, 180_000);
});
