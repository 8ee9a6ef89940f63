import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { settingsForBulkWrite, withSortCache } from '../../src/store/bulkWrite.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { fixture, tempDir } from '../support/cli.js';

const cacheSize = (db: Db): number => Number(db.pragma('cache_size', { simple: true }));

// The page cache an import writes with is bounded, so that memory stays flat however large the
// file (docs/performance.md, "memory"): 48 MiB, the size that was as fast as a larger one.
describe('the page cache while sources are written', () => {
  it('is 48 MiB from the first import on, and stays for the files after it', async () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    expect(cacheSize(db)).toBe(-16000);
    const [result] = await ingestUsdtFiles(db, [fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json')]);
    expect(result?.status).toBe('imported');
    expect(cacheSize(db)).toBe(-49152);
    db.close();
  });

  it('leaves a larger cache as it is, given in KiB or in pages, and raises a smaller one given in pages', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    db.pragma('cache_size = -100000');
    settingsForBulkWrite(db)();
    expect(cacheSize(db)).toBe(-100000);
    // 50,000 pages of 4 KiB: 200,000 KiB.
    db.pragma('cache_size = 50000');
    settingsForBulkWrite(db)();
    expect(cacheSize(db)).toBe(50000);
    // 1,000 pages: 4,000 KiB.
    db.pragma('cache_size = 1000');
    settingsForBulkWrite(db)();
    expect(cacheSize(db)).toBe(-49152);
    db.close();
  });
});

// SQLite's sorter holds as many bytes of records as the page cache may before it writes a sorted
// run; in runs of 4 MiB that it merges it built the transfers' indexes a fifth faster than in 16
// (docs/performance.md, "Ingest against a bare pipeline"), and holds less besides.
describe("the page cache while indexes are built and an import's rows grouped", () => {
  it("is 4 MiB during the work and the writer's own after it, even when the work fails", () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    settingsForBulkWrite(db);
    expect(withSortCache(db, () => cacheSize(db))).toBe(-4096);
    expect(cacheSize(db)).toBe(-49152);
    expect(() =>
      withSortCache(db, () => {
        throw new Error('a failed build');
      }),
    ).toThrow('a failed build');
    expect(cacheSize(db)).toBe(-49152);
    // A cache already smaller is left as it is.
    db.pragma('cache_size = -2000');
    expect(withSortCache(db, () => cacheSize(db))).toBe(-2000);
    db.close();
  });
});
