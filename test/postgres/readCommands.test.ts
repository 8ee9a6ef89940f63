import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_NAMES, type TraceResult } from '../../src/model/trace.js';
import type { AuditEntry } from '../../src/store/auditLog.js';
import { appendLogPg } from '../../src/store/pg/auditLogPg.js';
import type { CaseInfo } from '../../src/store/info.js';
import { BIN, hoptrace, runProcess, tempDir, type CliRun } from '../support/cli.js';
import { copySqliteCaseToPg } from '../support/pgFromSqlite.js';
import { usePgCluster } from '../support/postgres.js';
import { http } from '../support/workbench.js';

// The read and analysis commands on PostgreSQL (docs/postgresql.md, "What runs on PostgreSQL"):
// the demo case (hoptrace demo: bank statements, exchange books, USDT on two chains, tags, links,
// cluster assertions) as a case file and the same rows in PostgreSQL; each command on both must
// print and write the same bytes, apart from the lines that name the case itself.
const SEEDS = ['account:DE68500105174417320965', 'account:NL45INGB0004123456', 'account:0x090fa40851205443ebe9625ebc941ad9cf93162c'];

const pgCluster = usePgCluster();
let url: string;
let sqlite: string;
let out: string;

/** The same command on the PostgreSQL case and on the case file. */
function onBoth(args: readonly string[], name = ''): { pg: CliRun; file: CliRun } {
  const at = (db: string, side: string) => hoptrace(['--db', db, ...args.map((a) => a.replace('{side}', `${side}${name}`))]);
  return { pg: at(url, 'pg'), file: at(sqlite, 'file') };
}

/** Output files are named after their side (pg…, file…): the same name on both for comparison. */
const sideless = (text: string): string => text.replaceAll(/([/-])(pg|file)(?=[\d./:-]|$)/gm, '$1SIDE');

function expectSame(args: readonly string[]): CliRun {
  const { pg: onPg, file } = onBoth(args);
  expect(sideless(onPg.stderr)).toBe(sideless(file.stderr));
  expect(onPg.status).toBe(0);
  expect(onPg.stdout).toBe(file.stdout);
  return onPg;
}

/** A report or trace without the lines that name the case (its path or database, the file's hash, the log head). */
function withoutCaseLines(text: string, casePath: string): string {
  return text
    .split('\n')
    .filter((line) => !/Case (file|database)|Audit log head|"path"|"sha256"|"logHead"|hoptrace 0\./.test(line))
    .join('\n')
    .replaceAll(casePath, 'CASE');
}

async function query<T extends pg.QueryResultRow>(sql: string, db = url): Promise<T[]> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** `hoptrace serve` on `db` until `use` ends: its port and a GET/POST that carries the token. */
async function serving<T>(
  db: string,
  use: (call: (method: string, path: string, body?: unknown) => Promise<string>, printed: string) => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0']);
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (/token=\S+\n/.test(text)) resolve(text);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const { port, searchParams } = new URL(/http:\/\/\S+/.exec(printed)![0]);
    const headers = { Authorization: `Bearer ${searchParams.get('token')}`, 'Content-Type': 'application/json' };
    return await use(async (method, path, body) => {
      const answer = await http(Number(port), method, path, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      expect(answer.status, `${method} ${path}: ${answer.body}`).toBe(200);
      return answer.body;
    }, printed);
  } finally {
    child.kill('SIGTERM');
  }
}

beforeAll(async () => {
  const cluster = pgCluster.current;
  if (!cluster) return;
  out = tempDir();
  const demo = hoptrace(['demo', '--out', join(out, 'demo'), '--no-timestamp']);
  expect(demo.status).toBe(0);
  sqlite = join(out, 'case.db');
  copyFileSync(join(out, 'demo', 'case.db'), sqlite);
  cluster.createDatabase('demo');
  url = cluster.url('demo');
  await copySqliteCaseToPg(sqlite, url);
  cluster.psql(
    'CREATE ROLE analyst LOGIN; GRANT CONNECT ON DATABASE demo TO analyst; GRANT USAGE ON SCHEMA public TO analyst; GRANT SELECT ON ALL TABLES IN SCHEMA public TO analyst;',
    'demo',
  );
}, 240_000);

