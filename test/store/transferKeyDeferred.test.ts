import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TransferRecord } from '../../src/model/types.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { SourceBatch } from '../../src/store/sourceBatch.js';
import { SourceWriter } from '../../src/store/sourceWriter.js';
import { tronSourceMeta as meta } from '../support/caseTotals.js';
import { tempDir } from '../support/cli.js';

const indexNames = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transfers' ORDER BY name").pluck().all() as string[];

const ALL_INDEXES = ['transfers_bank_pair', 'transfers_from', 'transfers_key', 'transfers_time', 'transfers_to'];

function transfer(tx: number, seq: number, amount: bigint, line: number): TransferRecord {
  return {
    rail: 'tron',
    asset: 'USDT',
    token: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    decimals: 6,
    amount,
    from: { rail: 'tron', ident: `TFROM${tx % 13}` },
    to: { rail: 'tron', ident: `TTO${tx % 11}` },
    time: 1_700_000_000_000 + tx * 1000,
    ref: tx.toString(16).padStart(64, '0'),
    seq,
    line,
  };
}

/**
 * 2,000 transfers of a file: a transaction of two legs every tenth, and every fiftieth
 * transaction (20 times) a row the same as one 37 rows before it (a page downloaded twice).
 */
function rows(): TransferRecord[] {
  const out: TransferRecord[] = [];
  let line = 2;
  let copies = 0;
  for (let tx = 0; out.length < 2000; tx++) {
    out.push(transfer(tx, 0, BigInt(1000 + tx), line++));
    if (tx % 10 === 0 && out.length < 2000) out.push(transfer(tx, 1, BigInt(7 + tx), line++));
    if (tx % 50 === 49 && copies < 20 && out.length < 2000) {
      out.push({ ...out[out.length - 37]!, line: line++ });
      copies++;
    }
  }
  return out;
}

/** What a case holds of its transfers and where they were seen. */
function stored(db: Db): unknown {
  return {
    transfers: db.prepare('SELECT * FROM transfers ORDER BY id').raw().all(),
    sightings: db.prepare('SELECT * FROM sightings ORDER BY transfer_id, line').raw().all(),
    sources: db.prepare('SELECT id, rows, duplicates FROM sources ORDER BY id').raw().all(),
    accounts: db.prepare('SELECT * FROM account_totals ORDER BY 1, 2, 3, 4').raw().all(),
  };
}

/** The case file as hoptrace made it before the key became an index of its own: the key is the table's UNIQUE constraint. */
function withKeyConstraint(path: string): void {
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'transfers'").pluck().get() as string;
  const others = db
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'transfers' AND type IN ('index', 'trigger') AND name <> 'transfers_key' AND sql IS NOT NULL")
    .pluck()
    .all() as string[];
  db.exec('BEGIN');
  db.exec('DROP TABLE transfers');
  db.exec(table.replace(/\)\s*$/, ',\n    UNIQUE (rail, ref, seq)\n  )'));
  for (const sql of others) db.exec(sql);
  db.exec('COMMIT');
  db.close();
}

