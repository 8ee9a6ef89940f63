import type { CaseFileMode } from '../store/caseFile.js';
import { openCaseDb, type Db } from '../store/caseStore.js';
import type { GlobalOptions } from './options.js';


export function caseFilePath(options: GlobalOptions): string {
  return options.db ?? (process.env['HOPTRACE_DB'] || 'hoptrace.db');
}

/**
 * Opens the case file for one command and always closes it (WAL checkpoint on close). Only
 * commands that bring data in pass mode 'create'; every other command needs an existing case, so
 * a typo in --db is an error rather than a new empty case (docs/cli.md, "The case file").
 */
export async function withCase<T>(options: GlobalOptions, run: (db: Db, path: string) => Promise<T> | T, mode: CaseFileMode = 'existing'): Promise<T> {
  const path = caseFilePath(options);
  // HOPTRACE_BUSY_TIMEOUT_MS: how long to wait for another process writing the same case file.
  const busy = process.env['HOPTRACE_BUSY_TIMEOUT_MS'];
  const db = openCaseDb(path, { mode, ...(busy && /^\d+$/.test(busy) ? { busyTimeoutMs: Number(busy) } : {}) });
  try {
    return await run(db, path);
  } finally {
    db.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