describe('read commands on a PostgreSQL case and the same case in a SQLite file', () => {
  it('log, sources and verify print the same, text and JSON', () => {
    for (const args of [['log'], ['log', '--json'], ['sources'], ['sources', '--json'], ['verify'], ['verify', '--json']]) expectSame(args);
    const log = JSON.parse(hoptrace(['--db', url, 'log', '--json']).stdout) as AuditEntry[];
    expect(log.length).toBe(13);
    expect(log.at(-1)!.action).toBe('cluster');
    const verify = hoptrace(['--db', url, 'verify']);
    expect(verify.stdout).toContain('database integrity: ok; foreign-key violations: 0; transfers without a source: 0\n');
  });

  it('findings, cluster --explain and info read the stored results the same', () => {
    expectSame(['findings', '--json']);
    expectSame(['cluster', '--explain', 'TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu']);
    expectSame(['info', '--json']);
  });

  it('export writes the same files in every format, of the case, its clusters and a trace', () => {
    const trace = join(out, 'demo', 'trace-fifo.json');
    const files: [string[], string][] = [
      [['--format', 'graphology'], 'json'],
      [['--format', 'graphml'], 'graphml'],
      [['--format', 'gexf', '--level', 'cluster'], 'gexf'],
      [['--format', 'stix', '--clusters'], 'json'],
      [['--format', 'tagpack'], 'yaml'],
      [['--format', 'graphology', '--trace', trace], 'json'],
    ];
    for (const [i, [args, extension]] of files.entries()) {
      const run = expectSame(['export', ...args, '--out', join(out, `{side}.${extension}`)].map((a) => a.replace('{side}', `{side}${i}`)));
      expect(run.status).toBe(0);
      const written = readFileSync(join(out, `pg${i}.${extension}`), 'utf8');
      expect(written.length).toBeGreaterThan(1000);
      expect(written).toBe(readFileSync(join(out, `file${i}.${extension}`), 'utf8'));
    }
    expectSame(['export', '--format', 'neo4j', '--out', join(out, 'neo4j-{side}')]);
    const names = readdirSync(join(out, 'neo4j-pg')).sort();
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(readdirSync(join(out, 'neo4j-file')).sort());
    for (const name of names) expect(readFileSync(join(out, 'neo4j-pg', name), 'utf8')).toBe(readFileSync(join(out, 'neo4j-file', name), 'utf8'));
  });

  describe.each(RULE_NAMES)('under --rule %s', (rule) => {
    it('trace --report (with --compare) and report in every format are the same apart from the case lines', () => {
      const traced = onBoth(
        ['trace', ...SEEDS, '--rule', rule, '--out', join(out, `{side}.json`), '--report', join(out, `{side}.md`), '--compare', 'fifo,libr', '--no-timestamp'],
        `-${rule}`,
      );
      expect(traced.pg.stderr).toBe(`trace written to ${join(out, `pg-${rule}.json`)} (case ${url})\nreport written to ${join(out, `pg-${rule}.md`)}\n`);
      expect(traced.pg.status).toBe(0);
      expect(withoutCaseLines(traced.pg.stdout, url)).toBe(withoutCaseLines(traced.file.stdout, sqlite));
      const read = (side: string, ext: string): string => readFileSync(join(out, `${side}-${rule}.${ext}`), 'utf8');
      expect((JSON.parse(read('pg', 'json')) as TraceResult).edges.length).toBeGreaterThan(0);
      expect(read('pg', 'md')).toContain(`- Case database: \`${url}\`, SHA-256 \`none (a database, not a file: the audit log head pins its content)\``);
      expect(read('pg', 'md')).toContain('Sensitivity to the tracing rule');
      expect(withoutCaseLines(read('pg', 'md'), url)).toBe(withoutCaseLines(read('file', 'md'), sqlite));
      for (const format of ['md', 'html', 'json', 'csv']) {
        const run = onBoth(
          ['report', join(out, `{side}.json`), '--format', format, '--out', join(out, `{side}.report.${format}`), '--no-timestamp'],
          `-${rule}`,
        );
        expect(run.pg.status).toBe(0);
        expect(run.pg.stderr).not.toContain('not found');
        const pgReport = read('pg', `report.${format}`);
        if (format === 'md') expect(pgReport).toContain('| Anna Becker — bank:DE68500105174417320965 | Anna Becker, 2025-03-05, DE-KS-0305-1;');
        expect(withoutCaseLines(pgReport.replaceAll(url, 'CASE'), url)).toBe(
          withoutCaseLines(read('file', `report.${format}`).replaceAll(sqlite, 'CASE'), sqlite),
        );
      }
    });
  });

  it('compare prints the same range of opinion across the rules, text and JSON', () => {
    const run = expectSame(['compare', ...SEEDS, '--rules', 'fifo,lifo,libr,pro-rata']);
    expect(run.stdout).toContain('rules compared: fifo, lifo, libr, pro-rata\n');
    expectSame(['compare', ...SEEDS, '--rules', 'fifo,libr', '--max-hops', '3', '--json']);
  });

  it('a report of a trace made on PostgreSQL reads the names from the database the trace names, without --db', () => {
    const report = hoptrace(['report', join(out, 'pg-fifo.json'), '--format', 'md', '--out', join(out, 'no-db.md'), '--no-timestamp']);
    expect(report.status).toBe(0);
    expect(readFileSync(join(out, 'no-db.md'), 'utf8')).toBe(readFileSync(join(out, 'pg-fifo.report.md'), 'utf8'));
  });

  it('a read-only role runs the read commands, and is told plainly that cluster and detect store results', async () => {
    const reader = url.replace('postgres://postgres@', 'postgres://analyst@');
    for (const args of [
      ['log', '--json'],
      ['sources'],
      ['verify', '--json'],
      ['findings', '--json'],
      ['cluster', '--explain', 'TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu'],
      ['export', '--format', 'gexf', '--out', join(out, 'reader.gexf')],
      ['report', join(out, 'pg-fifo.json'), '--format', 'md', '--out', join(out, 'reader.md'), '--no-timestamp'],
    ]) {
      const run = hoptrace(['--db', reader, ...args]);
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toBe(hoptrace(['--db', url, ...args]).stdout);
    }
    expect(readFileSync(join(out, 'reader.md'), 'utf8')).toBe(readFileSync(join(out, 'pg-fifo.report.md'), 'utf8'));
    const entries = (await query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_log'))[0]!.n;
    for (const [command, table] of [
      ['cluster', 'cluster_assertions'],
      ['detect', 'findings'],
    ] as const) {
      const refused = hoptrace(['--db', reader, command]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(
        `hoptrace: ${reader}: this database role may not change the case (no INSERT on ${table}), and ${command} stores its results there — run ${command} as a role that may write to the case; a read-only role runs every read command (docs/postgresql.md)\n`,
      );
    }
    expect((await query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_log'))[0]!.n).toBe(entries);
  });

  it('cluster and detect store the same results, each with its audit-log entry, and the case still verifies', async () => {
    const before = (JSON.parse(hoptrace(['--db', url, 'log', '--json']).stdout) as AuditEntry[]).length;
    expectSame(['cluster', '--json']);
    expectSame(['cluster', '--heuristics', 'funder,sweep', '--funder-max-fan-out', '10']);
    expectSame(['detect', '--json']);
    expectSame(['detect', '--typologies', 'fan-in,fan-out', '--window', '48h']);
    expectSame(['findings']);
    const info = expectSame(['info', '--json']);
    expect((JSON.parse(info.stdout) as CaseInfo).stale).toEqual([]);
    for (const table of ['clusters', 'cluster_evidence', 'findings', 'finding_accounts']) {
      const rows = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    }
    const entries = (db: string) =>
      (JSON.parse(hoptrace(['--db', db, 'log', '--json']).stdout) as AuditEntry[])
        .slice(before)
        .map((e) => ({ seq: e.seq, action: e.action, changes: e.changes }));
    expect(entries(url)).toEqual(entries(sqlite));
    expect(entries(url).map((e) => e.action)).toEqual(['cluster', 'cluster', 'detect', 'detect']);
    const verify = hoptrace(['--db', url, 'verify']);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`audit log: ok, ${before + 4} entries`);
  });

  it('serve shows the PostgreSQL case read-only: the same answers as the workbench on the case file', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', '/api/info'],
      ['GET', '/api/search?q=Schulz'],
      ['GET', '/api/accounts/bank/DE29100100100987654321'],
      ['GET', '/api/accounts/bank/DE29100100100987654321/transfers?limit=5&order=desc'],
      ['GET', '/api/accounts/bank/DE29100100100987654321/neighbours'],
      ['GET', '/api/accounts/bank/DE29100100100987654321/history'],
      ['GET', '/api/clusters/1'],
      ['POST', '/api/trace', { seeds: SEEDS, rule: 'libr' }],
      ['POST', '/api/report', { seeds: SEEDS, rule: 'fifo', format: 'md', timestamp: false }],
    ];
    const answers = async (db: string, casePath: string): Promise<string[]> =>
      serving(db, async (call, printed) => {
        if (db === url)
          expect(printed).toMatch(
            new RegExp(
              `^hoptrace workbench on ${url} \\(read-only: the PostgreSQL case as it was when serve started; restart serve to see later changes\\):\n`,
            ),
          );
        const out: string[] = [];
        for (const [method, path, body] of paths) out.push(withoutCaseLines(await call(method, path, body), casePath));
        return out;
      });
    const onPg = await answers(url, url);
    expect(onPg.join('').length).toBeGreaterThan(10_000);
    expect(onPg).toEqual(await answers(sqlite, sqlite));
  });

  it('cluster waits for a writer holding the case, saying so, then stores its clusters', async () => {
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const clustering = runProcess(process.execPath, [BIN, '--db', url, 'cluster'], { env: { ...process.env } });
      // The working copy and the clustering run without the lock; only storing waits.
      for (let i = 0; i < 600; i++) {
        const waiting = await writer.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        if (waiting.rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await writer.query('COMMIT');
      const run = await clustering;
      expect(run.status).toBe(0);
      expect(run.stderr).toBe(`hoptrace: another hoptrace process is writing to this case (${url}); waiting for it to finish…\n`);
    } finally {
      await writer.end();
    }
  });

  it('detect stores nothing when another writer changed the case while it ran, and says to run it again', async () => {
    const findings = hoptrace(['--db', url, 'findings', '--json']).stdout;
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT pg_advisory_xact_lock($1)', [0x686f7074]);
      const detecting = runProcess(process.execPath, [BIN, '--db', url, 'detect', '--typologies', 'fan-in'], { env: { ...process.env } });
      for (let i = 0; i < 600; i++) {
        const waiting = await writer.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        if (waiting.rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The other writer's change: any change to a case has its audit-log entry.
      await appendLogPg(writer, { action: 'assert cluster', changes: { assertions: 1 } });
      await writer.query('COMMIT');
      const run = await detecting;
      expect(run.stderr).toBe(
        `hoptrace: another hoptrace process is writing to this case (${url}); waiting for it to finish…\n` +
          `hoptrace: ${url}: the case changed while detect ran: another hoptrace process wrote to it — nothing was stored; run detect again\n`,
      );
      expect(run.status).toBe(1);
      // The findings are printed from the case only once stored there: nothing here.
      expect(run.stdout).toBe('');
    } finally {
      await writer.end();
    }
    expect(hoptrace(['--db', url, 'findings', '--json']).stdout).toBe(findings);
    expect((JSON.parse(hoptrace(['--db', url, 'log', '--json']).stdout) as AuditEntry[]).at(-1)!.action).toBe('assert cluster');
  });

  it('verify finds an altered audit-log entry and a reference to a missing row on PostgreSQL', () => {
    const cluster = pgCluster.current!;
    cluster.createDatabase('damaged');
    const damaged = cluster.url('damaged');
    return copySqliteCaseToPg(sqlite, damaged).then(() => {
      cluster.psql(
        "UPDATE audit_log SET action = 'ingest nothing' WHERE seq = 2; ALTER TABLE tags DROP CONSTRAINT tags_account_id_fkey; UPDATE tags SET account_id = 999999 WHERE id = 1;",
        'damaged',
      );
      const verify = hoptrace(['--db', damaged, 'verify']);
      expect(verify.status).toBe(3);
      expect(verify.stdout).toContain('audit log: BROKEN');
      expect(verify.stdout).toContain('  entry 2: its content does not match its hash (the entry was altered)\n');
      expect(verify.stdout).toContain('database integrity: ok; foreign-key violations: 1; transfers without a source: 0\n');
      cluster.psql('ALTER TABLE links DROP COLUMN source_id;', 'damaged');
      expect(hoptrace(['--db', damaged, 'verify']).stdout).toContain('database integrity: table links lacks column source_id; foreign-key violations: 1;');
    });
  });
});
