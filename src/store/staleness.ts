import { createHash } from 'node:crypto';
import { toNumber, type Db } from './caseStore.js';
import { selectStoredAssertions } from './clusterAssertions.js';

/**
 * Clusters and findings are computed from the case's data; once sources are added or removed,
 * what was computed before may no longer follow from it. Each computation records the basis it
 * was computed on (the case's sources: id, SHA-256, adapter, options); a result whose basis is
 * not the current one is stale and says so (docs/case-file.md, "Stale clusters and findings").
 * Removing the only source imported since restores the basis: the result is current again.
 */
export type DerivedResult = 'clusters' | 'findings';

export function caseBasis(db: Db, result: DerivedResult = 'findings'): string {
  const hash = createHash('sha256');
  for (const row of db.prepare('SELECT id, sha256, adapter, options FROM sources ORDER BY id').raw(true).all() as unknown[][])
    hash.update(row.map(String).join('\u001f') + '\n');
  // Clusters also follow from the investigators' assertions (hoptrace cluster applies them): a new
  // one makes the clusters stale. Without any, the basis is the sources' alone, as it always was.
  if (result === 'clusters')
    for (const a of selectStoredAssertions(db)) hash.update(`assertion\u001f${a.id}\u001f${a.aId}\u001f${a.bId}\u001f${a.same ? 1 : 0}\n`);
  return hash.digest('hex');
}

/**
 * Call inside the transaction that stores the result, with the basis taken in the read snapshot
 * the result was computed from: another process may have added or removed a source since, and the
 * result must then read as stale, not as computed on the case it is stored into. Without one, the
 * case's basis now (for a result computed in the same transaction).
 */
export function recordBasis(db: Db, result: DerivedResult, basis: string = caseBasis(db, result)): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`${result}_basis`, basis);
}

/** The stored results computed on other data than the case now holds. */
export function staleResults(db: Db): DerivedResult[] {
  const stale: DerivedResult[] = [];
  const recorded = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const has = (table: string): boolean => toNumber(db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table})`).pluck().get()) === 1;
  for (const [result, table] of [
    ['clusters', 'clusters'],
    ['findings', 'findings'],
  ] as const) {
    if (has(table) && recorded.get(`${result}_basis`) !== caseBasis(db, result)) stale.push(result);
  }
  return stale;
}
