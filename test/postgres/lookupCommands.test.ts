import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tronBase58ToHex } from '../../src/model/address.js';
import type { StatusResult } from '../../src/freeze/status.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { insertClusterAssertion } from '../../src/store/clusterAssertions.js';
import { requireAccount } from '../../src/store/explore.js';
import { insertNote } from '../../src/store/notes.js';
import { hoptrace, ROOT, tempDir, type CliRun } from '../support/cli.js';
import { copySqliteCaseToPg } from '../support/pgFromSqlite.js';
import { usePgCluster } from '../support/postgres.js';

// The look-up commands on PostgreSQL (docs/postgresql.md, "What runs on PostgreSQL"): account,
// search, transfers, endpoints, tags, exchange-movements and status on the demo case (with the
// sample exchange return, findings, a note, an assertion, and a freeze list naming two of the
// wallets where its traced USDT rests) as a case file and the same rows in PostgreSQL print the
// same bytes, for the owner and for a role that may only read.
const pgCluster = usePgCluster();
let url: string;
let reader: string;
let sqlite: string;
let trace: string;

const RESTING_ETH = '0xfE333a7037438911fF2Bd91FA55b5DD35982ACE2';
const RESTING_TRON = 'TYaR4cFtrJgk4idVZbKdcVsWGMWJNgQHir';
const PEEL = 'TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu';

function expectSame(args: readonly string[]): CliRun {
  const file = hoptrace(['--db', sqlite, ...args]);
  expect(file.status, `${args.join(' ')} on the case file: ${file.stderr}`).toBe(0);
  for (const db of [url, reader]) {
    const onPg = hoptrace(['--db', db, ...args]);
    expect(onPg.stderr, `${args.join(' ')} on ${db}`).toBe(file.stderr);
    expect(onPg.status).toBe(0);
    expect(onPg.stdout).toBe(file.stdout);
  }
  return file;
}

beforeAll(async () => {
  const cluster = pgCluster.current;
  if (!cluster) return;
  const out = tempDir();
  expect(hoptrace(['demo', '--out', join(out, 'demo'), '--no-timestamp']).status).toBe(0);
  trace = join(out, 'demo', 'trace-fifo.json');
  sqlite = join(out, 'case.db');
  copyFileSync(join(out, 'demo', 'case.db'), sqlite);
  const freeze = join(out, 'freeze.csv');
  writeFileSync(
    freeze,
    `address,time,chain\n${RESTING_ETH.toLowerCase()},2025-04-01 10:00:00.000 UTC,ethereum\n0x${tronBase58ToHex(RESTING_TRON).slice(2)},2025-04-02 11:00:00.000 UTC,tron\n`,
  );
  expect(hoptrace(['--db', sqlite, 'ingest', 'blacklist', freeze]).status).toBe(0);
  expect(hoptrace(['--db', sqlite, 'ingest', 'exchange', join(ROOT, 'samples', 'exchange', 'exchange-one-return.csv')]).status).toBe(0);
  // Findings, a note and a cluster assertion, so that account has every section to show.
  expect(hoptrace(['--db', sqlite, 'detect']).status).toBe(0);
  const db = openCaseDb(sqlite);
  try {
    const id = (ident: string) => requireAccount(db, ident).id;
    insertNote(db, { accountId: id(PEEL) }, 'second hop of the peel chain; subpoena the exchange', '2025-05-01T09:00:00.000Z');
    insertClusterAssertion(db, { a: id(PEEL), b: id(RESTING_TRON), same: false, reason: 'different KYC at the exchange' }, '2025-05-02T10:00:00.000Z');
  } finally {
    db.close();
  }
  cluster.createDatabase('lookup');
  url = cluster.url('lookup');
  await copySqliteCaseToPg(sqlite, url);
  cluster.psql(
    'CREATE ROLE looker LOGIN; GRANT CONNECT ON DATABASE lookup TO looker; GRANT USAGE ON SCHEMA public TO looker; GRANT SELECT ON ALL TABLES IN SCHEMA public TO looker;',
    'lookup',
  );
  reader = url.replace('postgres://postgres@', 'postgres://looker@');
}, 240_000);

