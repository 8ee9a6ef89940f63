import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, lstatSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { HoptraceError, systemReason } from '../model/errors.js';
import type { Db } from './caseStore.js';

/**
 * A case file an import creates is made beside its path under a hidden name, and takes its name
 * only once something is stored in it, whole (docs/cli.md, "The case file"). An import refused
 * after reading (an unknown format, a bad row) then leaves no case behind; and since no other
 * process can know the hidden name, removing that file is safe, which removing a case file at its
 * real name is not (another hoptrace may have opened it meanwhile).
 */

/** Whether nothing, not even a dangling symbolic link, is at `path` (any other answer: the open reports it). */
function nothingAt(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Where a new case file for `path` would be made: `path` itself when nothing is there, the file a
 * symbolic link names when that is missing (the link stays, and names the case once it is made),
 * or undefined when a file is there (or the path cannot be looked at: the open reports why).
 */
export function newCaseTarget(path: string): string | undefined {
  let target = path;
  // As the system resolves links: at most 40 in a row.
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(target).isSymbolicLink();
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? target : undefined;
    }
    if (!isLink) return undefined;
    const link = readlinkSync(target);
    if (isAbsolute(link)) target = link;
    else {
      // Relative to the folder the link is in, as the system finds it: a ".." in the link leaves
      // that folder's real place, not the one a symbolic link on the way to it names.
      try {
        target = realpathSync(dirname(target)) + sep + link;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Refuses, before an import runs, a path that can name no file, or a symbolic link at it whose
 * missing target cannot (`target`, from newCaseTarget): the import would be read for nothing.
 */
export function checkNewCasePath(path: string, target = path): void {
  if (path === '') throw new HoptraceError('the case file name is empty', { hint: 'check --db or HOPTRACE_DB' });
  if (path.endsWith('/') || path.endsWith(sep))
    throw new HoptraceError('a case file name cannot end with a folder separator', { file: path, hint: 'check --db' });
  if (target.endsWith('/') || target.endsWith(sep))
    throw new HoptraceError(`a symbolic link to a folder that does not exist (${target}), not to a case file`, { file: path, hint: 'check --db' });
}

/** A file name's longest length in bytes on the file systems hoptrace runs on (NAME_MAX). */
const NAME_MAX = 255;

/**
 * The hidden name a new case file at `path` is made under, in the same folder (so that a link can
 * give it its name): `.NAME.PID.RANDOM.new`, or `.hoptrace.PID.RANDOM.new` when NAME is too long
 * for that.
 */
export function newCaseFileName(path: string): string {
  const tail = `.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  const named = `.${basename(path)}${tail}`;
  // SQLite adds "-wal", "-shm" and "-journal" to the name. The folder is kept as written, not
  // normalised: in `link/../case.db` the ".." leaves where the link leads, as the case file's does.
  return dirname(path) + sep + (Buffer.byteLength(named) + '-journal'.length <= NAME_MAX ? named : `.hoptrace${tail}`);
}

/**
 * Hidden new case files beside `path` (newCaseFileName) whose import ended without removing or
 * naming them: the process in their name is no longer running (it was killed, or the machine
 * stopped). A running process's file is its import under way, and is not one. What such a file
 * holds is what that import committed, part of it perhaps still in its `-wal` beside it.
 */
export function leftoverNewCaseFiles(path: string): { file: string; pid: number }[] {
  const folder = dirname(path);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const pattern = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.new$/;
  const found: { file: string; pid: number }[] = [];
  for (const name of names.sort()) {
    const match = pattern.exec(name);
    if (!match || match[1] !== basename(path)) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && !running(pid)) found.push({ file: join(folder, name), pid });
  }
  return found;
}

/** Whether a process with this id is running (a process of another user counts: EPERM). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the case holds anything since it was created: every change adds a log entry after "create case". */
export function storedSinceCreated(db: Db): boolean {
  return Number(db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()) > 1;
}

/**
 * Moves everything the new case holds from its write-ahead log into the file itself, then closes
 * it: the file is given its name alone, so nothing may stay in a `-wal` beside the hidden name (a
 * full disk stops the move). Returns why it could not, or undefined.
 */
export function sealNewCaseFile(db: Db, hidden: string): string | undefined {
  let reason: string | undefined;
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number | bigint; log: number | bigint }[];
    if (Number(result?.busy ?? 1) !== 0 || Number(result?.log ?? 1) !== 0) reason = 'its write-ahead log could not be written into it';
  } catch (error) {
    reason = (error as Error).message;
  }
  db.close();
  if (reason === undefined && existsSync(`${hidden}-wal`) && statSync(`${hidden}-wal`).size > 0) reason = 'its write-ahead log is still beside it';
  return reason;
}

/**
 * Gives the closed new case file its name: a hard link, which fails rather than replace a file
 * another process put at `path` meanwhile ('taken'), then the hidden name removed. Where the file
 * system has no hard links (FAT, some network shares), a rename after a look that nothing is
 * there: a file another process makes between the look and the rename is replaced, a race the
 * link does not have. Any other failure is the user's to act on, naming `path`.
 */
export function placeNewCaseFile(hidden: string, path: string): 'placed' | 'taken' {
  try {
    linkSync(hidden, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'taken';
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK')
      throw new HoptraceError(`cannot create the case file: ${systemReason(error as NodeJS.ErrnoException)}`, { file: path });
    if (!nothingAt(path)) return 'taken';
    renameSync(hidden, path);
    return 'placed';
  }
  try {
    rmSync(hidden, { force: true });
  } catch {
    // The case has its name; a second name left for it is harmless.
  }
  return 'placed';
}

/** Removes a new case file under its hidden name, with what SQLite may have left beside it. */
export function discardNewCaseFile(hidden: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(hidden + suffix, { force: true });
}
