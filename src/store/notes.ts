import { appendLog, type AuditEntryInput } from './auditLog.js';
import { HoptraceError } from '../model/errors.js';
import type { CaseAnnotation } from '../model/caseNames.js';
import type { CaseNote } from '../model/explore.js';
import { toNumber, writeTransaction, type Db } from './caseStore.js';

/**
 * Investigators' notes on accounts and transfers (the workbench with --write). A case file opened
 * read-only may predate the notes table: then it simply has none.
 */
function hasNotes(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'").get() !== undefined;
}

type NoteRow = {
  id: bigint;
  account_id: bigint | null;
  transfer_id: bigint | null;
  text: string;
  created_at: string;
  rail: string | null;
  ident: string | null;
};

const SELECT = 'SELECT n.id, n.account_id, n.transfer_id, n.text, n.created_at, a.rail, a.ident FROM notes n LEFT JOIN accounts a ON a.id = n.account_id';

function toNote(r: NoteRow): CaseNote {
  return r.account_id !== null
    ? { id: toNumber(r.id), target: 'account', ref: `${r.rail}:${r.ident}`, text: r.text, createdAt: r.created_at }
    : { id: toNumber(r.id), target: 'transfer', ref: String(toNumber(r.transfer_id)), text: r.text, createdAt: r.created_at };
}

export function selectNotes(db: Db, target: NoteTarget): CaseNote[] {
  if (!hasNotes(db)) return [];
  const rows =
    'accountId' in target
      ? db.prepare(`${SELECT} WHERE n.account_id = ? ORDER BY n.id`).all(target.accountId)
      : db.prepare(`${SELECT} WHERE n.transfer_id = ? ORDER BY n.id`).all(target.transferId);
  return (rows as NoteRow[]).map(toNote);
}

/** The notes on one account, oldest first (by id: the order they were written). */
export function selectAccountAnnotations(db: Db, accountId: number): CaseAnnotation[] {
  if (!hasNotes(db)) return [];
  return (db.prepare('SELECT created_at, text FROM notes WHERE account_id = ? ORDER BY id').all(accountId) as { created_at: string; text: string }[]).map(
    (r) => ({ kind: 'note', createdAt: r.created_at, text: r.text }),
  );
}

/** Every note on a transfer, by transfer id, oldest first: a case holds few, written by hand. */
export function selectTransferAnnotations(db: Db): Record<string, CaseAnnotation[]> {
  const byTransfer: Record<string, CaseAnnotation[]> = {};
  if (!hasNotes(db)) return byTransfer;
  for (const row of db.prepare('SELECT transfer_id, created_at, text FROM notes WHERE transfer_id IS NOT NULL ORDER BY id').all() as {
    transfer_id: bigint;
    created_at: string;
    text: string;
  }[]) {
    const key = String(toNumber(row.transfer_id));
    byTransfer[key] = [...(byTransfer[key] ?? []), { kind: 'note', createdAt: row.created_at, text: row.text }];
  }
  return byTransfer;
}

export const NOTE_MAX_CHARS = 10_000;

/** Where a note goes: an account or a transfer, by id. */
export type NoteTarget = { accountId: number } | { transferId: number };

/** The checks a note passes before it is stored, on either backend (PostgreSQL: ./pg/caseWritesPg.ts). */
export function checkNoteText(text: string): void {
  if (text.trim() === '') throw new HoptraceError('a note needs text');
  if (text.length > NOTE_MAX_CHARS) throw new HoptraceError(`a note holds at most ${NOTE_MAX_CHARS} characters`);
}

export const noSuchTransfer = (id: number): HoptraceError => new HoptraceError(`no transfer ${id} in the case file`);

/** A note's audit-log entry, the same on both backends (docs/case-file.md, "The audit log"). */
export function noteLogInput(target: NoteTarget): AuditEntryInput {
  return { action: 'add note', changes: { notes: 1, ...('accountId' in target ? { account: target.accountId } : { transfer: target.transferId }) } };
}

/** Stores one note in its own transaction; the target must exist. */
export function insertNote(db: Db, target: NoteTarget, text: string, createdAt: string): CaseNote {
  checkNoteText(text);
  if ('transferId' in target && db.prepare('SELECT 1 FROM transfers WHERE id = ?').get(target.transferId) === undefined)
    throw noSuchTransfer(target.transferId);
  // Nothing in a case changes without a log entry (docs/case-file.md, "The audit log").
  const id = writeTransaction(db, () => {
    const inserted =
      'accountId' in target
        ? db.prepare('INSERT INTO notes (account_id, text, created_at) VALUES (?, ?, ?)').run(target.accountId, text, createdAt).lastInsertRowid
        : db.prepare('INSERT INTO notes (transfer_id, text, created_at) VALUES (?, ?, ?)').run(target.transferId, text, createdAt).lastInsertRowid;
    appendLog(db, noteLogInput(target));
    return inserted;
  });
  return selectNote(db, id);
}

/** One stored note, by id, as the workbench answers with it. */
export function selectNote(db: Db, id: number | bigint): CaseNote {
  return toNote(db.prepare(`${SELECT} WHERE n.id = ?`).get(id) as NoteRow);
}
