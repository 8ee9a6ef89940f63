import type { Db } from './caseStore.js';

/**
 * Runs `read` in one read transaction of `db`: every statement sees the case as it stood when the
 * first of them ran, whatever another process commits meanwhile (SQLite's WAL keeps each reader's
 * snapshot). Inside a transaction the caller opened, that transaction is the snapshot.
 */
export function inReadSnapshot<T>(db: Db, read: () => T): T {
  if (db.inTransaction) return read();
  db.exec('BEGIN');
  try {
    return read();
  } finally {
    end(db);
  }
}

/**
 * The items of `read()` in one read transaction of `db`, begun at the first item and ended when
 * the iteration ends or is left (`return()`, as `for…of` does on `break`). The caller may read the
 * database between items, not write it.
 */
export function* iterateInReadSnapshot<T>(db: Db, read: () => Iterable<T>): Generator<T> {
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    yield* read();
  } finally {
    if (own) end(db);
  }
}

/** A read transaction: committing it writes nothing. */
function end(db: Db): void {
  if (db.inTransaction) db.exec('COMMIT');
}
