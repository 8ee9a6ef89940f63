import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportGraph } from '../../src/export/graph/exportGraph.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { settingsForSortedScan } from '../../src/store/sortedScan.js';
import { tempDir } from '../support/cli.js';
import { recordPragmaSets } from '../support/pragmaSets.js';
import { sourcedCase } from '../support/sourcedCase.js';

const cacheSize = (db: Db): number => Number(db.pragma('cache_size', { simple: true }));

describe('the page cache of a whole-case sorted read', () => {
  it('is 1 MiB while the read runs (the least SQLite sorts in), and what it was afterwards', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    expect(cacheSize(db)).toBe(-16000);
    const restore = settingsForSortedScan(db);
    expect(cacheSize(db)).toBe(-1024);
    restore();
    expect(cacheSize(db)).toBe(-16000);
  });

  it('is left as it is when it is already smaller, in KiB or in pages', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    db.pragma('cache_size = -512');
    settingsForSortedScan(db)();
    expect(cacheSize(db)).toBe(-512);
    // 200 pages of 4 KiB: 800 KiB.
    db.pragma('cache_size = 200');
    const restore = settingsForSortedScan(db);
    expect(cacheSize(db)).toBe(200);
    restore();
    expect(cacheSize(db)).toBe(200);
    // 2,000 pages: 8,000 KiB, more than the bound.
    db.pragma('cache_size = 2000');
    const restoreLarger = settingsForSortedScan(db);
    expect(cacheSize(db)).toBe(-1024);
    restoreLarger();
    expect(cacheSize(db)).toBe(2000);
  });

  it('is put back after a whole-case export, and after one that fails', () => {
    const db = sourcedCase('sorted-scan', ['TA', 'TB']);
    db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, 5000000, 1, 2, 1000, 'r1', 0, 1, 2)",
    ).run();
    // What the export sets, from the case's connection itself.
    const set = recordPragmaSets(db);
    const dir = tempDir();
    expect(exportGraph(db, { format: 'graphml', out: join(dir, 'case.graphml') })).toEqual({ nodes: 2, edges: 1 });
    expect(set).toEqual(['cache_size = -1024', 'cache_size = -16000']);
    expect(cacheSize(db)).toBe(-16000);
    expect(exportGraph(db, { format: 'graphml', out: join(dir, 'clusters.graphml'), level: 'cluster' })).toEqual({ nodes: 2, edges: 1 });
    expect(cacheSize(db)).toBe(-16000);
    // A minimum amount that is not one: the export stops with the cache as it was (it is read
    // before the scan begins, so the cache is not even changed).
    expect(() => exportGraph(db, { format: 'graphml', out: join(dir, 'bad.graphml'), minAmount: 'ten' })).toThrow();
    expect(cacheSize(db)).toBe(-16000);
    expect(set).toEqual(Array(2).fill(['cache_size = -1024', 'cache_size = -16000']).flat());
  });
});
