import { join } from 'node:path';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { tempDir } from './cli.js';

/**
 * A new case file holding one source (id 1, "generated") and the Tron accounts named, ids from 1:
 * the setting rows written straight into the tables need (a transfer names its source).
 */
export function sourcedCase(prefix: string, tronAccounts: readonly string[] = []): Db {
  const db = openCaseDb(join(tempDir(prefix), 'case.db'));
  db.prepare(
    "INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES (1, 'generated', ?, 0, 'test', '{}', '2024-01-01T00:00:00Z')",
  ).run('0'.repeat(64));
  const account = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
  for (const [i, ident] of tronAccounts.entries()) account.run(i + 1, ident);
  return db;
}
