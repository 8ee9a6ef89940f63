import { toNumber, type Db } from './caseStore.js';
import { selectSources } from './sources.js';

export interface IntegrityReport {
  integrity: string[];
  foreignKeys: number;
  orphanTransfers: number;
}

/** SQLite's own integrity and foreign-key checks, and transfers whose source is gone. */
export function checkCaseIntegrity(db: Db): IntegrityReport {
  const integrity = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
  const foreignKeys = (db.prepare('PRAGMA foreign_key_check').all() as unknown[]).length;
  const orphanTransfers = toNumber(db.prepare('SELECT COUNT(*) FROM transfers t LEFT JOIN sources s ON s.id = t.source_id WHERE s.id IS NULL').pluck().get());
  return { integrity, foreignKeys, orphanTransfers };
}

export { selectSources };
