import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { redactArgs } from '../../src/store/auditLog.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { fixture, hoptrace, ROOT, tempDir } from '../support/cli.js';
import { demoCaseCopy, infoJson, ok } from './support.js';

interface LogEntry {
  seq: number;
  time: string;
  toolVersion: string;
  command: string[];
  action: string;
  inputs: { path: string; sha256: string }[];
  changes: Record<string, number>;
  prevHash: string;
  hash: string;
}
const log = (db: string): LogEntry[] => JSON.parse(ok(db, 'log', '--json')) as LogEntry[];
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function tronscanSlice(from: number, to: number): string {
  const lines = readFileSync(fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'), 'utf8').split('\n');
  const path = join(tempDir(), `tronscan-${from}-${to}.csv`);
  writeFileSync(path, [lines[0], ...lines.slice(from, to)].join('\n') + '\n');
  return path;
}

/** Anna Becker's own statement: her first payment to Kevin, the other side of a payment the demo case holds. */
function annaStatement(): string {
  const path = join(tempDir(), 'anna-becker.csv');
  writeFileSync(
    path,
    'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n2025-03-04,-10000.00,EUR,DE29100100100987654321,Kevin Schulz,AB-2025-0304,Investment,5000.00\n',
  );
  return path;
}

function tagsFile(): string {
  const path = join(tempDir(), 'more-tags.csv');
  // One new tag and one the demo case already holds (demo-tags.csv line 2).
  writeFileSync(
    path,
    'chain,address,category,label,confidence,source\ntron,TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT,exchange,Exchange One hot wallet (invented),90,demo case\ntron,TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m,scam_operator,Invented scam wallet,60,analyst\n',
  );
  return path;
}

describe('remove-source undoes one import', () => {
  it('restores info --json byte for byte after a USDT export, a bank statement merged two-sided, and a tag list', () => {
    const db = demoCaseCopy();
    const imports: [string, string[]][] = [
      ['usdt', [tronscanSlice(1, 41)]],
      ['bank', [annaStatement(), '--profile', 'generic', '--account', 'DE68500105174417320965']],
      ['tags', [tagsFile()]],
    ];
    for (const [kind, args] of imports) {
      const before = infoJson(db);
      const run = hoptrace(['--db', db, 'ingest', kind, ...args]);
      expect(run.status, run.stderr).toBe(0);
      expect(infoJson(db)).not.toBe(before);
      const sources = JSON.parse(ok(db, 'sources', '--json')) as { id: number; path: string }[];
      const added = sources[sources.length - 1]!;
      expect(added.path).toBe(args[0]);
      ok(db, 'remove-source', String(added.id));
      expect(infoJson(db)).toBe(before);
    }
    // The bank statement's line was the other side of Kevin's stored payment: stored once, seen twice.
    expect(log(db).map((e) => [e.action, e.changes['transfersRemoved'] ?? e.changes['transfers']])).toEqual([
      ['create case', undefined],
      ...Array.from({ length: 11 }, () => [expect.stringMatching(/^ingest /), expect.any(Number)]),
      ['cluster', undefined],
      ['ingest usdt:tronscan', 39],
      ['remove-source', 39],
      ['ingest bank:generic', 0],
      ['remove-source', 0],
      ['ingest tags:csv', 0],
      ['remove-source', 0],
    ]);
  });

  it('keeps what a later source also saw, as if only that source had been imported', () => {
    const a = tronscanSlice(1, 31);
    const b = tronscanSlice(21, 41);
    const both = join(tempDir(), 'case.db');
    ok(both, 'ingest', 'usdt', a, b);
    ok(both, 'remove-source', a);
    const only = join(tempDir(), 'case.db');
    ok(only, 'ingest', 'usdt', b);
    const strip = (text: string): unknown => {
      const info = JSON.parse(text) as { sources: { importedAt?: string }[] };
      for (const s of info.sources) delete s.importedAt;
      return info;
    };
    expect(strip(infoJson(both))).toEqual(strip(infoJson(only)));
    const dump = (path: string): unknown[] => {
      const sqlite = new Database(path, { readonly: true });
      try {
        return sqlite
          .prepare(
            `SELECT t.rail, t.ref, t.seq, t.amount, f.ident AS from_ident, r.ident AS to_ident, s.path, t.line FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id JOIN sources s ON s.id = t.source_id ORDER BY t.ref, t.seq`,
          )
          .all()
          .concat(
            sqlite
              .prepare(
                'SELECT a.ident, t.category, t.label, s.path, t.line FROM tags t JOIN accounts a ON a.id = t.account_id JOIN sources s ON s.id = t.source_id ORDER BY a.ident, t.label',
              )
              .all(),
          );
      } finally {
        sqlite.close();
      }
    };
    expect(dump(both)).toEqual(dump(only));
  });

  it("a tag two sources carried takes the remaining source's confidence when the first is removed", () => {
    const dir = tempDir();
    const header = 'chain,address,category,label,confidence,source\n';
    const row = (confidence: number): string => `tron,TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez,exchange,Binance deposit,${confidence},me\n`;
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, header + row(50) + row(50));
    writeFileSync(b, header + row(90));
    const tags = (path: string): unknown[] => {
      const sqlite = new Database(path, { readonly: true });
      try {
        return sqlite
          .prepare(
            'SELECT a.ident, t.category, t.label, t.origin, t.confidence, s.path, t.line FROM tags t JOIN accounts a ON a.id = t.account_id JOIN sources s ON s.id = t.source_id',
          )
          .all();
      } finally {
        sqlite.close();
      }
    };
    const both = join(dir, 'both.db');
    ok(both, 'ingest', 'tags', a);
    ok(both, 'ingest', 'tags', b);
    // The first source's tag, its confidence, while it is there.
    expect(tags(both)).toEqual([
      { ident: 'TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez', category: 'exchange', label: 'Binance deposit', origin: 'me', confidence: 50, path: a, line: 2 },
    ]);
    ok(both, 'remove-source', a);
    const only = join(dir, 'only.db');
    ok(only, 'ingest', 'tags', b);
    // It kept 50 from the removed source.
    expect(tags(both)).toEqual([
      { ident: 'TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez', category: 'exchange', label: 'Binance deposit', origin: 'me', confidence: 90, path: b, line: 2 },
    ]);
    expect(tags(both)).toEqual(tags(only));
    // A case file from before sightings kept their confidence: the migration adds it empty, and the tag keeps its own.
    const older = join(dir, 'older.db');
    ok(older, 'ingest', 'tags', a);
    ok(older, 'ingest', 'tags', b);
    const raw = new Database(older);
    raw.exec(`ALTER TABLE tag_sightings DROP COLUMN confidence; PRAGMA user_version = ${MIGRATIONS.length - 1};`);
    raw.close();
    ok(older, 'remove-source', a);
    expect(tags(older)).toEqual([
      { ident: 'TWNbKndb88cYJS39z5GK6u1DzRoD17P2ez', category: 'exchange', label: 'Binance deposit', origin: 'me', confidence: 50, path: b, line: 2 },
    ]);
  });

  it('marks clusters stale while the case differs from what they were computed on', () => {
    const db = demoCaseCopy();
    expect(JSON.parse(infoJson(db)).stale).toEqual([]);
    ok(db, 'ingest', 'usdt', tronscanSlice(1, 11));
    expect(JSON.parse(infoJson(db)).stale).toEqual(['clusters']);
    expect(ok(db, 'info')).toContain("clusters are stale: computed before the case's sources last changed — run hoptrace cluster again");
    const explain = hoptrace(['--db', db, 'cluster', '--explain', 'TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT']);
    expect(explain.stderr).toContain('these clusters are stale');
    ok(db, 'remove-source', '12');
    expect(JSON.parse(infoJson(db)).stale).toEqual([]);
  });

  it('names an unknown source and leaves the case alone', () => {
    const db = demoCaseCopy();
    const run = hoptrace(['--db', db, 'remove-source', '99']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('hoptrace: no source 99 in the case file — hoptrace sources lists them\n');
  });
});

describe('hoptrace sources', () => {
  it('lists every import with its id, digest, reading options and row counts', () => {
    const db = demoCaseCopy();
    const sources = JSON.parse(ok(db, 'sources', '--json')) as Record<string, unknown>[];
    expect(sources).toHaveLength(11);
    expect(sources[0]).toEqual({
      id: 1,
      path: join(ROOT, 'samples', 'bank', 'mule-kevin-schulz.csv'),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: readFileSync(join(ROOT, 'samples', 'bank', 'mule-kevin-schulz.csv')).length,
      adapter: 'bank:generic',
      options: { account: 'DE29100100100987654321' },
      rows: { stored: 11, duplicate: 0, skipped: 0, rejected: 0, tags: 0, links: 0, freezeEvents: 0 },
      importedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // A links file and tag lists store no transfers: what they hold is counted by kind (before,
    // "rows stored 0" for the OFAC list's 189 tags).
    const byPath = (end: string) => sources.find((s) => String(s['path']).endsWith(end))!['rows'];
    expect(byPath('golden-lotus-otc-return.csv')).toEqual({ stored: 0, duplicate: 0, skipped: 0, rejected: 0, tags: 0, links: 5, freezeEvents: 0 });
    expect(byPath('ofac-sdn-2025-11-19.csv')).toEqual({ stored: 0, duplicate: 0, skipped: 0, rejected: 0, tags: 189, links: 0, freezeEvents: 0 });
    const text = ok(db, 'sources');
    expect(text).toContain('\n      stored transfers 0  tags 189  duplicate 0  skipped 0  rejected 0\n');
    expect(text).toContain('\n      stored transfers 0  links 5  duplicate 0  skipped 0  rejected 0\n');
    expect(text).toContain('\n      stored transfers 11  duplicate 0  skipped 0  rejected 0\n');
    expect(ok(db, 'info')).toContain(
      '\n    tags:csv  sha256 89b67f2076c2ce37a53fa111cfdcc131b5b8b3e755273eb57fb5e3222af43998  transfers 0  tags 189  rejected 0  skipped 0  duplicates 0\n',
    );
  });
});

describe('the audit log', () => {
  it('records each change with the command line, inputs and rows, chained by hash', () => {
    const db = join(tempDir(), 'case.db');
    const file = tronscanSlice(1, 41);
    ok(db, 'ingest', 'usdt', file);
    const entries = log(db);
    expect(entries.map((e) => e.action)).toEqual(['create case', 'ingest usdt:tronscan']);
    const entry = entries[1]!;
    expect(entry).toEqual({
      seq: 2,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      toolVersion: VERSION,
      command: ['hoptrace', '--db', db, 'ingest', 'usdt', file],
      action: 'ingest usdt:tronscan',
      inputs: [{ path: file, sha256: JSON.parse(ok(db, 'sources', '--json'))[0].sha256 }],
      changes: { source: 1, transfers: 39, duplicates: 0, skipped: 1, rejected: 0, tags: 5 },
      prevHash: entries[0]!.hash,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(ok(db, 'log')).toContain(`ingest usdt:tronscan  (source 1, transfers 39, duplicates 0, skipped 1, rejected 0, tags 5)`);
  });

  it('keeps secrets out of the command line it records', () => {
    expect(
      redactArgs(['fetch', 'tron', '--api', 'https://user:pw@api.example.org/v1?apikey=abc', '--api-key', 'SECRET', '--auth-token=xyz', '--token', 'all']),
    ).toEqual(['fetch', 'tron', '--api', 'https://api.example.org/v1?apikey=REDACTED', '--api-key', 'REDACTED', '--auth-token=REDACTED', '--token', 'all']);
  });

  it('verify fails with exit 3 when an entry is altered, removed, or the newest one dropped', () => {
    const tamper = (sql: string): { status: number; stdout: string } => {
      const db = demoCaseCopy();
      expect(hoptrace(['--db', db, 'verify']).status).toBe(0);
      const sqlite = new Database(db);
      sqlite.exec(sql);
      sqlite.close();
      return hoptrace(['--db', db, 'verify']);
    };
    const altered = tamper(`UPDATE audit_log SET changes = '{"source":1,"transfers":1}' WHERE seq = 2`);
    expect(altered.status).toBe(3);
    expect(altered.stdout).toContain('entry 2: its content does not match its hash (the entry was altered)');
    const removed = tamper('DELETE FROM audit_log WHERE seq = 5');
    expect(removed.status).toBe(3);
    expect(removed.stdout).toContain('entry 6: expected entry 5 here (an entry was removed)');
    const last = tamper('DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)');
    expect(last.status).toBe(3);
    expect(last.stdout).toContain("the log's recorded head (13:");
  });

  it("a newer hoptrace's schema migration of an older case file is an entry of its log", () => {
    const db = join(tempDir(), 'case.db');
    ok(db, 'ingest', 'usdt', tronscanSlice(1, 11));
    // The case as the hoptrace before the last migration (the tag sightings' confidence) left it.
    const sqlite = new Database(db);
    sqlite.exec(`ALTER TABLE tag_sightings DROP COLUMN confidence; PRAGMA user_version = ${MIGRATIONS.length - 1};`);
    sqlite.close();
    // A read command opens it, migrates it, and says so; the chain stays whole.
    expect(hoptrace(['--db', db, 'info']).status).toBe(0);
    const entries = log(db);
    expect(entries.map((e) => e.action)).toEqual(['create case', 'ingest usdt:tronscan', 'migrate schema']);
    expect(entries[2]!.changes).toEqual({ fromVersion: MIGRATIONS.length - 1, toVersion: MIGRATIONS.length });
    expect(entries[2]!.command).toEqual(['hoptrace', '--db', db, 'info']);
    expect(hoptrace(['--db', db, 'verify']).status).toBe(0);
    // Opened again, it is current: no second entry.
    expect(hoptrace(['--db', db, 'info']).status).toBe(0);
    expect(log(db)).toHaveLength(3);
  });

  it('starts on a case file from before the log with what it already held', () => {
    const dir = tempDir();
    const db = join(dir, 'old.db');
    // A case file as hoptrace wrote it before the log: schema version 2, one source.
    const sqlite = new Database(db);
    sqlite.exec(MIGRATIONS[0]! + MIGRATIONS[1]!);
    sqlite.exec(
      "INSERT INTO meta (key, value) VALUES ('created_by', 'hoptrace'); INSERT INTO sources (path, sha256, size, adapter, options, imported_at) VALUES ('old.csv', 'ab', 2, 'usdt:etherscan', '{}', '2025-01-01T00:00:00.000Z')",
    );
    sqlite.pragma('user_version = 2');
    sqlite.close();
    ok(db, 'ingest', 'usdt', tronscanSlice(1, 11));
    expect(log(db).map((e) => [e.action, e.inputs.length, e.changes['sources'] ?? null])).toEqual([
      ['start log', 1, 1],
      ['ingest usdt:tronscan', 1, null],
    ]);
  });

  it('is cited by trace results and reports; a trace from before the log still reads', () => {
    const db = demoCaseCopy();
    const dir = tempDir();
    const head = log(db).at(-1)!.hash;
    ok(db, 'trace', 'account:DE68500105174417320965', '--out', join(dir, 't.json'));
    const trace = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { case: Record<string, unknown> };
    expect(Object.keys(trace.case)).toEqual(['path', 'sha256', 'logHead', 'tool', 'version']);
    expect(trace.case['logHead']).toBe(head);
    for (const format of ['md', 'html', 'csv', 'json']) {
      ok(db, 'report', join(dir, 't.json'), '--out', join(dir, `r.${format}`), '--no-timestamp');
      expect(readFileSync(join(dir, `r.${format}`), 'utf8'), format).toContain(head);
    }
    delete trace.case['logHead'];
    writeFileSync(join(dir, 'old.json'), JSON.stringify(trace));
    ok(db, 'report', join(dir, 'old.json'), '--out', join(dir, 'old.md'), '--no-timestamp');
    expect(readFileSync(join(dir, 'old.md'), 'utf8')).toContain('Audit log head: `not recorded (trace written before the audit log)`');
  });
});
