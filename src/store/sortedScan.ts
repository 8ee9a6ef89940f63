import type { Db } from './caseStore.js';
import { pageCacheKib } from './pageCache.js';

/**
 * Page cache while a whole-case read sorts every transfer (a graph export's time order): 1 MiB,
 * just above the least SQLite's sorter works in before it writes a sorted run to a temporary file
 * (250 pages of 4 KiB, SQLITE_SORTER_PMASZ: 1,000 KiB). A negative cache_size is in KiB.
 */
const SORT_CACHE_KIB = 1024;

/**
 * Settings for one whole-case read in a sorted order; returns what puts them back. SQLite's sorter
 * holds up to the page cache in memory before it spills (better-sqlite3 builds with 16 MB, and
 * the scan fills the cache besides): the time-ordered query of a 1,000,000-transfer case alone
 * peaked at 83 MB with it and at 53 MB with 1 MiB. The sorter then merges more runs from its
 * temporary files; the query's time stayed within the run-to-run spread of this machine
 * (docs/performance.md, "Export"). A cache already smaller is left as it is.
 */
export function settingsForSortedScan(db: Db): () => void {
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  if (pageCacheKib(db) <= SORT_CACHE_KIB) return () => undefined;
  db.pragma(`cache_size = -${SORT_CACHE_KIB}`);
  return () => {
    db.pragma(`cache_size = ${cacheSize}`);
  };
}
