import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary, BalanceMonth, CaseAssertion, ClusterDetails, Neighbours, SearchResult, TransferPage } from '../../src/model/explore.js';
import type { TraceResult } from '../../src/model/trace.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { BIN, ROOT, hoptrace, tempDir } from '../support/cli.js';
import { ANNA, GOLDEN_LOTUS_BANK, KEVIN, buildDemoCase, http } from '../support/workbench.js';

let db: string;
let server: RunningServer;
const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const get = (path: string, headers: Record<string, string> = auth) => http(server.port, 'GET', path, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  http(server.port, 'POST', path, { headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const json = async <T>(path: string): Promise<T> => {
  const answer = await get(path);
  expect(answer.status, answer.body).toBe(200);
  return JSON.parse(answer.body) as T;
};

beforeAll(async () => {
  db = buildDemoCase();
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  server = await startServer({ casePath: db, host: '127.0.0.1', port: 0, write: false, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
});

describe('the token', () => {
  it('is required by every API route: 401 without it or with a wrong one', async () => {
    for (const path of [
      '/api/info',
      '/api/search?q=anna',
      `/api/accounts/bank/${KEVIN}`,
      `/api/accounts/bank/${KEVIN}/transfers`,
      `/api/accounts/bank/${KEVIN}/neighbours`,
      '/api/clusters/1',
    ]) {
      expect((await get(path, {})).status, path).toBe(401);
      expect((await get(path, { Authorization: 'Bearer wrong-token-0123456789abcd' })).status, path).toBe(401);
      expect((await get(path, { Cookie: `hoptrace_token_${server.port}=wrong` })).status, path).toBe(401);
    }
    expect((await post('/api/trace', { seeds: [`account:${ANNA}`] }, {})).status).toBe(401);
    expect((await post('/api/notes', { account: `bank:${ANNA}`, text: 'x' }, {})).status).toBe(401);
    expect((await get('/', {})).status).toBe(401);
    expect((await get('/?token=wrong', {})).status).toBe(401);
  });

  it('moves from the printed URL into an HttpOnly SameSite=Strict cookie, which then opens the page and the API', async () => {
    const first = await get(`/?token=${TOKEN}&account=bank:${KEVIN}`, {});
    expect(first.status).toBe(303);
    expect(first.headers['set-cookie']).toEqual([`hoptrace_token_${server.port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(first.headers['location']).toBe(`/?account=bank%3A${KEVIN}`);
    const cookie = { Cookie: `hoptrace_token_${server.port}=${TOKEN}` };
    // Another port's cookie (another workbench on this machine) does not open this one.
    expect((await get('/api/info', { Cookie: `hoptrace_token_${server.port + 1}=${TOKEN}` })).status).toBe(401);
    const page = await get('/', cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/app.js" defer></script>');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/api/info', cookie)).status).toBe(200);
    const app = await get('/app.js', {});
    expect(app.status).toBe(200);
    expect(app.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // Bundled: nothing is fetched from elsewhere at run time.
    expect(app.body).not.toMatch(/unpkg\.com|cdn\.jsdelivr|cdnjs|fonts\.googleapis/);
  });
});

describe('the Host header', () => {
  it('must name this server: a rebound DNS name is refused', async () => {
    expect((await get('/api/info', { ...auth, Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get('/api/info', { ...auth, Host: `127.0.0.1:${server.port + 1}` })).status).toBe(421);
    expect((await get('/api/info', { ...auth, Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('a cross-origin POST is refused even with the token', async () => {
    expect((await post('/api/trace', { seeds: [`account:${ANNA}`] }, { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await http(server.port, 'POST', '/api/trace', { headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{"seeds":["x"]}' })).status).toBe(415);
  });
});

describe('the API on the demo case', () => {
  it('GET /api/info is byte for byte `info --json`', async () => {
    const cli = hoptrace(['--db', db, 'info', '--json']);
    expect(cli.status).toBe(0);
    expect((await get('/api/info')).body).toBe(cli.stdout);
  });

  it('POST /api/trace is byte for byte `trace --json` (same seeds, rule and limits)', async () => {
    const cli = hoptrace([
      '--db',
      db,
      'trace',
      `account:${ANNA}`,
      'account:NL45INGB0004123456',
      '--rule',
      'fifo',
      '--max-hops',
      '6',
      '--min-amount',
      '1',
      '--json',
    ]);
    expect(cli.status, cli.stderr).toBe(0);
    const api = await post('/api/trace', { seeds: [`account:${ANNA}`, 'account:NL45INGB0004123456'], rule: 'fifo', maxHops: 6, minAmount: '1' });
    expect(api.status, api.body).toBe(200);
    expect(api.body).toBe(cli.stdout);
    const trace = JSON.parse(api.body) as TraceResult;
    expect(trace.params.maxHops).toBe(6);
    expect(trace.totals.conserved).toBe(true);
  });

  it('POST /api/report is byte for byte the report `trace --report FILE --no-timestamp` writes, as a download', async () => {
    const file = join(tempDir('hoptrace-report-'), 'report.html');
    const cli = hoptrace(['--db', db, 'trace', `account:${ANNA}`, '--rule', 'libr', '--report', file, '--no-timestamp']);
    expect(cli.status, cli.stderr).toBe(0);
    const api = await post('/api/report', { seeds: [`account:${ANNA}`], rule: 'libr', format: 'html', timestamp: false });
    expect(api.status, api.body).toBe(200);
    expect(api.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(api.headers['content-disposition']).toBe('attachment; filename="hoptrace-report-libr.html"');
    expect(api.body).toBe(readFileSync(file, 'utf8'));
    expect((await post('/api/report', { seeds: [`account:${ANNA}`], format: 'pdf' })).status).toBe(400);
  });

  it("POST /api/trace answers 400 with the CLI's message for a bad seed or rule", async () => {
    const bad = await post('/api/trace', { seeds: [ANNA] });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      error: `seed "${ANNA}" matches no transfer in the case file — ${ANNA} is an account: trace its outgoing payments with account:${ANNA}`,
    });
    expect((await post('/api/trace', { seeds: [`account:${ANNA}`], rule: 'fastest' })).status).toBe(400);
    expect((await post('/api/trace', { seeds: [] })).status).toBe(400);
  });

  it('GET /api/search finds accounts and transfers', async () => {
    const r = await json<SearchResult>('/api/search?q=lotus');
    expect(r.accounts.map((a) => [a.rail, a.ident, a.matched])).toEqual([
      ['bank', GOLDEN_LOTUS_BANK, 'holder'],
      ['tron', 'TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo', 'tag'],
    ]);
    expect((await json<SearchResult>('/api/search?q=GL-INV-4502')).transfers.map((t) => [t.amount, t.to.ident])).toEqual([['20000.00', GOLDEN_LOTUS_BANK]]);
  });

  it('GET /api/accounts/{rail}/{ident} is `account --json`; an unknown account is 404, an unknown rail 400', async () => {
    const api = await get(`/api/accounts/bank/${KEVIN}`);
    expect(api.body).toBe(hoptrace(['--db', db, 'account', `bank:${KEVIN}`, '--json']).stdout);
    expect((JSON.parse(api.body) as AccountSummary).balances[0]!.balance).toBe('9300.00');
    expect((await get('/api/accounts/bank/DE00000000000000000000')).status).toBe(404);
    expect((await get(`/api/accounts/swift/${KEVIN}`)).status).toBe(400);
  });

  it("GET …/transfers pages with a cursor (keyset): pages of 5, 5, 1 cover Kevin's 11 statement lines once", async () => {
    const refs: string[] = [];
    let cursor = '';
    const sizes: number[] = [];
    for (;;) {
      const page = await json<TransferPage>(`/api/accounts/bank/${KEVIN}/transfers?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      sizes.push(page.transfers.length);
      refs.push(...page.transfers.map((t) => t.ref));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(sizes).toEqual([5, 5, 1]);
    expect(refs).toEqual([
      'SAL-2025-03',
      'DE-KS-0305-1',
      'MIETE-03',
      'DE-KS-0312-1',
      'DE-KS-0319-1',
      'GL-INV-4471',
      'DE-KS-0326-1',
      'SAL-2025-04',
      'DE-KS-0402-1',
      'GL-INV-4502',
      'MIETE-04',
    ]);
    const newest = await json<TransferPage>(`/api/accounts/bank/${KEVIN}/transfers?limit=2&order=desc`);
    expect(newest.transfers.map((t) => t.ref)).toEqual(['MIETE-04', 'GL-INV-4502']);
    expect((await get(`/api/accounts/bank/${KEVIN}/transfers?cursor=nonsense`)).status).toBe(400);
    expect((await get(`/api/accounts/bank/${KEVIN}/transfers?limit=0`)).status).toBe(400);
  });

  it("GET …/history gives the balance month by month: Kevin's statement balance at the end of March and of April", async () => {
    // March: in 2,300 + 10,000 + 5,000 + 15,000 + 12,000 = 44,300, out 900 + 24,000 = 24,900 → 19,400
    // (the statement's balance after 26 March); April: in 2,300 + 8,500, out 20,000 + 900 → 9,300.
    expect(await json<BalanceMonth[]>(`/api/accounts/bank/${KEVIN}/history`)).toEqual([
      { asset: 'EUR', month: '2025-03', received: '44300.00', sent: '24900.00', balance: '19400.00' },
      { asset: 'EUR', month: '2025-04', received: '10800.00', sent: '20900.00', balance: '9300.00' },
    ]);
  });

  it("GET …/neighbours sums each counterparty's flows per asset and shows the conversion (link) edge", async () => {
    const n = await json<Neighbours>(`/api/accounts/bank/${KEVIN}/neighbours`);
    const flows = Object.fromEntries(
      n.neighbours.map((m) => [m.ident, { sent: m.sent.map((f) => `${f.count}×${f.amount}`), received: m.received.map((f) => `${f.count}×${f.amount}`) }]),
    );
    expect(flows).toEqual({
      [ANNA]: { sent: [], received: ['3×33500.00'] }, // 10,000 + 15,000 + 8,500
      DE94370400440532013007: { sent: [], received: ['2×17000.00'] }, // Jonas: 5,000 + 12,000
      DE65370501980001112223: { sent: [], received: ['2×4600.00'] }, // two salaries
      DE68100500000445566778: { sent: ['2×1800.00'], received: [] }, // two rents
      [GOLDEN_LOTUS_BANK]: { sent: ['2×44000.00'], received: [] }, // invoices 4471 and 4502
    });
    // Kevin's two invoices were answered in USDT by the OTC desk's hot wallet (samples/links).
    expect(n.conversions.map((c) => [c.fiatTo.ident, c.cryptoFrom.ident, c.links])).toEqual([[GOLDEN_LOTUS_BANK, 'TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo', 2]]);
    expect(n.omitted).toBe(0);
  });

  it('GET /api/clusters/{id} lists the members and the evidence of each merge; 404 for none', async () => {
    const c = await json<ClusterDetails>('/api/clusters/1');
    expect(c.accounts.map((a) => a.ident)).toContain('TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr');
    expect(c.accounts).toHaveLength(9);
    expect(c.merges.length).toBeGreaterThan(0);
    for (const m of c.merges) expect(c.accounts.map((a) => a.ident)).toContain(m.a);
    expect((await get('/api/clusters/999')).status).toBe(404);
  });

  it('read-only: POST /api/notes is 403 and the case file is not changed', async () => {
    const before = hoptrace(['--db', db, 'account', ANNA, '--json']).stdout;
    const answer = await post('/api/notes', { account: `bank:${ANNA}`, text: 'called the bank' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the workbench is read-only: start it with hoptrace serve --write to write notes' });
    expect(hoptrace(['--db', db, 'account', ANNA, '--json']).stdout).toBe(before);
  });

  it('an unknown route is 404, another method 405', async () => {
    expect((await get('/api/nothing')).status).toBe(404);
    expect((await http(server.port, 'DELETE', '/api/info', { headers: auth })).status).toBe(405);
  });
});

describe('serve --write', () => {
  it('stores notes on accounts and transfers in the case file, shown by account --json', async () => {
    const copy = join(tempDir('hoptrace-notes-'), 'case.db');
    copyFileSync(db, copy);
    const writable = await startServer({ casePath: copy, host: '127.0.0.1', port: 0, write: true, token: TOKEN });
    try {
      const note = await http(writable.port, 'POST', '/api/notes', {
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ account: `bank:${KEVIN}`, text: 'Kevin admitted opening the account for a "job offer"' }),
      });
      expect(note.status, note.body).toBe(201);
      expect(JSON.parse(note.body)).toMatchObject({
        id: 1,
        target: 'account',
        ref: `bank:${KEVIN}`,
        text: 'Kevin admitted opening the account for a "job offer"',
      });
      const onTransfer = await http(writable.port, 'POST', '/api/notes', {
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ transfer: 2, text: 'first victim payment' }),
      });
      expect(onTransfer.status).toBe(201);
      expect(
        (
          await http(writable.port, 'POST', '/api/notes', {
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ transfer: 99999, text: 'x' }),
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await http(writable.port, 'POST', '/api/notes', {
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ account: `bank:${KEVIN}`, text: '  ' }),
          })
        ).status,
      ).toBe(400);
    } finally {
      await writable.close();
    }
    const summary = JSON.parse(hoptrace(['--db', copy, 'account', KEVIN, '--json']).stdout) as AccountSummary;
    expect(summary.notes.map((n) => [n.target, n.ref, n.text])).toEqual([['account', `bank:${KEVIN}`, 'Kevin admitted opening the account for a "job offer"']]);
  });
});

describe('serve --write: cluster assertions', () => {
  it('stores them with an audit log entry; hoptrace cluster applies them (a manual merge, a refused merge); the cluster evidence, account and report show them', async () => {
    const copy = join(tempDir('hoptrace-assert-'), 'case.db');
    copyFileSync(db, copy);
    const writable = await startServer({ casePath: copy, host: '127.0.0.1', port: 0, write: true, token: TOKEN });
    const send = (body: unknown) =>
      http(writable.port, 'POST', '/api/assertions', { headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    let same: CaseAssertion;
    try {
      const answer = await send({
        a: `bank:${KEVIN}`,
        b: 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK',
        same: true,
        reason: 'Kevin named the wallet in his interview',
      });
      expect(answer.status, answer.body).toBe(201);
      same = JSON.parse(answer.body) as CaseAssertion;
      expect(same).toMatchObject({
        id: 1,
        a: `bank:${KEVIN}`,
        b: 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK',
        same: true,
        reason: 'Kevin named the wallet in his interview',
      });
      // Two wallets the fee-funder heuristic joins (cluster 1), asserted never one operator's.
      expect(
        (
          await send({
            a: 'tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr',
            b: 'tron:TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67',
            same: false,
            reason: 'the funder is an energy-rental market',
          })
        ).status,
      ).toBe(201);
      expect((await send({ a: `bank:${KEVIN}`, b: `bank:${KEVIN}`, same: true, reason: 'x' })).status).toBe(400);
      expect((await send({ a: `bank:${KEVIN}`, b: 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK', same: true, reason: ' ' })).status).toBe(400);
      expect((await send({ a: `bank:${KEVIN}`, b: 'bank:DE00000000000000000000', same: true, reason: 'x' })).status).toBe(404);
      expect((await send({ a: `bank:${KEVIN}`, b: 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK', same: 'yes', reason: 'x' })).status).toBe(400);
      // Before hoptrace cluster runs again, cluster 1's evidence lists the assertion naming its member.
      const cluster = JSON.parse((await http(writable.port, 'GET', '/api/clusters/1', { headers: auth })).body) as ClusterDetails;
      expect(cluster.assertions.map((x) => [x.a, x.b, x.same])).toEqual([
        ['tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr', 'tron:TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67', false],
      ]);
    } finally {
      await writable.close();
    }
    const log = JSON.parse(hoptrace(['--db', copy, 'log', '--json']).stdout) as { action: string; changes: Record<string, number> }[];
    expect(log.filter((e) => e.action === 'assert cluster').map((e) => e.changes)).toEqual([
      { assertions: 1, a: expect.any(Number), b: expect.any(Number), same: 1 },
      { assertions: 1, a: expect.any(Number), b: expect.any(Number), same: 0 },
    ]);
    // The stored clusters were computed without them: stale until hoptrace cluster runs again.
    expect((JSON.parse(hoptrace(['--db', copy, 'info', '--json']).stdout) as { stale: string[] }).stale).toContain('clusters');
    const account = JSON.parse(hoptrace(['--db', copy, 'account', KEVIN, '--json']).stdout) as AccountSummary;
    expect(account.assertions).toEqual([same!]);

    const run = hoptrace(['--db', copy, 'cluster', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const clustered = JSON.parse(run.stdout) as {
      clusters: { accounts: { ident: string }[] }[];
      merges: { a: string; b: string; heuristic: string; reason: string }[];
      conflicts: { a: string; b: string; reason: string }[];
    };
    expect(clustered.merges.filter((m) => m.heuristic === 'manual')).toEqual([
      {
        a: `bank:${KEVIN}`,
        b: 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK',
        heuristic: 'manual',
        confidence: 100,
        evidence: [],
        reason: `asserted in the workbench on ${same!.createdAt.slice(0, 10)}: Kevin named the wallet in his interview`,
      },
    ]);
    expect(clustered.conflicts).toEqual([
      {
        a: 'tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr',
        b: 'tron:TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67',
        heuristic: 'funder',
        reason: 'asserted never to merge (manual "not")',
      },
    ]);
    const clusterOf = (ident: string) => clustered.clusters.findIndex((c) => c.accounts.some((a) => a.ident === ident));
    expect(clusterOf(KEVIN)).toBe(clusterOf('TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK'));
    expect(clusterOf(KEVIN)).toBeGreaterThanOrEqual(0);
    expect(clusterOf('TH6Yb4kXYJeRP17CvCo68RUd2TzEzPYe67')).not.toBe(clusterOf('TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr'));
    expect((JSON.parse(hoptrace(['--db', copy, 'info', '--json']).stdout) as { stale: string[] }).stale).not.toContain('clusters');

    // The evidence report shows the assertion beside Kevin's account.
    const file = join(tempDir('hoptrace-assert-'), 'report.md');
    expect(hoptrace(['--db', copy, 'trace', `account:${ANNA}`, '--rule', 'fifo', '--report', file, '--no-timestamp']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(
      `\nInvestigator's cluster assertion, ${same!.createdAt.slice(0, 16).replace('T', ' ')} UTC: the same operator as tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK — Kevin named the wallet in his interview\n`,
    );
  });

  it('read-only: POST /api/assertions is 403', async () => {
    const answer = await post('/api/assertions', { a: `bank:${KEVIN}`, b: `bank:${ANNA}`, same: true, reason: 'x' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the workbench is read-only: start it with hoptrace serve --write to assert clusters' });
  });
});

describe('a case file from before the notes table', () => {
  it('is served read-only as it is (not migrated): accounts answer with no notes', async () => {
    const old = join(tempDir('hoptrace-v2-'), 'case.db');
    copyFileSync(db, old);
    const raw = new Database(old);
    raw.exec('DROP TABLE notes; PRAGMA user_version = 2;');
    raw.close();
    const reader = await startServer({ casePath: old, host: '127.0.0.1', port: 0, write: false, token: TOKEN });
    try {
      const answer = await http(reader.port, 'GET', `/api/accounts/bank/${KEVIN}`, { headers: auth });
      expect(answer.status, answer.body).toBe(200);
      expect((JSON.parse(answer.body) as AccountSummary).notes).toEqual([]);
    } finally {
      await reader.close();
    }
    const check = new Database(old, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});

describe('hoptrace serve (the real CLI)', () => {
  it('prints a loopback URL with a token; without the token the API answers 401, with it 200', async () => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0'], { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          out += text;
          const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}/.exec(out);
          if (found) resolve(found[0]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const { port, searchParams } = new URL(url);
      expect((await http(Number(port), 'GET', '/api/info')).status).toBe(401);
      expect((await http(Number(port), 'GET', '/api/info', { headers: { Authorization: `Bearer ${searchParams.get('token')}` } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
