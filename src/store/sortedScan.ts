import type { Db } from './caseStore.js';

/**
 * Page cache while a whole-case read sorts every transfer (a graph export's time order): 1 MiB,
 * the least SQLite's sorter works in before it writes a sorted run to a temporary file (250
 * pages of 4 KiB, SQLITE_SORTER_PMASZ). A negative cache_size is in KiB.
 */
const SORT_CACHE_KIB = 1024;

/**
 * Settings for one whole-case read in a sorted order; returns what puts them back. SQLite's sorter
 * holds up to the page cache in memory before it spills (better-sqlite3 builds with 16 MB, and
 * the scan fills the cache besides), so a 1,000,000-transfer export held 30 MB more than a
 * 100,000-transfer one for the same stream of rows. At 1 MiB the sorter merges more runs from its
 * temporary files, and the export's time was within the run-to-run spread of this machine
 * (docs/performance.md, "Export"). A cache already smaller is left as it is.
 */
export function settingsForSortedScan(db: Db): () => void {
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  // A positive cache_size counts pages, a negative one KiB.
  const kib = cacheSize >= 0 ? (cacheSize * Number(db.pragma('page_size', { simple: true }))) / 1024 : -cacheSize;
  if (kib <= SORT_CACHE_KIB) return () => undefined;
  db.pragma(`cache_size = -${SORT_CACHE_KIB}`);
  return () => {
    db.pragma(`cache_size = ${cacheSize}`);
  };
}
