import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { HoptraceError } from '../model/errors.js';

/**
 * What may be opened as a case file (docs/cli.md, "The case file"). A case file is evidence, so
 * nothing is created or rewritten by accident: only a command that brings data in (ingest, fetch,
 * demo) may create one, and a file that is not a hoptrace case — a typo'd path, a README, another
 * program's SQLite database — is refused in one line before SQLite writes anything to it.
 */
export type CaseFileMode = 'create' | 'existing';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Checks the path before SQLite opens it; a missing file is refused unless `mode` is 'create'. */
export function checkCaseFilePath(path: string, mode: CaseFileMode): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw notACase(path, 'it is a folder');
    size = stat.size;
  } catch (error) {
    if (error instanceof HoptraceError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new HoptraceError(`cannot open case file: ${(error as Error).message}`, { file: path });
    if (mode === 'create') return;
    throw new HoptraceError(`no case file at ${path}`, { hint: 'check --db, or create one with an ingest command' });
  }
  if (size === 0) {
    // An empty file (touch case.db) may become a case; a command that only reads gets nothing from it.
    if (mode === 'create') return;
    throw notACase(path, 'the file is empty');
  }
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) throw notACase(path, 'not an SQLite database');
}

/**
 * After opening: an SQLite database is a hoptrace case when hoptrace created it (meta.created_by).
 * A database with no tables at all is a new case only for a command that may create one.
 */
export function checkCaseIdentity(db: Database.Database, path: string, mode: CaseFileMode): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) {
    if (mode === 'create') return;
    throw notACase(path, 'an empty SQLite database');
  }
  const ours = tables.includes('meta') && db.prepare("SELECT value FROM meta WHERE key = 'created_by'").pluck().get() === 'hoptrace';
  if (!ours) throw notACase(path, "an SQLite database without hoptrace's tables");
}

function notACase(path: string, why: string): HoptraceError {
  return new HoptraceError(`not a hoptrace case file (${why})`, { file: path, hint: 'check --db' });
}
