import { spawn } from 'node:child_process';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { formatAmount } from '../../src/model/amount.js';
import { makeIban } from '../../src/model/iban.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { shouldDeferIndexes, SourceWriter } from '../../src/store/sourceWriter.js';
import { BIN, hoptrace, tempDir } from '../support/cli.js';
import { writeEtherscanCsv, writeTronGridPages } from '../support/generate.js';
import { prng } from '../support/prng.js';

/** Every index of the transfers table, as sqlite_master holds it (name → CREATE statement). */
function transferIndexes(path: string): Record<string, string | null> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transfers' ORDER BY name").all() as {
      name: string;
      sql: string | null;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
  } finally {
    db.close();
  }
}

function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.prepare(sql).pluck().get());
  } finally {
    db.close();
  }
}

/** The indexes a new case file has (schema.ts): what every import must leave behind. */
function freshIndexes(): Record<string, string | null> {
  const path = join(tempDir(), 'fresh.db');
  openCaseDb(path).close();
  return transferIndexes(path);
}

const SCHEMA_INDEXES = {
  transfers_bank_pair: "CREATE INDEX transfers_bank_pair ON transfers (from_id, to_id, amount, time) WHERE rail = 'bank'",
  transfers_from: 'CREATE INDEX transfers_from ON transfers (from_id, time)',
  transfers_key: 'CREATE UNIQUE INDEX transfers_key ON transfers (rail, ref, seq)',
  transfers_time: 'CREATE INDEX transfers_time ON transfers (time, block, seq)',
  transfers_to: 'CREATE INDEX transfers_to ON transfers (to_id, time)',
};

