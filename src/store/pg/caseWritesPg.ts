import type { CaseAssertion, CaseNote } from '../../model/explore.js';
import type { Db } from '../caseStore.js';
import { assertionLogInput, checkAssertion, selectAssertion, type NewAssertion } from '../clusterAssertions.js';
import { checkNoteText, noSuchTransfer, noteLogInput, selectNote, type NoteTarget } from '../notes.js';
import { appendLogPg } from './auditLogPg.js';
import { inWriteTransaction, type PgCase } from './pgCase.js';
import { copyFromPg, inSnapshot } from './workingCopy.js';

/**
 * The workbench's writes (serve --write) on a PostgreSQL case (docs/postgresql.md, "The
 * workbench"): a note or a cluster assertion, each in its own transaction under the case's writer
 * lock, with the row and the audit-log entry a case file gets (../notes.ts,
 * ../clusterAssertions.ts). Its id is the next after the largest, as a case file's rowid is. Once
 * committed, the row and its log entry are copied into the working copy the workbench serves
 * (`db`), so the next read shows them, and the answer is read from there as on a case file.
 */
export async function insertNotePg(handle: PgCase, db: Db, target: NoteTarget, text: string, createdAt: string, onWait?: () => void): Promise<CaseNote> {
  checkNoteText(text);
  // The workbench shows the working copy: a transfer it does not hold is refused as a case file
  // refuses it; one removed from the database since is refused below, under the lock.
  if ('transferId' in target && db.prepare('SELECT 1 FROM transfers WHERE id = ?').get(target.transferId) === undefined)
    throw noSuchTransfer(target.transferId);
  const { id, hash } = await inWriteTransaction(
    handle,
    async () => {
      const { client } = handle;
      if ('transferId' in target && (await client.query('SELECT 1 FROM transfers WHERE id = $1', [target.transferId])).rowCount === 0)
        throw noSuchTransfer(target.transferId);
      const next = await nextId(handle, 'notes');
      await client.query('INSERT INTO notes (id, account_id, transfer_id, text, created_at) VALUES ($1, $2, $3, $4, $5)', [
        next,
        'accountId' in target ? target.accountId : null,
        'transferId' in target ? target.transferId : null,
        text,
        createdAt,
      ]);
      return { id: next, hash: await appendLogPg(client, noteLogInput(target)) };
    },
    onWait,
  );
  await copyWritten(handle, db, 'notes', id, hash);
  return selectNote(db, id);
}

export async function insertClusterAssertionPg(
  handle: PgCase,
  db: Db,
  assertion: NewAssertion,
  createdAt: string,
  onWait?: () => void,
): Promise<CaseAssertion> {
  checkAssertion(assertion);
  const { id, hash } = await inWriteTransaction(
    handle,
    async () => {
      const next = await nextId(handle, 'cluster_assertions');
      await handle.client.query('INSERT INTO cluster_assertions (id, a, b, same, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        next,
        assertion.a,
        assertion.b,
        assertion.same ? 1 : 0,
        assertion.reason.trim(),
        createdAt,
      ]);
      return { id: next, hash: await appendLogPg(handle.client, assertionLogInput(assertion)) };
    },
    onWait,
  );
  await copyWritten(handle, db, 'cluster_assertions', id, hash);
  return selectAssertion(db, id);
}

/** The id a case file's INTEGER PRIMARY KEY would give the next row: one past the largest. Call it under the writer lock. */
async function nextId(handle: PgCase, table: 'notes' | 'cluster_assertions'): Promise<number> {
  const got = await handle.client.query<{ next: string }>(`SELECT (COALESCE(MAX(id), 0) + 1)::text AS next FROM ${table}`);
  return Number(got.rows[0]!.next);
}

/**
 * The committed row and its log entry into the working copy; the copy's log head moves to that
 * entry, so the copy's log holds exactly the changes the copy holds.
 */
async function copyWritten(handle: PgCase, db: Db, table: 'notes' | 'cluster_assertions', id: number, hash: string): Promise<void> {
  await inSnapshot(handle.client, async () => {
    await copyFromPg(handle.client, db, table, 'WHERE id = $1', [id]);
    await copyFromPg(handle.client, db, 'audit_log', 'WHERE hash = $1', [hash]);
  });
  db.prepare("INSERT OR REPLACE INTO meta (key, value) SELECT 'log_head', seq || ':' || hash FROM audit_log WHERE hash = ?").run(hash);
}
