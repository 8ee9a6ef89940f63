import Database from 'better-sqlite3';
import { CaseBusyError, HoptraceError } from '../model/errors.js';
import { checkCaseFilePath, checkCaseIdentity, type CaseFileMode } from './caseFile.js';
import { appendLog } from './auditLog.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { recordOpenedFile } from './openedFile.js';

export type Db = Database.Database;

export interface OpenCaseOptions {
  readonly?: boolean;
  /** Milliseconds a second writer waits for the first before giving up (default 60 s). */
  busyTimeoutMs?: number;
  /** 'existing' (always when readonly): refuse a missing or empty file instead of creating a case. Default 'create'. */
  mode?: CaseFileMode;
}

/**
 * Opens (creating if needed) a case file and brings its schema up to date. Integers are read as
 * bigint everywhere (`safeIntegers`), so no amount ever passes through a JS number.
 */
export function openCaseDb(path: string, options: OpenCaseOptions = {}): Db {
  const mode: CaseFileMode = options.readonly ? 'existing' : (options.mode ?? 'create');
  checkCaseFilePath(path, mode);
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: mode === 'existing' });
  } catch (error) {
    throw new HoptraceError(`cannot open case file: ${(error as Error).message}`, { file: path });
  }
  db.defaultSafeIntegers(true);
  if (path !== ':memory:') recordOpenedFile(db, path);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 60_000}`);
  // Before any write (WAL mode, migrations): a file that is not a hoptrace case is left untouched.
  try {
    checkCaseIdentity(db, path, mode);
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
      throw new HoptraceError('not a hoptrace case file (the database is damaged)', { file: path, hint: 'check --db' });
    throw error;
  }
  if (!options.readonly) {
    try {
      enterWal(db, options.busyTimeoutMs ?? 60_000);
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    } catch (error) {
      db.close();
      throw busyOr(db, error);
    }
  } else {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) throw newerSchemaError(path, version);
  }
  return db;
}

/**
 * Turns the case file to WAL (a no-op once it is). A new file is in the rollback-journal mode
 * until then, and the switch reads the file, then writes it: two processes switching at once can
 * each hold the read lock the other's write waits for, and SQLite then answers SQLITE_BUSY at once
 * instead of calling the busy handler (sqlite.org/c3ref/busy_handler.html). Waiting and asking
 * again lets the other finish the switch; it is given the busy timeout, as any other write is.
 */
function enterWal(db: Db, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 100)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(PAUSE, 0, 0, pause);
    }
  }
}

/** Something to wait on: nothing ever wakes it, so Atomics.wait sleeps the full pause. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function newerSchemaError(path: string, version: number): HoptraceError {
  return new HoptraceError(`case file has schema version ${version}, newer than this hoptrace (${SCHEMA_VERSION})`, {
    file: path,
    hint: 'upgrade hoptrace',
  });
}

function migrate(db: Db, path: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw newerSchemaError(path, version);
  if (version === SCHEMA_VERSION) return;
  // IMMEDIATE: two processes opening a new case file at once must not both try to create it.
  beginImmediate(db);
  try {
    const current = Number(db.pragma('user_version', { simple: true }));
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('created_by', 'hoptrace')").run();
    if (current < AUDIT_LOG_VERSION) startLog(db, current);
    // The schema's change is a change of the case file like any other (docs/case-file.md, "The
    // audit log"): a newer hoptrace opening an older case says, in the log, what it migrated.
    else appendLog(db, { action: 'migrate schema', changes: { fromVersion: current, toVersion: SCHEMA_VERSION } });
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** The migration that added the audit log (schema.ts). */
const AUDIT_LOG_VERSION = 3;

/** The log's first entry: a new case, or what an older case file already held when its log began. */
function startLog(db: Db, fromVersion: number): void {
  if (fromVersion === 0) {
    appendLog(db, { action: 'create case' });
    return;
  }
  const count = (table: string): number => toNumber(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
  const inputs = (db.prepare('SELECT path, sha256 FROM sources ORDER BY id').all() as { path: string; sha256: string }[]).map((s) => ({
    path: s.path,
    sha256: s.sha256,
  }));
  appendLog(db, {
    action: 'start log',
    inputs,
    changes: { sources: inputs.length, transfers: count('transfers'), accounts: count('accounts'), tags: count('tags'), links: count('links') },
  });
}

const INT64_MAX = (1n << 63n) - 1n;

/** Amount → SQLite value: INTEGER when it fits, decimal TEXT otherwise (see schema.ts). */
export function amountToDb(amount: bigint): bigint | string {
  return amount <= INT64_MAX && amount >= -INT64_MAX ? amount : amount.toString();
}

export function amountFromDb(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  // A negative amount past 64 bits is stored as -0x… text (sourceWriter.ts, storedAmount), which BigInt does not read.
  if (typeof value === 'string') return value.startsWith('-0x') ? -BigInt(value.slice(1)) : BigInt(value);
  if (typeof value === 'number') return BigInt(value);
  throw new HoptraceError(`case file holds a non-integer amount (${String(value)})`);
}

export function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
}

/**
 * Starts a write transaction. Two hoptrace processes on one case file: the second waits (busy
 * timeout) for the first to commit, and if that takes too long it stops with a clear message
 * rather than a raw SQLITE_BUSY.
 */
export function beginImmediate(db: Db): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw busyOr(db, error);
  }
}

/**
 * Runs `work` in one IMMEDIATE transaction (committed, or rolled back if it throws). A deferred
 * transaction would meet another writer only at its first write, as a raw SQLITE_BUSY that the
 * CLI would report as a bug; this one waits at the start and then says the case is busy.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    throw busyOr(db, error);
  }
}

/** SQLITE_BUSY, or its extended code for a WAL another connection is recovering. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
}

function busyOr(db: Db, error: unknown): unknown {
  if (isBusy(error)) return new CaseBusyError('the case file is busy: another hoptrace process is writing to it', db.name);
  return error;
}