describe('look-up commands on a PostgreSQL case and the same case in a SQLite file', () => {
  it('account prints the same, text and JSON, for bank accounts and wallets', () => {
    for (const ident of ['DE29100100100987654321', 'DE68 5001 0517 4417 3209 65', RESTING_TRON, `ethereum:${RESTING_ETH.toLowerCase()}`, `account:${PEEL}`]) {
      const text = expectSame(['account', ident]);
      expect(text.stdout).toMatch(/^(bank|tron|ethereum):\S+.*\ntransfers \d+ in, \d+ out/);
      expectSame(['account', ident, '--json']);
    }
    const peel = expectSame(['account', PEEL]).stdout;
    for (const section of [
      '\ncluster 1 (9 accounts;',
      '\nfindings:\n  pass-through (score 0.998): TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu\n  peel-chain (score 0.5): TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67, TQ5oHJtRXKV5rKw6jqq1zSsYuHX9CT11Wm, TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu\n',
      '\nnotes:\n  2025-05-01T09:00:00.000Z  second hop of the peel chain; subpoena the exchange\n',
      `\ncluster assertions:\n  2025-05-02T10:00:00.000Z  tron:${PEEL} is never the same operator as tron:${RESTING_TRON}: different KYC at the exchange\n`,
    ])
      expect(peel).toContain(section);
    expect(expectSame(['account', 'DE29100100100987654321']).stdout).toContain('\ntags:\n');
    const missing = hoptrace(['--db', url, 'account', 'DE00NOSUCHACCOUNT']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(hoptrace(['--db', sqlite, 'account', 'DE00NOSUCHACCOUNT']).stderr);
  }, 240_000);

  it('account, transfers, endpoints, tags, search and exchange-movements read only what they show: no working copy of the case is written', () => {
    // A working copy is a temporary case file in TMPDIR; with no TMPDIR to write to, a command that took one fails.
    const env = { TMPDIR: join(sqlite, 'no-such-folder') };
    for (const args of [
      ['account', 'DE29100100100987654321', '--json'],
      ['transfers', '--account', 'DE29100100100987654321', '--limit', '3'],
      ['endpoints', '--json'],
      ['tags', '--category', 'exchange'],
      ['search', 'mule', '--json'],
      ['transfers', '--from', '2025-03-01', '--limit', '4'],
      ['exchange-movements'],
    ]) {
      const run = hoptrace(['--db', reader, ...args], { env });
      const file = hoptrace(['--db', sqlite, ...args]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe(file.stderr);
      expect(run.stdout).toBe(file.stdout);
    }
    expect(hoptrace(['--db', url, 'findings'], { env }).status).not.toBe(0);
  });

  it('search finds the same accounts and transfers', () => {
    for (const text of [
      'Schulz',
      'SCHULZ',
      'DE68',
      'de 68',
      'lotus',
      'mule',
      '%',
      'a_c',
      'T',
      '0x090f',
      '0X090F',
      '0x090fa40851205443ebe9625ebc941ad9cf93162c',
      'tron:TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu',
      '0e61209ff2f7920ac4a0310c363f8f8baa5f6a323cbfd3113e487c13ef407576',
      '0x0e61209ff2f7920ac4a0310c363f8f8baa5f6a323cbfd3113e487c13ef407576:99999999999999999999',
      'AH-REFUND-77',
      'ht-c2d0e72494dcda0acfa33e99',
      'nothing-like-this',
    ])
      expectSame(['search', text, '--json']);
    for (const text of ['Schulz', 'T', 'AH-REFUND-77', 'nothing-like-this']) expectSame(['search', text]);
    expect(hoptrace(['--db', url, 'search', 'Schulz']).stdout).toContain('account  bank:');
  }, 240_000);

  it('transfers pages the same, of one account and within a period', () => {
    const first = expectSame(['transfers', '--account', 'DE29100100100987654321', '--limit', '3', '--json']);
    const next = (JSON.parse(first.stdout) as { next: string | null }).next;
    expect(next).not.toBeNull();
    expectSame(['transfers', '--account', 'DE29100100100987654321', '--limit', '3', '--cursor', next!]);
    expectSame(['transfers', '--account', RESTING_TRON]);
    expectSame(['transfers', '--from', '2025-03-01', '--to', '2025-03-31', '--limit', '20', '--json']);
    expectSame(['transfers', '--limit', '500']);
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const run = expectSame(['transfers', '--limit', '7', '--to', '2025-04-30', '--json', ...(cursor ? ['--cursor', cursor] : [])]);
      cursor = (JSON.parse(run.stdout) as { next: string | null }).next;
      expect(cursor).toMatch(/^\d+\.\d+$/);
    }
    const bad = ['transfers', '--cursor', 'yesterday'];
    expect(hoptrace(['--db', url, ...bad]).stderr).toBe(hoptrace(['--db', sqlite, ...bad]).stderr);
    expect(hoptrace(['--db', url, ...bad]).status).toBe(1);
  }, 240_000);

  it('endpoints, tags and exchange-movements list the same', () => {
    expect(expectSame(['endpoints']).stdout.split('\n').length).toBeGreaterThan(2);
    expectSame(['endpoints', '--json']);
    expectSame(['tags']);
    expectSame(['tags', '--json']);
    expectSame(['tags', '--category', 'exchange']);
    expect(expectSame(['tags', '--account', 'TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT', '--json']).stdout).toContain('"label": "Exchange One hot wallet (invented)"');
    expect(expectSame(['exchange-movements']).stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}\S+ {2}(deposit|withdrawal)/);
    expectSame(['exchange-movements', '--unmatched', '--json']);
  });

  it("status reads the PostgreSQL case's freeze list: the same wallets frozen as on the case file", () => {
    const status = expectSame(['status', trace, '--json']);
    const frozen = (JSON.parse(status.stdout) as StatusResult).wallets.filter((w) => w.blacklisted).map((w) => `${w.rail}:${w.ident}`);
    expect(frozen.sort()).toEqual([`ethereum:${RESTING_ETH}`, `tron:${RESTING_TRON}`]);
    expectSame(['status', trace]);
  });
});
