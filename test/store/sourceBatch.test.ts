import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLog, selectLog } from '../../src/store/auditLog.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { SourceBatch, sourceBatchFor } from '../../src/store/sourceBatch.js';
import { tronSourceMeta as meta, tronTransfer as transfer } from '../support/caseTotals.js';
import { tempDir } from '../support/cli.js';

const ALL_INDEXES = ['transfers_bank_pair', 'transfers_from', 'transfers_key', 'transfers_time', 'transfers_to'];

const indexNames = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transfers' ORDER BY name").pluck().all() as string[];

const count = (db: Db, sql: string): number => Number(db.prepare(sql).pluck().get());

/** The per-account totals as the table holds them, and as grouped from the transfers: they must agree. */
function totalsAgree(db: Db): void {
  const stored = db.prepare('SELECT account_id, side, asset, decimals, n, hi * 1000000000 + lo AS sum FROM account_totals ORDER BY 1, 2, 3, 4').all();
  const grouped = db
    .prepare(
      `SELECT account_id, side, asset, decimals, COUNT(*) AS n, SUM(amount) AS sum FROM (
         SELECT from_id AS account_id, 0 AS side, asset, decimals, amount FROM transfers UNION ALL SELECT to_id, 1, asset, decimals, amount FROM transfers)
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
    .all();
  expect(stored).toEqual(grouped);
  expect(db.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'account_totals_through'").pluck().get()).toBe(
    db.prepare('SELECT MAX(id) FROM transfers').pluck().get(),
  );
}

describe('SourceBatch: several sources in one transaction, the indexes built once after the last', () => {
  it('drops the secondary indexes for the batch; a source rolled back alone leaves the others; commit builds the indexes, totals and one log entry per source', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const batch = new SourceBatch(db);
    expect(indexNames(db)).toEqual([]);

    const first = batch.writer(meta('a'));
    for (let i = 0; i < 100; i++) first.addTransfer(transfer(i, `TA${i % 7}`, `TB${i % 5}`));
    expect(first.conflicts()).toEqual([]);
    expect(first.commit()).toEqual({ sourceId: 1, rows: 100, rejected: 0, skipped: 0, duplicates: 0, tags: 0, notes: [] });

    // A bad file: its rows, its source and the accounts only it brought go; the first source stays.
    const bad = batch.writer(meta('b'));
    for (let i = 100; i < 150; i++) bad.addTransfer(transfer(i, 'TNEW', `TA${i % 7}`));
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(150);
    bad.rollback();
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(100);
    expect(count(db, "SELECT COUNT(*) FROM accounts WHERE ident = 'TNEW'")).toBe(0);
    expect(indexNames(db)).toEqual([]);

    // The next source meets the same new account again (a fresh id, not the rolled-back one) and one of the first's transfers.
    const third = batch.writer(meta('c'));
    for (let i = 150; i < 160; i++) third.addTransfer(transfer(i, 'TNEW', 'TB0'));
    expect(third.addTransfer(transfer(3, 'TA3', 'TB3'))).toBe('duplicate');
    expect(third.conflicts()).toEqual([]);
    expect(third.commit()).toEqual({ sourceId: 2, rows: 10, rejected: 0, skipped: 0, duplicates: 1, tags: 0, notes: [] });

    batch.commit();
    expect(db.inTransaction).toBe(false);
    expect(indexNames(db)).toEqual(ALL_INDEXES);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(110);
    expect(db.prepare('SELECT id, path, rows, duplicates FROM sources ORDER BY id').all()).toEqual([
      { id: 1n, path: 'a.json', rows: 100n, duplicates: 0n },
      { id: 2n, path: 'c.json', rows: 10n, duplicates: 1n },
    ]);
    expect(
      selectLog(db)
        .slice(1)
        .map((entry) => [entry.action, entry.changes]),
    ).toEqual([
      ['ingest usdt:trongrid', { source: 1, transfers: 100, duplicates: 0, skipped: 0, rejected: 0, tags: 0 }],
      ['ingest usdt:trongrid', { source: 2, transfers: 10, duplicates: 1, skipped: 0, rejected: 0, tags: 0 }],
    ]);
    expect(checkLog(db).ok).toBe(true);
    totalsAgree(db);
    // The transfers_from index answers with every transfer of an account.
    expect(count(db, "SELECT COUNT(*) FROM transfers INDEXED BY transfers_from WHERE from_id = (SELECT id FROM accounts WHERE ident = 'TNEW')")).toBe(10);
    db.close();
  });

  it("finds a source's transfer that contradicts an earlier source of the batch, and none among a source's own rows", () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const batch = new SourceBatch(db);
    const first = batch.writer(meta('a'));
    for (let i = 0; i < 50; i++) first.addTransfer(transfer(i, 'TA', 'TB'));
    first.commit();
    const second = batch.writer(meta('b'));
    // A batch payout: two transfers of one transaction in one source never contradict each other.
    second.addTransfer({ ...transfer(100, 'TA', 'TC'), seq: 1 });
    second.addTransfer({ ...transfer(100, 'TA', 'TC'), seq: 2, amount: 7n });
    // tx7 from the first source, with another amount: a contradiction.
    second.addTransfer({ ...transfer(7, 'TA', 'TB'), seq: 9, amount: 1n, line: 40 });
    expect(second.conflicts()).toEqual([
      { kind: 'conflict', id: 53, line: 40, transferId: 8, sourcePath: 'a.json', storedLine: 9, amount: 1n, storedAmount: 1007n, decimals: 6 },
    ]);
    second.rollback();
    batch.commit();
    db.close();
  });

  it('a batch rolled back stores none of its sources and leaves every index', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const entries = count(db, 'SELECT COUNT(*) FROM audit_log');
    const batch = new SourceBatch(db);
    const writer = batch.writer(meta('a'));
    for (let i = 0; i < 20; i++) writer.addTransfer(transfer(i, 'TA', 'TB'));
    writer.commit();
    batch.rollback();
    expect(indexNames(db)).toEqual(ALL_INDEXES);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM sources')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM audit_log')).toBe(entries);
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('without savepoints: the same tables as with them; a source rolled back spoils the batch, which then only rolls back whole', () => {
    /** Every table a batch writes, row by row (the times of sources and log entries left out). */
    const dump = (db: Db): unknown[] => [
      db.prepare('SELECT * FROM accounts ORDER BY id').raw().all(),
      db.prepare('SELECT * FROM transfers ORDER BY id').raw().all(),
      db.prepare('SELECT * FROM sightings ORDER BY 1, 2, 3').raw().all(),
      db.prepare('SELECT id, path, sha256, rows, duplicates FROM sources ORDER BY id').raw().all(),
      db.prepare('SELECT * FROM account_totals ORDER BY 1, 2, 3, 4').raw().all(),
      db.prepare('SELECT action, changes FROM audit_log ORDER BY seq').raw().all(),
      indexNames(db),
    ];
    const write = (savepoints: boolean): unknown[] => {
      const db = openCaseDb(join(tempDir(), 'case.db'));
      const batch = new SourceBatch(db, { savepoints });
      const first = batch.writer(meta('a'));
      for (let i = 0; i < 100; i++) first.addTransfer(transfer(i, `TA${i % 7}`, `TB${i % 5}`));
      expect(first.conflicts()).toEqual([]);
      first.commit();
      const second = batch.writer(meta('b'));
      for (let i = 100; i < 130; i++) second.addTransfer(transfer(i, 'TNEW', `TA${i % 7}`));
      expect(second.addTransfer(transfer(3, 'TA3', 'TB3'))).toBe('duplicate');
      expect(second.conflicts()).toEqual([]);
      second.commit();
      expect(batch.spoiled).toBe(false);
      batch.commit();
      const tables = dump(db);
      db.close();
      return tables;
    };
    const guarded = write(true);
    expect((guarded[1] as unknown[]).length).toBe(130);
    expect(write(false)).toEqual(guarded);

    const db = openCaseDb(join(tempDir(), 'case.db'));
    const entries = count(db, 'SELECT COUNT(*) FROM audit_log');
    const batch = new SourceBatch(db, { savepoints: false });
    const first = batch.writer(meta('a'));
    for (let i = 0; i < 20; i++) first.addTransfer(transfer(i, 'TA', 'TB'));
    first.commit();
    const bad = batch.writer(meta('b'));
    for (let i = 20; i < 30; i++) bad.addTransfer(transfer(i, 'TNEW', 'TA'));
    bad.rollback();
    // Without a savepoint the bad source's rows are still in the transaction: the batch says so and refuses to go on.
    expect(batch.spoiled).toBe(true);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(30);
    expect(() => batch.writer(meta('c'))).toThrow('SourceBatch: a source was rolled back without a savepoint; roll the batch back');
    expect(() => batch.commit()).toThrow('SourceBatch: a source was rolled back without a savepoint; the batch can only be rolled back');
    batch.rollback();
    expect(db.inTransaction).toBe(false);
    expect(indexNames(db)).toEqual(ALL_INDEXES);
    expect(count(db, 'SELECT COUNT(*) FROM transfers')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM accounts')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM sources')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM audit_log')).toBe(entries);
    db.close();
  });

  it('is chosen for two or more sources that bring, together, at least 50,000 rows and as many as the case holds', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    expect(sourceBatchFor(db, 1, 40_000_000)).toBeUndefined();
    expect(sourceBatchFor(db, 6, 19_999_999)).toBeUndefined();
    const batch = sourceBatchFor(db, 2, 20_000_000);
    expect(batch).toBeInstanceOf(SourceBatch);
    batch?.rollback();
    db.close();
  });
});

describe('a transfer without block, log index or description is stored by a statement that writes them as NULL', () => {
  it('stores every column as given, rows with and without them mixed, under the second source of a batch', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const batch = new SourceBatch(db);
    const first = batch.writer(meta('a'));
    first.addTransfer(transfer(0, 'TA', 'TB'));
    first.commit();
    const second = batch.writer(meta('b'));
    second.addTransfer(transfer(1, 'TA', 'TB'));
    second.addTransfer({ ...transfer(2, 'TB', 'TC'), block: 70_000_001, logIndex: 3 });
    second.addTransfer({ ...transfer(3, 'TC', 'TA'), description: 'payout' });
    second.addTransfer(transfer(4, 'TC', 'TB'));
    second.commit();
    batch.commit();
    expect(db.prepare('SELECT id, ref, amount, block, log_index, description, source_id, line FROM transfers ORDER BY id').raw().all()).toEqual([
      [1n, 'tx0', 1000n, null, null, null, 1n, 2n],
      [2n, 'tx1', 1001n, null, null, null, 2n, 3n],
      [3n, 'tx2', 1002n, 70_000_001n, 3n, null, 2n, 4n],
      [4n, 'tx3', 1003n, null, null, 'payout', 2n, 5n],
      [5n, 'tx4', 1004n, null, null, null, 2n, 6n],
    ]);
    db.close();
  });
});
