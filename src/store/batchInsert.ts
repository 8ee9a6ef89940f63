import type { Db } from './caseStore.js';

/** Rows a multi-row INSERT carries (7 columns × 500 = 3,500 parameters, well under SQLite's limit). */
const ROWS_PER_INSERT = 500;

/**
 * An INSERT of `width` columns that sends rows in statements of ROWS_PER_INSERT rows: one
 * statement call per row cost more than the row itself (468,000 cluster rows and 338,000
 * evidence rows at 1,000,000 accounts). Rows keep their order, so ids are handed out as one by one.
 */
export function batchInsert(db: Db, head: string, width: number): { add: (...values: unknown[]) => void; flush: () => void } {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  const full = db.prepare(`${head} VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')}`);
  let pending: unknown[] = [];
  return {
    add(...values) {
      for (const v of values) pending.push(v);
      if (pending.length === width * ROWS_PER_INSERT) {
        full.run(pending);
        pending = [];
      }
    },
    flush() {
      const rows = pending.length / width;
      if (rows > 0) db.prepare(`${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`).run(pending);
      pending = [];
    },
  };
}