describe('a large import builds the transfers indexes after its rows (docs/performance.md)', () => {
  it('decides by the rows a file brings against the rows the case holds', () => {
    // 400 bytes a row: 20 MB is 50,000 rows, the least worth it.
    expect(shouldDeferIndexes(20_000_000, 0)).toBe(true);
    expect(shouldDeferIndexes(19_999_999, 0)).toBe(false);
    expect(shouldDeferIndexes(40_000_000, 100_000)).toBe(true);
    expect(shouldDeferIndexes(40_000_000, 100_001)).toBe(false);
    // Bank lines are smaller: 150 bytes a row.
    expect(shouldDeferIndexes(7_500_000, 0, 150)).toBe(true);
    expect(shouldDeferIndexes(7_499_999, 0, 150)).toBe(false);
  });

  it('drops them inside the source transaction and builds them again from the same definitions, at commit or rollback', () => {
    const path = join(tempDir(), 'case.db');
    const db = openCaseDb(path);
    expect(transferIndexes(path)).toEqual(SCHEMA_INDEXES);
    const indexNames = (): string[] =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transfers' ORDER BY name").pluck().all() as string[];
    const add = (writer: SourceWriter, n: number): void => {
      for (let i = 0; i < n; i++) {
        writer.addTransfer({
          rail: 'tron',
          asset: 'USDT',
          decimals: 6,
          amount: BigInt(i + 1),
          from: { rail: 'tron', ident: `a${i % 7}` },
          to: { rail: 'tron', ident: `b${i % 5}` },
          time: 1_700_000_000_000 + i,
          ref: `tx${i}`,
          seq: 0,
          line: i + 2,
        });
      }
    };
    const rolledBack = new SourceWriter(db, { path: 'a.csv', sha256: 'a'.repeat(64), size: 10, adapter: 'test', options: '{}' }, 'own', {
      deferIndexes: 'always',
      deferrable: ['transfers_from', 'transfers_time'],
    });
    expect(indexNames()).toEqual(['transfers_bank_pair', 'transfers_key', 'transfers_to']);
    add(rolledBack, 100);
    rolledBack.rollback();
    expect(indexNames()).toEqual(Object.keys(SCHEMA_INDEXES));
    expect(db.prepare('SELECT COUNT(*) FROM transfers').pluck().get()).toBe(0n);

    const committed = new SourceWriter(db, { path: 'b.csv', sha256: 'b'.repeat(64), size: 10, adapter: 'test', options: '{}' }, 'own', {
      deferIndexes: 'always',
    });
    expect(indexNames()).toEqual([]);
    add(committed, 100);
    expect(committed.conflicts()).toEqual([]);
    committed.commit();
    db.close();
    expect(transferIndexes(path)).toEqual(SCHEMA_INDEXES);
    expect(count(path, 'SELECT COUNT(*) FROM transfers WHERE rowid IN (SELECT rowid FROM transfers INDEXED BY transfers_from WHERE from_id > 0)')).toBe(100);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    check.close();
  });

  it('an Etherscan export of 90,000 rows: a bad line near its end stores nothing and leaves every index; the good file then imports with the same indexes and rows as with the indexes kept', async () => {
    const dir = tempDir();
    const good = join(dir, 'export.csv');
    await writeEtherscanCsv(good, 90_000, 3, 5000);
    expect(shouldDeferIndexes(statSync(good).size, 0)).toBe(true);
    const lines = readFileSync(good, 'utf8').split('\n');
    lines[89_990] = lines[89_990]!.replace(/^"0x../, '"0xZZ');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));

    // An empty case (a failed import into a case file that does not exist yet leaves none: docs/cli.md).
    const db = join(dir, 'case.db');
    openCaseDb(db).close();
    const failed = hoptrace(['--db', db, 'ingest', 'usdt', bad, '--quiet']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${bad}:89991: transaction hash "0xZZ`);
    expect(failed.stderr).toContain('nothing from this file was stored');
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM sources')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM accounts')).toBe(0);
    expect(transferIndexes(db)).toEqual(freshIndexes());

    const run = hoptrace(['--db', db, 'ingest', 'usdt', good, '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(90_000);

    // The same file into a case that already holds more than it brings: the indexes are kept.
    const kept = join(dir, 'kept.db');
    const seed = join(dir, 'seed.csv');
    await writeEtherscanCsv(seed, 100_000, 4, 5000);
    expect(hoptrace(['--db', kept, 'ingest', 'usdt', seed, '--quiet']).status).toBe(0);
    expect(shouldDeferIndexes(statSync(good).size, 100_000)).toBe(false);
    expect(hoptrace(['--db', kept, 'ingest', 'usdt', good, '--quiet']).status).toBe(0);
    const rows = (path: string, source: number): string => {
      const sqlite = new Database(path, { readonly: true });
      try {
        const all = sqlite
          .prepare(
            `SELECT t.amount, f.ident, r.ident, t.time, t.ref, t.seq, t.block, t.line FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id
             WHERE t.source_id = ? ORDER BY t.time, t.ref, t.seq`,
          )
          .raw()
          .all(source);
        return JSON.stringify(all);
      } finally {
        sqlite.close();
      }
    };
    expect(rows(db, 1)).toEqual(rows(kept, 2));
    expect(transferIndexes(kept)).toEqual(SCHEMA_INDEXES);
  }, 300_000);

  it('an explorer export never drops or builds the bank pair index, which its rows never enter: one large file, and files large together', async () => {
    const dir = tempDir();
    const [one, a, b] = [join(dir, 'one.json'), join(dir, 'a.json'), join(dir, 'b.json')];
    await writeTronGridPages(one, 64_000, 5, 3000);
    await writeTronGridPages(a, 32_000, 6, 3000);
    await writeTronGridPages(b, 32_000, 7, 3000);
    expect(shouldDeferIndexes(statSync(one).size, 0)).toBe(true);
    expect(shouldDeferIndexes(statSync(a).size, 0)).toBe(false);
    expect(shouldDeferIndexes(statSync(a).size + statSync(b).size, 0)).toBe(true);
    for (const files of [[one], [a, b]]) {
      const path = join(dir, `case-${files.length}.db`);
      const db = openCaseDb(path);
      const exec = vi.spyOn(db, 'exec');
      const results = await ingestUsdtFiles(db, files);
      const statements = exec.mock.calls.map(([sql]) => sql);
      db.close();
      expect(results.map((r) => [r.status, r.status === 'imported' ? r.rows : 0])).toEqual(files.map(() => ['imported', 64_000 / files.length]));
      // The other indexes waited for the rows and were built after them.
      expect(statements.filter((sql) => sql.startsWith('DROP INDEX')).sort()).toEqual([
        'DROP INDEX "transfers_from"',
        'DROP INDEX "transfers_key"',
        'DROP INDEX "transfers_time"',
        'DROP INDEX "transfers_to"',
      ]);
      expect(statements.filter((sql) => sql.includes('transfers_bank_pair'))).toEqual([]);
      expect(transferIndexes(path)).toEqual(SCHEMA_INDEXES);
    }
  }, 300_000);

  it("a generic bank statement of 80,000 lines: a bad line near its end stores nothing and leaves every index; the good file is matched by its counterparty's statement and found again when read twice", () => {
    const dir = tempDir();
    const own = 'DE89370400440532013000';
    const other = makeIban('DE', '500105170999999999');
    const random = prng(5);
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance';
    const mine: string[] = [header];
    const theirs: string[] = [header];
    let balance = 1_000_000_00n;
    let otherBalance = 0n;
    for (let i = 0; i < 80_000; i++) {
      const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 400) * 86_400_000).toISOString().slice(0, 10);
      const amount = BigInt(1 + Math.floor(random() * 90_000)) * (random() < 0.5 ? -1n : 1n);
      balance += amount;
      const paysOther = i % 1000 === 7;
      const counterparty = paysOther ? other : makeIban('DE', '37040044' + String(1_000_000_000 + (i % 300) * 7).padStart(10, '0'));
      // Every tenth line has no bank reference (a hoptrace reference names it).
      const reference = i % 10 === 3 && !paysOther ? '' : `R${i}`;
      mine.push(
        `${day},${formatAmount(amount, 2)},EUR,${counterparty},Name ${i % 13},${reference},invoice payment ${String(i % 50).padStart(6, '0')} for services rendered,${formatAmount(balance, 2)}`,
      );
      if (paysOther) {
        otherBalance -= amount;
        theirs.push(`${day},${formatAmount(-amount, 2)},EUR,${own},Maria,O${i},other side,${formatAmount(otherBalance, 2)}`);
      }
    }
    const statement = join(dir, 'statement.csv');
    writeFileSync(statement, mine.join('\n') + '\n');
    expect(shouldDeferIndexes(statSync(statement).size, 0, 150)).toBe(true);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [...mine.slice(0, 79_990), mine[79_990]!.replace(/^\d{4}-\d{2}-\d{2}/, '2022-13-45'), ...mine.slice(79_991)].join('\n') + '\n');
    const counterpartyStatement = join(dir, 'other.csv');
    writeFileSync(counterpartyStatement, theirs.join('\n') + '\n');

    // An empty case (a failed import into a case file that does not exist yet leaves none: docs/cli.md).
    const db = join(dir, 'case.db');
    openCaseDb(db).close();
    const failed = hoptrace(['--db', db, 'ingest', 'bank', bad, '--account', own, '--quiet']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${bad}:79991: date "2022-13-45"`);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM sources')).toBe(0);
    expect(transferIndexes(db)).toEqual(freshIndexes());

    const run = hoptrace(['--db', db, 'ingest', 'bank', statement, '--account', own, '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(80_000);
    // The counterparty's statement: its 80 payments are the other side of stored ones, stored once with both lines.
    expect(hoptrace(['--db', db, 'ingest', 'bank', counterpartyStatement, '--account', other, '--quiet']).status).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(80_000);
    expect(count(db, 'SELECT COUNT(*) FROM bank_lines')).toBe(80_080);
    expect(count(db, 'SELECT duplicates FROM sources WHERE id = 2')).toBe(80);
    // Read again, the statement adds nothing: every line, with or without a bank reference, is found.
    const copy = join(dir, 'statement-again.csv');
    writeFileSync(copy, mine.join('\r\n') + '\r\n');
    expect(hoptrace(['--db', db, 'ingest', 'bank', copy, '--account', own, '--quiet']).status).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(80_000);
    expect(count(db, 'SELECT duplicates FROM sources WHERE id = 3')).toBe(80_000);
  }, 300_000);

  it('a large statement into a case without statements loads its lines without their indexes and the pair index, until a reference comes again', async () => {
    const own = 'DE89370400440532013000';
    const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance';
    // The bank_lines indexes, and the transfers' pair index (the other side of a payment) that matching also reads.
    const lineIndexes = (db: Db): string[] =>
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND (tbl_name = 'bank_lines' OR name = 'transfers_bank_pair') ORDER BY name")
        .pluck()
        .all() as string[];
    const ALL = ['bank_lines_account_ref', 'bank_lines_transfer', 'sqlite_autoindex_bank_lines_1', 'transfers_bank_pair'];
    /** 60,000 lines of ~140 bytes (a large import); line `repeatAt` (if any) repeats line 5 (same reference, amount and counterparty). */
    const statement = (path: string, repeatAt?: number): void => {
      const rows: string[] = [header];
      let balance = 1_000_000_00n;
      const lineText = (i: number): [bigint, string] => {
        const amount = BigInt(100 + (i % 977));
        const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 500) * 86_400_000).toISOString().slice(0, 10);
        // One line in ten without a bank reference: each day's lines are numbered and passed on as the next day starts.
        const reference = i % 10 === 9 ? '' : `R${i}`;
        return [
          amount,
          `${day},${formatAmount(amount, 2)},EUR,${makeIban('DE', '37040044' + String(1_000_000_000 + (i % 300)).padStart(10, '0'))},Name,${reference},payment for services rendered in the month of the contract`,
        ];
      };
      for (let i = 0; i < 60_000; i++) {
        const [amount, text] = lineText(i === repeatAt ? 3 : i);
        balance += amount;
        rows.push(`${text} ${String(i % 97).padStart(6, '0')},${formatAmount(balance, 2)}`);
      }
      writeFileSync(path, rows.join('\n') + '\n');
      expect(shouldDeferIndexes(statSync(path).size, 0, 150)).toBe(true);
    };
    const dir = tempDir();
    // What the case's connection sees inside the import's transaction as the last chunk is read.
    const run = async (file: string): Promise<{ during: string[]; db: Db }> => {
      const db = openCaseDb(join(dir, `${file}.db`));
      let during: string[] = [];
      let stored = 0;
      const [result] = await ingestBankFiles(db, [join(dir, file)], {
        account: own,
        onBytes: () => {
          during = lineIndexes(db);
          stored = Number(db.prepare('SELECT COUNT(*) FROM bank_lines').pluck().get());
        },
      });
      expect(result).toMatchObject({ status: 'imported', rows: 60_000 });
      expect(stored).toBeGreaterThan(50_000);
      return { during, db };
    };
    statement(join(dir, 'plain.csv'));
    const plain = await run('plain.csv');
    // Read to its last chunk without them; built at the end from their definitions.
    expect(plain.during).toEqual(['sqlite_autoindex_bank_lines_1']);
    expect(lineIndexes(plain.db)).toEqual(ALL);
    expect(plain.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    plain.db.close();

    // Line 12's reference is line 5's: the look-up for it builds the indexes first, and it is stored as the reference's second line.
    statement(join(dir, 'repeat.csv'), 10);
    const repeat = await run('repeat.csv');
    expect(repeat.during).toEqual(ALL);
    expect(repeat.db.prepare("SELECT line, ref FROM bank_lines WHERE ref = 'R3' OR ref GLOB 'R3#*' ORDER BY line").raw().all()).toEqual([
      [5n, 'R3'],
      [12n, 'R3#2'],
    ]);
    expect(repeat.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    repeat.db.close();
  }, 300_000);
});

/** Six TronGrid files of 10,500 transfers (~3.5 MB each): none large alone, large together. */
async function tronGridRun(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const path = join(dir, `trongrid-${i}.json`);
    await writeTronGridPages(path, 10_500, i, 3000);
    files.push(path);
  }
  expect(shouldDeferIndexes(statSync(files[0]!).size, 0)).toBe(false);
  expect(
    shouldDeferIndexes(
      files.reduce((sum, path) => sum + statSync(path).size, 0),
      0,
    ),
  ).toBe(true);
  return files;
}

/** Every table's rows a run stores, by source (the audit log's entries without their times). */
function stored(path: string): { sources: unknown[]; transfers: number; accounts: number; rejects: unknown[]; log: unknown[]; totalsAgree: boolean } {
  const sqlite = new Database(path, { readonly: true });
  try {
    const totals = `SELECT account_id, side, n, hi * 1000000000 + lo FROM account_totals ORDER BY 1, 2`;
    const grouped = `SELECT account_id, side, COUNT(*), SUM(amount) FROM (SELECT from_id AS account_id, 0 AS side, amount FROM transfers UNION ALL SELECT to_id, 1, amount FROM transfers) GROUP BY 1, 2 ORDER BY 1, 2`;
    return {
      sources: sqlite.prepare('SELECT id, path, rows, rejected, duplicates FROM sources ORDER BY id').raw().all(),
      transfers: Number(sqlite.prepare('SELECT COUNT(*) FROM transfers').pluck().get()),
      accounts: Number(sqlite.prepare('SELECT COUNT(*) FROM accounts').pluck().get()),
      rejects: sqlite.prepare('SELECT source_id, line, reason FROM rejects ORDER BY 1, 2').raw().all(),
      log: sqlite.prepare("SELECT action, changes FROM audit_log WHERE action LIKE 'ingest %' ORDER BY seq").raw().all(),
      totalsAgree: JSON.stringify(sqlite.prepare(totals).raw().all()) === JSON.stringify(sqlite.prepare(grouped).raw().all()),
    };
  } finally {
    sqlite.close();
  }
}

describe('files of one command that are large together load as one batch (docs/case-file.md, "Large imports")', () => {
  it('a bad third file of six stops the command as when each file was its own transaction: the first two stay stored, with every index', async () => {
    const dir = tempDir();
    const files = await tronGridRun(dir);
    const bad = copyWithLine(files[2]!, 10_000, (line) => line.replace('"transaction_id":"', '"transaction_id":"zz'), join(dir, 'bad-3.json'));
    const run = [files[0]!, files[1]!, bad, ...files.slice(3)];

    const db = join(dir, 'case.db');
    const failed = hoptrace(['--db', db, 'ingest', 'usdt', ...run]);
    expect(failed.status).toBe(1);
    expect(failed.stderr.split('\n')).toEqual([
      ...storedLines(files.slice(0, 2)),
      // The batch is read again, each file on its own: the user is told why the files go by twice.
      `note: ${bad} failed after the files began to be written together; reading them again, each on its own, so that those before it are stored`,
      expect.stringMatching(
        new RegExp(`^hoptrace: ${bad}:10001: transaction_id "zz[0-9a-f]{64}" is not 32 bytes of hex — nothing from this file was stored; `),
      ),
      '',
    ]);
    const afterFailure = stored(db);
    expect(afterFailure.sources).toEqual([
      [1, files[0], 10_500, 0, 0],
      [2, files[1], 10_500, 0, 0],
    ]);
    expect(afterFailure.transfers).toBe(21_000);
    expect(afterFailure.log).toEqual([
      ['ingest usdt:trongrid', '{"source":1,"transfers":10500,"duplicates":0,"skipped":0,"rejected":0,"tags":0}'],
      ['ingest usdt:trongrid', '{"source":2,"transfers":10500,"duplicates":0,"skipped":0,"rejected":0,"tags":0}'],
    ]);
    expect(afterFailure.totalsAgree).toBe(true);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
    expect(count(db, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'")).toBe(0);

    // Run again with --skip-bad: the two stored files are found, the bad row recorded, the rest stored.
    const skipped = hoptrace(['--db', db, 'ingest', 'usdt', ...run, '--skip-bad', '--quiet']);
    expect(skipped.status, skipped.stderr).toBe(0);
    const afterSkip = stored(db);
    expect(afterSkip.sources).toEqual([
      [1, files[0], 10_500, 0, 0],
      [2, files[1], 10_500, 0, 0],
      [3, bad, 10_499, 1, 0],
      [4, files[3], 10_500, 0, 0],
      [5, files[4], 10_500, 0, 0],
      [6, files[5], 10_500, 0, 0],
    ]);
    expect(afterSkip.rejects).toEqual([[3, 10_001, expect.stringMatching(/^transaction_id "zz[0-9a-f]{64}" is not 32 bytes of hex$/)]]);
    expect(afterSkip.transfers).toBe(62_999);
    expect(afterSkip.totalsAgree).toBe(true);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
  }, 300_000);

  it('a fourth file that contradicts the first stops the command after the third, each file reported once', async () => {
    const dir = tempDir();
    const files = await tronGridRun(dir);
    // The first file's fifth transfer again, with another amount: the same transfer, contradicted.
    const first = readFileSync(files[0]!, 'utf8').split('\n')[5]!;
    const contradicting = first.replace(/"value":"(\d+)"/, (_all, value: string) => `"value":"${BigInt(value) + 1n}"`);
    expect(contradicting).not.toBe(first);
    const bad = copyWithLine(files[3]!, 5, () => contradicting, join(dir, 'contradicting-4.json'));
    const run = [...files.slice(0, 3), bad, ...files.slice(4)];

    const failed = hoptrace(['--db', join(dir, 'case.db'), 'ingest', 'usdt', ...run]);
    expect(failed.status).toBe(1);
    expect(failed.stderr.split('\n')).toEqual([
      ...storedLines(files.slice(0, 3)),
      `note: ${bad} failed after the files began to be written together; reading them again, each on its own, so that those before it are stored`,
      expect.stringMatching(
        new RegExp(`^hoptrace: ${bad}:6: conflicts with transfer 5 from ${files[0]}:6 \\(amount [0-9.]+ vs [0-9.]+\\) — nothing from this file was stored; `),
      ),
      '',
    ]);
    const db = join(dir, 'case.db');
    const afterFailure = stored(db);
    expect(afterFailure.sources).toEqual([
      [1, files[0], 10_500, 0, 0],
      [2, files[1], 10_500, 0, 0],
      [3, files[2], 10_500, 0, 0],
    ]);
    expect(afterFailure.transfers).toBe(31_500);
    expect(afterFailure.totalsAgree).toBe(true);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
    expect(count(db, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'")).toBe(0);
  }, 300_000);

  it('is stored at the end of the command: killed after the second file, the case holds nothing of the run and every index', async () => {
    const dir = tempDir();
    const files = await tronGridRun(dir);
    const db = join(dir, 'case.db');
    // The case exists before the run (a TronGrid page of its own), so the killed run leaves a case file to look at.
    expect(hoptrace(['--db', db, 'ingest', 'usdt', fixtureSmall(dir), '--quiet']).status).toBe(0);
    const before = stored(db);
    const child = spawn(process.execPath, [BIN, '--db', db, 'ingest', 'usdt', ...files], { env: { ...process.env, HOPTRACE_STREAM_HEAP_MB: '0' } });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes(`${files[1]}: trongrid (detected): 10500 stored`)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(stored(db)).toEqual(before);
    expect(transferIndexes(db)).toEqual(SCHEMA_INDEXES);
    expect(count(db, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'")).toBe(0);
  }, 300_000);
});

/** The line `ingest usdt` prints for each of these files of tronGridRun as it stores it. */
function storedLines(files: readonly string[]): string[] {
  return files.map((path) => `${path}: trongrid (detected): 10500 stored`);
}

/** A copy of `path` at `to` with its line `index` (from 0) changed by `change`. */
function copyWithLine(path: string, index: number, change: (line: string) => string, to: string): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[index] = change(lines[index]!);
  writeFileSync(to, lines.join('\n'));
  return to;
}

/** A TronGrid file of 10 transfers. */
function fixtureSmall(dir: string): string {
  const path = join(dir, 'small.json');
  const items = Array.from(
    { length: 10 },
    (_, i) =>
      `{"transaction_id":"${String(i).padStart(64, 'a')}","token_info":{"symbol":"USDT","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","decimals":6},"block_timestamp":${1_500_000_000_000 + i},"from":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","to":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","type":"Transfer","value":"${i + 1}"}`,
  );
  writeFileSync(path, `{"data":[${items.join(',\n')}],"success":true,"meta":{"page_size":10}}\n`);
  return path;
}
