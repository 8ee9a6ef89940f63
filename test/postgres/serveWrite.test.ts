import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorkbench, type Workbench } from '../../src/cli/run/serve.js';
import type { AccountSummary, ClusterDetails } from '../../src/model/explore.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { dumpPgCase, dumpSqliteCase } from '../support/caseDump.js';
import { copySqliteCaseToPg } from '../support/pgFromSqlite.js';
import { usePgCluster } from '../support/postgres.js';
import { GOLDEN_LOTUS_BANK, KEVIN, buildDemoCase, http, serveWrite, type HttpAnswer } from '../support/workbench.js';

// serve --write on a PostgreSQL case (docs/postgresql.md, "The workbench"): each note or cluster
// assertion is stored in PostgreSQL with the row and audit-log entry a case file gets, and the
// workbench shows it at once. The demo case as a case file and the same rows in PostgreSQL.
const pgCluster = usePgCluster();
const TOKEN = 'test-token-0123456789abcdef';
const WALLET = 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK';
const NOW = '2026-12-01T10:00:00.000Z';
let demo: string;

beforeAll(() => {
  if (pgCluster.current) demo = buildDemoCase();
}, 240_000);

afterEach(() => {
  vi.useRealTimers();
});

/** A fresh copy of the demo case as a file and in a new PostgreSQL database; their --db values. */
async function bothCases(name: string): Promise<{ file: string; url: string }> {
  const file = join(tempDir('hoptrace-serve-write-'), 'case.db');
  copyFileSync(demo, file);
  const cluster = pgCluster.current!;
  cluster.createDatabase(name);
  await copySqliteCaseToPg(file, cluster.url(name));
  return { file, url: cluster.url(name) };
}

async function withWorkbench<T>(db: string, use: (workbench: Workbench) => Promise<T>): Promise<T> {
  const workbench = await startWorkbench({ db }, { host: '127.0.0.1', port: 0, write: true, token: TOKEN });
  try {
    return await use(workbench);
  } finally {
    await workbench.running.close();
    workbench.close();
  }
}

