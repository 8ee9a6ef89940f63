import type { Db } from './caseStore.js';

/** The connection's page cache in KiB: a positive cache_size counts pages, a negative one KiB. */
export function pageCacheKib(db: Db): number {
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  return cacheSize >= 0 ? (cacheSize * Number(db.pragma('page_size', { simple: true }))) / 1024 : -cacheSize;
}
