import Database from 'better-sqlite3';
import { closePgCase, inWriteTransaction, openPgCase } from '../../src/store/pg/pgCase.js';
import { schemaTables } from '../../src/store/pg/schema.js';
import { copyTableToPg } from '../../src/store/pg/writeBackPg.js';

/**
 * A SQLite case file's rows, every table with the same ids, into a new PostgreSQL case: the same
 * case on both backends, for cases built by commands that do not run on PostgreSQL (the demo's
 * bank statements and exchange books). account_totals stays empty with its mark at 0, as a
 * PostgreSQL case keeps it (src/store/pg/schema.ts).
 */
export async function copySqliteCaseToPg(file: string, url: string): Promise<void> {
  const db = new Database(file, { readonly: true });
  db.defaultSafeIntegers(true);
  const handle = await openPgCase(url, 'create');
  try {
    await inWriteTransaction(handle, async () => {
      for (const table of schemaTables()) {
        if (table === 'account_totals') continue;
        await handle.client.query(`DELETE FROM ${table}`);
        await copyTableToPg(db, handle.client, table);
      }
      await handle.client.query("UPDATE meta SET value = '0' WHERE key = 'account_totals_through'");
    });
  } finally {
    db.close();
    await closePgCase(handle);
  }
}