const call = (port: number, method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
  http(port, method, path, {
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** The workbench's writes, good and refused, then the reads that show them: each answer's status and body. */
async function writeAndRead(port: number): Promise<string[]> {
  const steps: [string, string, unknown?][] = [
    ['POST', '/api/notes', { account: `bank:${KEVIN}`, text: 'Kevin admitted opening the account for a "job offer"' }],
    ['POST', '/api/notes', { transfer: 2, text: 'first victim payment' }],
    ['POST', '/api/notes', { transfer: 99999, text: 'x' }],
    ['POST', '/api/notes', { account: `bank:${KEVIN}`, text: '  ' }],
    ['POST', '/api/notes', { account: 'bank:DE00000000000000000000', text: 'x' }],
    ['POST', '/api/assertions', { a: `bank:${KEVIN}`, b: WALLET, same: true, reason: 'Kevin named the wallet in his interview' }],
    [
      'POST',
      '/api/assertions',
      {
        a: 'tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr',
        b: 'tron:TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67',
        same: false,
        reason: 'the funder is an energy-rental market',
      },
    ],
    ['POST', '/api/assertions', { a: `bank:${KEVIN}`, b: `bank:${KEVIN}`, same: true, reason: 'x' }],
    ['POST', '/api/assertions', { a: `bank:${KEVIN}`, b: WALLET, same: true, reason: ' ' }],
    ['POST', '/api/notes', { account: `bank:${GOLDEN_LOTUS_BANK}`, text: 'the OTC desk' }],
    ['GET', `/api/accounts/bank/${KEVIN}`],
    ['GET', `/api/accounts/bank/${GOLDEN_LOTUS_BANK}`],
    ['GET', '/api/clusters/1'],
  ];
  const answers: string[] = [];
  for (const [method, path, body] of steps) {
    const answer = await call(port, method, path, body);
    answers.push(`${method} ${path} ${answer.status}\n${answer.body}`);
  }
  return answers;
}

describe('serve --write on a PostgreSQL case', () => {
  it('answers the same POSTs as on the case file and stores the same notes, assertions and audit log', async () => {
    const { file, url } = await bothCases('same');
    // Both workbenches run in this process: one clock for the notes' and the log entries' times.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(NOW));
    const onFile = await withWorkbench(file, (workbench) => writeAndRead(workbench.running.port));
    const onPg = await withWorkbench(url, async (workbench) => {
      expect(workbench.location).toBe(url);
      expect(workbench.mode).toBe(
        'write: notes and assertions are stored in the PostgreSQL case; the rest is the case as it was when serve started; restart serve to see later changes',
      );
      return writeAndRead(workbench.running.port);
    });
    vi.useRealTimers();
    expect(onPg).toEqual(onFile);
    expect(onPg.map((answer) => answer.split('\n')[0])).toEqual([
      'POST /api/notes 201',
      'POST /api/notes 201',
      'POST /api/notes 400',
      'POST /api/notes 400',
      'POST /api/notes 404',
      'POST /api/assertions 201',
      'POST /api/assertions 201',
      'POST /api/assertions 400',
      'POST /api/assertions 400',
      'POST /api/notes 201',
      `GET /api/accounts/bank/${KEVIN} 200`,
      `GET /api/accounts/bank/${GOLDEN_LOTUS_BANK} 200`,
      'GET /api/clusters/1 200',
    ]);
    expect(JSON.parse(onPg[0]!.slice(onPg[0]!.indexOf('\n')))).toEqual({
      id: 1,
      target: 'account',
      ref: `bank:${KEVIN}`,
      text: 'Kevin admitted opening the account for a "job offer"',
      createdAt: NOW,
    });
    expect(onPg[2]).toBe('POST /api/notes 400\n{\n  "error": "no transfer 99999 in the case file"\n}\n');
    expect(JSON.parse(onPg[5]!.slice(onPg[5]!.indexOf('\n')))).toEqual({
      id: 1,
      a: `bank:${KEVIN}`,
      b: WALLET,
      same: true,
      reason: 'Kevin named the wallet in his interview',
      createdAt: NOW,
    });
    // A read after the writes shows them: the account's notes, the cluster's assertion.
    const kevin = JSON.parse(onPg[10]!.slice(onPg[10]!.indexOf('\n'))) as AccountSummary;
    expect(kevin.notes.map((n) => [n.id, n.target, n.ref, n.text, n.createdAt])).toEqual([
      [1, 'account', `bank:${KEVIN}`, 'Kevin admitted opening the account for a "job offer"', NOW],
    ]);
    const desk = JSON.parse(onPg[11]!.slice(onPg[11]!.indexOf('\n'))) as AccountSummary;
    expect(desk.notes.map((n) => [n.id, n.text])).toEqual([[3, 'the OTC desk']]);
    const cluster = JSON.parse(onPg[12]!.slice(onPg[12]!.indexOf('\n'))) as ClusterDetails;
    expect(cluster.assertions.map((x) => [x.a, x.b, x.same])).toEqual([
      ['tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr', 'tron:TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67', false],
    ]);

    // The same rows and the same log, entry for entry (hash chain included: same times, same command).
    const logPg = hoptrace(['--db', url, 'log', '--json']);
    expect(logPg.status).toBe(0);
    expect(logPg.stdout).toBe(hoptrace(['--db', file, 'log', '--json']).stdout);
    const log = JSON.parse(logPg.stdout) as { action: string; changes: Record<string, number> }[];
    expect(log.slice(-5).map((e) => [e.action, e.changes])).toEqual([
      ['add note', { notes: 1, account: expect.any(Number) }],
      ['add note', { notes: 1, transfer: 2 }],
      ['assert cluster', { assertions: 1, a: expect.any(Number), b: expect.any(Number), same: 1 }],
      ['assert cluster', { assertions: 1, a: expect.any(Number), b: expect.any(Number), same: 0 }],
      ['add note', { notes: 1, account: expect.any(Number) }],
    ]);
    const dump = await dumpPgCase(url);
    expect(dump['notes']).toHaveLength(3);
    expect(dump['cluster_assertions']).toHaveLength(2);
    expect(dump).toEqual(dumpSqliteCase(file));
    const verify = hoptrace(['--db', url, 'verify']);
    expect(verify.status, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`audit log: ok, ${log.length} entries`);
  });

  it('is refused at start to a role that may only read, and nothing changes', async () => {
    const { url } = await bothCases('readonly');
    const cluster = pgCluster.current!;
    cluster.psql(
      'CREATE ROLE viewer LOGIN; GRANT CONNECT ON DATABASE readonly TO viewer; GRANT USAGE ON SCHEMA public TO viewer; GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer;',
      'readonly',
    );
    const reader = url.replace('postgres://postgres@', 'postgres://viewer@');
    const before = hoptrace(['--db', url, 'log', '--json']).stdout;
    const refused = hoptrace(['--db', reader, 'serve', '--write', '--port', '0']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `hoptrace: ${reader}: this database role may not change the case (no INSERT on notes), and serve --write stores notes and assertions there — run serve --write as a role that may write to the case; serve without --write shows it to a read-only role (docs/postgresql.md)\n`,
    );
    expect(hoptrace(['--db', url, 'log', '--json']).stdout).toBe(before);
  });

  it('waits for another writer holding the case, saying so, then stores the note; the workbench shows it; past the busy timeout it stores nothing', async () => {
    const { url } = await bothCases('waiting');
    const waiting = await serveWrite(url);
    const impatient = await serveWrite(url, { HOPTRACE_BUSY_TIMEOUT_MS: '300' });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      expect(waiting.printed).toMatch(
        new RegExp(
          `^hoptrace workbench on ${url} \\(write: notes and assertions are stored in the PostgreSQL case; the rest is the case as it was when serve started; restart serve to see later changes\\):\n`,
        ),
      );
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const refused = await waiting.post('/api/notes', { account: `bank:${KEVIN}`, text: 'x' }, impatient.port, impatient.headers);
      expect([refused.status, refused.headers['retry-after']]).toEqual([503, '1']);
      expect(JSON.parse(refused.body)).toEqual({
        error: `${url}: the case is busy: another hoptrace process is writing to it — wait for it to finish and run the command again`,
      });
      const posting = waiting.post('/api/notes', { account: `bank:${KEVIN}`, text: 'waited for the lock' });
      for (let i = 0; i < 600; i++) {
        const locks = await holder.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        if (locks.rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await holder.query('SELECT COUNT(*)::int AS n FROM notes')).rows[0].n).toBe(0);
      await holder.query('COMMIT');
      const answer = await posting;
      expect(answer.status, answer.body).toBe(201);
      expect(JSON.parse(answer.body)).toMatchObject({ id: 1, target: 'account', ref: `bank:${KEVIN}`, text: 'waited for the lock' });
      const notice = `hoptrace: another hoptrace process is writing to this case (${url}); waiting for it to finish…\n`;
      expect(waiting.stderr()).toBe(notice);
      expect(impatient.stderr()).toBe(notice);
      const summary = await http(waiting.port, 'GET', `/api/accounts/bank/${KEVIN}`, { headers: waiting.headers });
      expect((JSON.parse(summary.body) as AccountSummary).notes.map((n) => n.text)).toEqual(['waited for the lock']);
    } finally {
      waiting.kill();
      impatient.kill();
      await holder.end();
    }
    const stored = JSON.parse(hoptrace(['--db', url, 'account', KEVIN, '--json']).stdout) as AccountSummary;
    expect(stored.notes.map((n) => [n.id, n.text])).toEqual([[1, 'waited for the lock']]);
    expect((JSON.parse(hoptrace(['--db', url, 'log', '--json']).stdout) as { action: string }[]).filter((e) => e.action === 'add note')).toHaveLength(1);
  });
});
