import { HoptraceError } from '../model/errors.js';
import type { Db } from './caseStore.js';

/**
 * Runs `work`, which writes in a transaction of its own, with foreign-key checks off, and puts
 * them back as they were (the pragma cannot change inside a transaction). For a result that
 * replaces all its rows (clusters, findings): with the checks on, SQLite deletes rows one at a
 * time instead of dropping their pages and looks up the parents of each new row as it inserts it.
 * The work must check its own rows before COMMIT (`checkForeignKeys`).
 */
export function withoutForeignKeyChecks<T>(db: Db, work: () => T): T {
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
  db.pragma('foreign_keys = OFF');
  try {
    return work();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys}`);
  }
}

/**
 * Every row of these tables names rows that exist (their foreign keys, checked in one pass each):
 * otherwise an error that leaves the caller's transaction to roll back. `what` names the result.
 */
export function checkForeignKeys(db: Db, tables: readonly string[], what: string): void {
  for (const table of tables) {
    const missing = db.pragma(`foreign_key_check(${table})`) as unknown[];
    if (missing.length > 0) {
      throw new HoptraceError(`${missing.length} ${table} row(s) name accounts or rows that are not in the case: the ${what} were not saved`, {
        hint: `the case changed while they were computed (a source was removed?): run the command again`,
      });
    }
  }
}