describe('the transfers key built after the rows of an import into a case without transfers (docs/case-file.md, "Large imports")', () => {
  it('stores the same transfers, duplicates and sightings as with the key kept, and leaves the key index', () => {
    const kept = openCaseDb(join(tempDir(), 'kept.db'));
    const deferred = openCaseDb(join(tempDir(), 'deferred.db'));
    const keptWriter = new SourceWriter(kept, meta('a'), 'own', { deferIndexes: 'never' });
    const writer = new SourceWriter(deferred, meta('a'), 'own', { deferIndexes: 'always' });
    expect(indexNames(kept)).toEqual(ALL_INDEXES);
    expect(indexNames(deferred)).toEqual([]);
    // A smaller page cache while the table only grows at its end (bulkWrite.ts, KEYED_LOAD_CACHE_KIB), the import's own after.
    expect(deferred.pragma('cache_size', { simple: true })).toBe(-24576n);
    expect(kept.pragma('cache_size', { simple: true })).toBe(-49152n);
    const outcomes = rows().map((record) => [keptWriter.addTransfer(record), writer.addTransfer(record)]);
    expect(outcomes.filter(([k, d]) => k !== d)).toEqual([]);
    expect(outcomes.filter(([k]) => k === 'duplicate').length).toBe(20);
    expect(writer.conflicts()).toEqual([]);
    expect(writer.commit()).toEqual({ sourceId: 1, rows: 1980, rejected: 0, skipped: 0, duplicates: 20, tags: 0, notes: [] });
    keptWriter.commit();
    expect(deferred.pragma('cache_size', { simple: true })).toBe(-49152n);
    expect(indexNames(deferred)).toEqual(ALL_INDEXES);
    expect(stored(deferred)).toEqual(stored(kept));
    expect(deferred.prepare('SELECT COUNT(*) FROM sightings').pluck().get()).toBe(20n);
    expect(deferred.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    // The key index answers as the constraint did: the same file again is all duplicates.
    const again = new SourceWriter(deferred, meta('b'), 'own', { deferIndexes: 'always' });
    expect(indexNames(deferred)).toEqual(['transfers_key']);
    expect(rows().every((record) => again.addTransfer(record) === 'duplicate')).toBe(true);
    again.rollback();
    kept.close();
    deferred.close();
  });

  it('builds the key at once when the keys are full, and the rest of the import goes through it', () => {
    const kept = openCaseDb(join(tempDir(), 'kept.db'));
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const keptWriter = new SourceWriter(kept, meta('a'), 'own', { deferIndexes: 'never' });
    const writer = new SourceWriter(db, meta('a'), 'own', { deferIndexes: 'always', maxKeys: 500 });
    const all = rows();
    // Until the 500th new key the index waits; storing the 501st builds it, with the rows stored so far.
    let inserted = 0;
    const during: string[][] = [];
    for (const record of all) {
      if (writer.addTransfer(record) === 'inserted') inserted++;
      if (inserted === 500 || inserted === 501) during[inserted - 500] = indexNames(db);
    }
    expect(during).toEqual([[], ['transfers_key']]);
    for (const record of all) keptWriter.addTransfer(record);
    expect(writer.commit()).toMatchObject({ rows: 1980, duplicates: 20 });
    keptWriter.commit();
    expect(indexNames(db)).toEqual(ALL_INDEXES);
    expect(stored(db)).toEqual(stored(kept));
    kept.close();
    db.close();
  });

  it("in a batch: a later file finds the earlier files' duplicates and contradictions, also after a file rolled back and after the keys were full", () => {
    for (const maxKeys of [undefined, 150]) {
      const db = openCaseDb(join(tempDir(), 'case.db'));
      const batch = new SourceBatch(db, { maxKeys: maxKeys ?? 2_097_152 });
      expect(indexNames(db)).toEqual([]);
      const first = batch.writer(meta('a'));
      for (let tx = 0; tx < 100; tx++) first.addTransfer(transfer(tx, 0, 1000n, tx + 2));
      expect(first.conflicts()).toEqual([]);
      first.commit();
      // Rolled back to its savepoint: its rows go, their ids are taken again by the next file.
      const bad = batch.writer(meta('b'));
      for (let tx = 100; tx < 180; tx++) bad.addTransfer(transfer(tx, 0, 5n, tx + 2));
      bad.rollback();
      const third = batch.writer(meta('c'));
      // tx 150 again (its first storing was rolled back): new. tx 3: a duplicate. tx 7, seq 0, another amount: a duplicate too (the same key).
      expect(third.addTransfer(transfer(150, 0, 5n, 2))).toBe('inserted');
      expect(third.addTransfer(transfer(3, 0, 1000n, 3))).toBe('duplicate');
      // tx 9 with another seq and another amount between the same accounts: it contradicts tx 9 of the first file.
      expect(third.addTransfer(transfer(9, 4, 999n, 4))).toBe('inserted');
      expect(third.conflicts()).toEqual([
        { kind: 'conflict', id: 102, line: 4, transferId: 10, sourcePath: 'a.json', storedLine: 11, amount: 999n, storedAmount: 1000n, decimals: 6 },
      ]);
      third.commit();
      batch.commit();
      expect(indexNames(db)).toEqual(ALL_INDEXES);
      expect(db.prepare('SELECT id, source_id, ref FROM transfers WHERE id > 100 ORDER BY id').raw().all()).toEqual([
        [101n, 2n, (150).toString(16).padStart(64, '0')],
        [102n, 2n, (9).toString(16).padStart(64, '0')],
      ]);
      expect(db.prepare('SELECT transfer_id, source_id, line FROM sightings').raw().all()).toEqual([[4n, 2n, 3n]]);
      expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
      db.close();
    }
  });

  it('a case file made before the key was an index keeps its UNIQUE constraint through a large import', () => {
    const path = join(tempDir(), 'old.db');
    openCaseDb(path).close();
    withKeyConstraint(path);
    const db = openCaseDb(path);
    const before = indexNames(db);
    expect(before).toEqual(['sqlite_autoindex_transfers_1', 'transfers_bank_pair', 'transfers_from', 'transfers_time', 'transfers_to']);
    const writer = new SourceWriter(db, meta('a'), 'own', { deferIndexes: 'always' });
    expect(indexNames(db)).toEqual(['sqlite_autoindex_transfers_1']);
    for (const record of rows()) writer.addTransfer(record);
    expect(writer.commit()).toMatchObject({ rows: 1980, duplicates: 20 });
    expect(indexNames(db)).toEqual(before);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    db.close();
  });
});
