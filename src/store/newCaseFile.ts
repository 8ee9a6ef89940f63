import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, lstatSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './caseStore.js';

/**
 * A case file an import creates is made beside its path under a hidden name, and takes its name
 * only once something is stored in it (docs/cli.md, "The case file"). An import refused after
 * reading (an unknown format, a bad row) then leaves no case behind; and since no other process
 * can know the hidden name, removing that file is safe, which removing a case file at its real
 * name is not (another hoptrace may have opened it meanwhile).
 */

/** Whether nothing, not even a dangling symbolic link, is at `path`. */
export function nothingAt(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** The hidden name a new case file at `path` is made under: `.NAME.PID.RANDOM.new`, in the same folder. */
export function newCaseFileName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.new`);
}

/** Whether the case holds anything since it was created: every change adds a log entry after "create case". */
export function storedSinceCreated(db: Db): boolean {
  return Number(db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()) > 1;
}

/**
 * Gives the closed new case file its name: a hard link, which fails rather than replace a file
 * another process put at `path` meanwhile ('taken'), then the hidden name removed. Where the file
 * system has no hard links, a rename after a look that nothing is there (the race it leaves is the
 * one an ordinary open has).
 */
export function placeNewCaseFile(hidden: string, path: string): 'placed' | 'taken' {
  try {
    linkSync(hidden, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'taken';
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw error;
    if (existsSync(path)) return 'taken';
    renameSync(hidden, path);
    return 'placed';
  }
  rmSync(hidden, { force: true });
  return 'placed';
}

/** Removes a new case file under its hidden name, with what SQLite may have left beside it. */
export function discardNewCaseFile(hidden: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(hidden + suffix, { force: true });
}
