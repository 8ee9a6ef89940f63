import type { Db } from './caseStore.js';

const IDS_PER_CALL = 20_000;

/**
 * The [id, value] rows of `sql` for many ids: `sql` selects two columns and takes one parameter,
 * a JSON array of ids (`… WHERE id IN (SELECT value FROM json_each(?))`). One statement call per
 * 20,000 ids, in id order: a better-sqlite3 call per id costs 6–8 µs even when nothing matches
 * (675,000 evidence transfers: 5.1 s → 1.7 s). Integers come back as plain numbers.
 */
export function lookupByIds<V>(db: Db, sql: string, ids: Iterable<number>): Map<number, V> {
  const statement = db.prepare(sql).raw(true).safeIntegers(false);
  // Sorted as numbers in a typed array and de-duplicated in place (a Set and a sorted copy of
  // 574,000 evidence ids left tens of MB of garbage).
  const sorted = Float64Array.from(ids).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) if (unique === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i]!;
  const wanted = Array.from(sorted.subarray(0, unique));
  const found = new Map<number, V>();
  for (let at = 0; at < wanted.length; at += IDS_PER_CALL) {
    for (const [id, value] of statement.iterate(JSON.stringify(wanted.slice(at, at + IDS_PER_CALL))) as IterableIterator<[number, V]>) found.set(id, value);
  }
  return found;
}
