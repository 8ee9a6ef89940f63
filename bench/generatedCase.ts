import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { refreshAccountTotals } from '../src/store/accountTotals.js';
import { openCaseDb, type Db } from '../src/store/caseStore.js';

/**
 * Writes a generated case file for a bench, as a bulk import leaves one: the transfer indexes are
 * dropped while `fill` inserts (under one generated source, id 1) and built once at the end; the
 * file is written beside `path` and moved into place, so an interrupted run leaves no half file
 * for the next run to reuse.
 */
export function writeGeneratedCase(path: string, fill: (db: Db) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = path + '.tmp';
  rmSync(tmp, { force: true });
  const db = openCaseDb(tmp);
  db.exec('DROP INDEX transfers_from; DROP INDEX transfers_to; DROP INDEX transfers_time;');
  db.pragma('synchronous = OFF');
  db.prepare(
    "INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES (1, 'generated', ?, 0, 'bench', '{}', '2024-01-01T00:00:00Z')",
  ).run('0'.repeat(64));
  fill(db);
  // As an import does before it commits: the new transfers join the per-account totals.
  refreshAccountTotals(db);
  db.exec(
    'CREATE INDEX transfers_from ON transfers (from_id, time); CREATE INDEX transfers_to ON transfers (to_id, time); CREATE INDEX transfers_time ON transfers (time, block, seq);',
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(tmp, path);
}
