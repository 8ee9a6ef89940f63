import { HoptraceError } from '../model/errors.js';
import type { CaseAssertion } from '../model/explore.js';
import { appendLog, type AuditEntryInput } from './auditLog.js';
import { toNumber, writeTransaction, type Db } from './caseStore.js';

/**
 * Investigators' cluster assertions (the workbench with --write): two accounts are one operator's,
 * or never are. `hoptrace cluster` applies them as it applies a --manual file. A case file opened
 * read-only may predate the table: then it simply has none.
 */
export function hasClusterAssertions(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cluster_assertions'").get() !== undefined;
}

/** A stored assertion with the account ids `hoptrace cluster` needs. */
export interface StoredAssertion extends CaseAssertion {
  aId: number;
  bId: number;
}

type AssertionRow = { id: bigint; a: bigint; b: bigint; same: bigint; reason: string; created_at: string; a_key: string; b_key: string };

const SELECT = `SELECT s.id, s.a, s.b, s.same, s.reason, s.created_at, x.rail || ':' || x.ident AS a_key, y.rail || ':' || y.ident AS b_key
  FROM cluster_assertions s JOIN accounts x ON x.id = s.a JOIN accounts y ON y.id = s.b`;

function toAssertion(r: AssertionRow): StoredAssertion {
  return {
    id: toNumber(r.id),
    a: r.a_key,
    b: r.b_key,
    same: toNumber(r.same) === 1,
    reason: r.reason,
    createdAt: r.created_at,
    aId: toNumber(r.a),
    bId: toNumber(r.b),
  };
}

const publicPart = ({ aId: _a, bId: _b, ...assertion }: StoredAssertion): CaseAssertion => assertion;

/** Every assertion, in the order written. */
export function selectStoredAssertions(db: Db): StoredAssertion[] {
  if (!hasClusterAssertions(db)) return [];
  return (db.prepare(`${SELECT} ORDER BY s.id`).all() as AssertionRow[]).map(toAssertion);
}

/** The assertions naming any of these accounts, in the order written. */
export function selectAssertionsOf(db: Db, accountIds: readonly number[]): CaseAssertion[] {
  if (!hasClusterAssertions(db) || accountIds.length === 0) return [];
  const ids = JSON.stringify(accountIds);
  return (
    db
      .prepare(`${SELECT} WHERE s.a IN (SELECT value FROM json_each(?)) OR s.b IN (SELECT value FROM json_each(?)) ORDER BY s.id`)
      .all(ids, ids) as AssertionRow[]
  ).map((r) => publicPart(toAssertion(r)));
}

export const ASSERTION_REASON_MAX_CHARS = 2_000;

/** An assertion as the workbench asks for it: two account ids, one operator's or never. */
export interface NewAssertion {
  a: number;
  b: number;
  same: boolean;
  reason: string;
}

/** The checks an assertion passes before it is stored, on either backend (PostgreSQL: ./pg/caseWritesPg.ts). */
export function checkAssertion(assertion: NewAssertion): void {
  if (assertion.a === assertion.b) throw new HoptraceError('an assertion names two different accounts');
  if (assertion.reason.trim() === '') throw new HoptraceError('an assertion needs a reason (what shows it)');
  if (assertion.reason.length > ASSERTION_REASON_MAX_CHARS) throw new HoptraceError(`a reason holds at most ${ASSERTION_REASON_MAX_CHARS} characters`);
}

/** An assertion's audit-log entry, the same on both backends (docs/case-file.md, "The audit log"). */
export function assertionLogInput(assertion: NewAssertion): AuditEntryInput {
  return { action: 'assert cluster', changes: { assertions: 1, a: assertion.a, b: assertion.b, same: assertion.same ? 1 : 0 } };
}

/** Stores one assertion, with its audit log entry, in one transaction. */
export function insertClusterAssertion(db: Db, assertion: NewAssertion, createdAt: string): CaseAssertion {
  checkAssertion(assertion);
  // Nothing in a case changes without a log entry (docs/case-file.md, "The audit log").
  const id = writeTransaction(db, () => {
    const inserted = db
      .prepare('INSERT INTO cluster_assertions (a, b, same, reason, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(assertion.a, assertion.b, assertion.same ? 1 : 0, assertion.reason.trim(), createdAt).lastInsertRowid;
    appendLog(db, assertionLogInput(assertion));
    return inserted;
  });
  return selectAssertion(db, id);
}

/** One stored assertion, by id, as the workbench answers with it. */
export function selectAssertion(db: Db, id: number | bigint): CaseAssertion {
  return publicPart(toAssertion(db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as AssertionRow));
}
