import { beginImmediate, type Db } from './caseStore.js';
import { pageCacheKib } from './pageCache.js';

/** Page cache while writing sources: 48 MiB (a negative cache_size is in KiB). */
const WRITE_CACHE_KIB = 49152;
/** WAL pages (4 KiB) before a commit checkpoints them into the database: 256 MB. */
const WRITE_AUTOCHECKPOINT_PAGES = 65536;

/**
 * Settings for writing sources, chosen for large imports and kept within bounds; returns what
 * puts them back:
 * - a 48 MiB page cache holds the transfers' indexes through the import (bounded, so memory stays
 *   flat); it stays after the source, since shrinking it would drop the index pages that the
 *   next file of the same command needs. 64 MiB was no faster: USDT (1,000,000 Etherscan rows or
 *   TronGrid transfers) and bank (1,000,000 lines) imports took the same CPU time within this
 *   machine's spread, and peaked 12–25 MB higher; 32 MiB was 5–10 % slower on a 1,000,000-row
 *   export of 200,000 addresses (docs/performance.md, "memory"). A larger cache, in KiB or in
 *   pages, is left as it is;
 * - the WAL is checkpointed every 256 MB instead of every 4 MB: each source's commit writes the
 *   index pages its rows touched, and checkpointing after every file copied them all again, with
 *   an fsync, for half the time of a many-file import (closing the case file checkpoints the rest);
 * - foreign-key checks are off while sources are written: a writer only uses ids it has just
 *   read or created in the same transaction (AccountIds, its own source id), so the checks, a
 *   quarter of the insert time, could not fail. They are restored after COMMIT or ROLLBACK.
 * None of these pragmas can change inside a transaction, hence before BEGIN.
 */
export function settingsForBulkWrite(db: Db): () => void {
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
  if (pageCacheKib(db) < WRITE_CACHE_KIB) db.pragma(`cache_size = -${WRITE_CACHE_KIB}`);
  const autocheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  if (autocheckpoint > 0 && autocheckpoint < WRITE_AUTOCHECKPOINT_PAGES) db.pragma(`wal_autocheckpoint = ${WRITE_AUTOCHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = OFF');
  return () => {
    db.pragma(`foreign_keys = ${foreignKeys}`);
  };
}

/** settingsForBulkWrite, then BEGIN IMMEDIATE; if BEGIN fails the settings are put back. Returns what puts them back. */
export function beginBulkWrite(db: Db): () => void {
  const restore = settingsForBulkWrite(db);
  try {
    beginImmediate(db);
  } catch (error) {
    restore();
    throw error;
  }
  return restore;
}

/** An index of the transfers table (or of bank_lines) dropped for a load, with the statement that made it. */
export interface DroppedIndex {
  name: string;
  sql: string;
}

/** Drops those of `names` the transfers and bank_lines tables have (inside the caller's transaction) and returns them, by name. */
export function dropTransferIndexes(db: Db, names: readonly string[]): DroppedIndex[] {
  if (names.length === 0) return [];
  const placeholders = names.map(() => '?').join(', ');
  const dropped = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('transfers', 'bank_lines') AND name IN (${placeholders}) ORDER BY name`)
    .all(...names) as DroppedIndex[];
  for (const { name } of dropped) db.exec(`DROP INDEX "${name}"`);
  return dropped;
}

/** Page cache while building indexes and grouping an import's rows: 4 MiB (a negative cache_size is in KiB). */
const SORT_CACHE_KIB = 4096;
/**
 * Page cache while loading with every transfers index waiting, the key too (transferKeys.ts):
 * 24 MiB. The transfers table only grows at its end, so the cache holds what the load reads at
 * random, the accounts' key; a 1,000,000-row Etherscan export of 200,000 addresses loaded as fast
 * and peaked 27 MB lower than with 48 MiB (docs/performance.md, "memory").
 */
export const KEYED_LOAD_CACHE_KIB = 24576;

/** Lowers the page cache to at most `kib` KiB; returns what puts it back (once, however often it is called). */
export function capPageCache(db: Db, kib: number): () => void {
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  if (pageCacheKib(db) <= kib) return () => undefined;
  db.pragma(`cache_size = -${kib}`);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    db.pragma(`cache_size = ${cacheSize}`);
  };
}

/**
 * Runs `work`, which sorts many rows (an index built, an import's transfers grouped), under a page
 * cache of at most SORT_CACHE_KIB: SQLite's sorter keeps as many bytes of records in memory,
 * before it writes them to a temporary file, as the page cache may hold, on top of the cache
 * itself. A bare load of 1,000,000 TronGrid transfers peaked 32 MB lower building its key with
 * 16 MiB than with 48, in no more time (docs/performance.md, "memory"); and the sorter is faster
 * in small runs that it merges than in one large one: the four transfers indexes of 1,000,000
 * TronGrid transfers built in 2.58–2.71 CPU-s with 4 MiB against 3.17–3.45 with 16
 * (docs/performance.md, "Ingest against a bare pipeline").
 */
export function withSortCache<T>(db: Db, work: () => T): T {
  const restore = capPageCache(db, SORT_CACHE_KIB);
  try {
    return work();
  } finally {
    restore();
  }
}

/** Builds dropped indexes again, with the very statements that made them (sqlite_master). */
export function buildTransferIndexes(db: Db, dropped: readonly DroppedIndex[]): void {
  if (dropped.length === 0) return;
  withSortCache(db, () => {
    for (const { sql } of dropped) db.exec(sql);
  });
}
