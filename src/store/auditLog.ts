import { createHash } from 'node:crypto';
import { redactUrl } from '../fetch/redactUrl.js';
import { toolVersion } from '../version.js';
import { toNumber, type Db } from './caseStore.js';
import { inReadSnapshot } from './readSnapshot.js';

/**
 * The case's audit log (docs/case-file.md, "The audit log"): one entry per change to the case,
 * written in the transaction that makes the change, so the log and the case cannot disagree.
 * Each entry carries the SHA-256 of the one before it; `hash` is the SHA-256 of the entry's
 * canonical form (`canonicalEntry`), so altering or removing an entry breaks the chain, and the
 * head hash a report cites pins everything before it.
 */
export interface AuditInput {
  path: string;
  sha256: string;
}

export interface AuditEntryInput {
  /** What changed the case: `ingest usdt:etherscan`, `fetch evm`, `cluster`, `remove-source` … */
  action: string;
  /** Files (or fetched answers) the change read, with their SHA-256. */
  inputs?: readonly AuditInput[];
  /** Rows changed, by kind: `{ transfers: 12, duplicates: 3 }`. Zero counts are kept. */
  changes?: Readonly<Record<string, number>>;
}

export interface AuditEntry {
  seq: number;
  time: string;
  toolVersion: string;
  command: string[];
  action: string;
  inputs: AuditInput[];
  changes: Record<string, number>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The command line the entries of this process record; the CLI sets it once (redacted). */
let currentCommand: string[] = ['(library call)'];

/** Records the command line entries will cite, with secrets removed (see `redactArgs`). */
export function setAuditCommand(argv: readonly string[]): void {
  currentCommand = redactArgs(argv);
}

const SECRET_OPTION = /^--?[\w-]*(key|secret|password|passwd|auth|bearer|credential)[\w-]*$/i;

/**
 * A command line as the log may keep it: URLs without credentials or key-like parts (redactUrl),
 * and the value of any option named like a key or password dropped. API keys travel in the
 * environment (HOPTRACE_TRONGRID_KEY), which is never recorded.
 */
export function redactArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && SECRET_OPTION.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=REDACTED`);
      continue;
    }
    if (SECRET_OPTION.test(arg)) {
      out.push(arg);
      if (i + 1 < argv.length) out.push('REDACTED');
      i++;
      continue;
    }
    out.push(/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) ? redactUrl(arg) : arg.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => redactUrl(url)));
  }
  return out;
}

/** The exact text an entry's hash covers: a JSON array in fixed order, no whitespace. */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([entry.seq, entry.time, entry.toolVersion, entry.command, entry.action, entry.inputs, entry.changes, entry.prevHash]);
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(entry)).digest('hex');
}

/** The newest entry's sequence number and hash (GENESIS_HASH on an empty log). */
export function logHead(db: Db): { seq: number; hash: string } {
  const row = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: bigint; hash: string } | undefined;
  return row ? { seq: toNumber(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** The entry that follows `head`, as every backend stores it (PostgreSQL: src/store/pg/auditLogPg.ts). */
export function nextLogEntry(head: { seq: number; hash: string }, input: AuditEntryInput): Omit<AuditEntry, 'hash'> {
  return {
    seq: head.seq + 1,
    time: new Date().toISOString(),
    toolVersion: toolVersion(),
    command: currentCommand,
    action: input.action,
    inputs: (input.inputs ?? []).map((i) => ({ path: i.path, sha256: i.sha256 })),
    changes: { ...(input.changes ?? {}) },
    prevHash: head.hash,
  };
}

/**
 * Appends one entry. Call it inside the transaction that changes the case (it throws outside
 * one), so the entry is committed or rolled back with the change. Returns the new head hash.
 * `meta.log_head` keeps `SEQ:HASH` of the newest entry, so removing the last entries is seen too.
 */
export function appendLog(db: Db, input: AuditEntryInput): string {
  if (!db.inTransaction) throw new Error('appendLog: call it inside the transaction that changes the case');
  const entry = nextLogEntry(logHead(db), input);
  const hash = entryHash(entry);
  db.prepare('INSERT INTO audit_log (seq, time, tool_version, command, action, inputs, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    entry.seq,
    entry.time,
    entry.toolVersion,
    JSON.stringify(entry.command),
    entry.action,
    JSON.stringify(entry.inputs),
    JSON.stringify(entry.changes),
    entry.prevHash,
    hash,
  );
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('log_head', ?)").run(`${entry.seq}:${hash}`);
  return hash;
}

/** An audit_log row as either backend returns it (seq: bigint from SQLite, text from PostgreSQL). */
export interface LogRow {
  seq: bigint | string;
  time: string;
  tool_version: string;
  command: string;
  action: string;
  inputs: string;
  changes: string;
  prev_hash: string;
  hash: string;
}

export function selectLog(db: Db): AuditEntry[] {
  // A case file from before the log, opened read-only (not migrated): no entries yet.
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() === undefined) return [];
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as LogRow[]).map(logEntryOf);
}

export function logEntryOf(r: LogRow): AuditEntry {
  return {
    seq: toNumber(r.seq),
    time: r.time,
    toolVersion: r.tool_version,
    command: JSON.parse(r.command) as string[],
    action: r.action,
    inputs: JSON.parse(r.inputs) as AuditInput[],
    changes: JSON.parse(r.changes) as Record<string, number>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface LogCheck {
  ok: boolean;
  entries: number;
  head: string;
  /** One line per break: which entry, and what does not hold. */
  problems: string[];
}

/**
 * Walks the chain: each entry's hash must be the hash of its own content, its prev_hash the hash
 * of the entry before it, sequence numbers must run 1, 2, 3 … without a gap, and the newest entry
 * must be the one `meta.log_head` names. The entries and the recorded head are read in one read
 * snapshot: read apart, an entry another process logged between the two reads looked like one
 * added outside hoptrace (docs/case-file.md, "Reading while another process writes").
 */
export function checkLog(db: Db): LogCheck {
  return inReadSnapshot(db, () => {
    let entries: AuditEntry[];
    try {
      entries = selectLog(db);
    } catch (error) {
      return { ok: false, entries: 0, head: GENESIS_HASH, problems: [`the log cannot be read: ${(error as Error).message}`] };
    }
    return checkLogEntries(entries, db.prepare("SELECT value FROM meta WHERE key = 'log_head'").pluck().get() as string | undefined);
  });
}

/** The walk of checkLog over entries read from either backend; `recorded` is `meta.log_head`. */
export function checkLogEntries(entries: readonly AuditEntry[], recorded: string | undefined): LogCheck {
  const problems: string[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) problems.push(`entry ${entry.seq}: expected entry ${expectedSeq} here (an entry was removed)`);
    if (entry.prevHash !== prev)
      problems.push(`entry ${entry.seq}: prev_hash ${entry.prevHash.slice(0, 12)}… is not the hash of the entry before it (${prev.slice(0, 12)}…)`);
    const { hash, ...rest } = entry;
    if (entryHash(rest) !== hash) problems.push(`entry ${entry.seq}: its content does not match its hash (the entry was altered)`);
    prev = hash;
    expectedSeq = entry.seq + 1;
  }
  const last = entries[entries.length - 1];
  const actual = last ? `${last.seq}:${last.hash}` : undefined;
  if (recorded !== actual)
    problems.push(
      `the log's recorded head (${recorded ?? 'none'}) is not its newest entry (${actual ?? 'none'}): entries were removed or added outside hoptrace`,
    );
  return { ok: problems.length === 0, entries: entries.length, head: prev, problems };
}
