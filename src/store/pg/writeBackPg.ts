import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { selectLog } from '../auditLog.js';
import { amountFromDb, type Db } from '../caseStore.js';
import { HoptraceError } from '../../model/errors.js';
import { appendLogPg, logHeadPg } from './auditLogPg.js';
import { inWriteTransaction, type PgCase } from './pgCase.js';
import { tableColumns, type PgWorkingCopy } from './workingCopy.js';

/**
 * What a whole-case command stores (cluster: the clusters and their evidence; detect: the
 * findings): the tables it replaces and the meta keys it sets (the basis staleness compares).
 */
export interface WriteBack {
  /** Referenced tables before those that reference them. */
  tables: readonly string[];
  meta: readonly string[];
}

const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);
const CHUNK_BYTES = 1 << 16;

/** A case file's value in COPY's text format. */
function copyValue(value: unknown, amount: boolean): string {
  if (value === null || value === undefined) return '\\N';
  if (amount) return amountFromDb(value).toString();
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Stores what the command wrote into its working copy (./workingCopy.ts) in the PostgreSQL case,
 * in one transaction under the writer lock: each table of `back` replaced through COPY, the meta
 * keys set, and the copy's new audit-log entries appended to the case's log (the same action,
 * inputs and counts). If another writer changed the case since the copy was taken, nothing is
 * stored and `command` is to be run again. A role that may not write gets the clear refusal of
 * inWriteTransaction, and nothing changes.
 */
export async function writeBackPg(handle: PgCase, copy: PgWorkingCopy, back: WriteBack, command: string, onWait?: () => void): Promise<void> {
  const entries = selectLog(copy.db).filter((e) => e.seq > copy.head.seq);
  await inWriteTransaction(
    handle,
    async () => {
      const { client } = handle;
      // Under the writer lock: a result computed on a case another writer has changed since the
      // copy was taken is not stored (it could undo that change, such as an assertion just added).
      const head = await logHeadPg(client);
      if (head.seq !== copy.head.seq || head.hash !== copy.head.hash)
        throw new HoptraceError(`the case changed while ${command} ran: another hoptrace process wrote to it`, {
          file: handle.location,
          hint: `nothing was stored; run ${command} again`,
        });
      // Referencing tables come after the tables they reference: emptied first, filled last.
      for (const table of [...back.tables].reverse()) await client.query(`DELETE FROM ${table}`);
      for (const table of back.tables) await copyTableToPg(copy.db, client, table);
      for (const key of back.meta) {
        const value = copy.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
        if (value === undefined) await client.query('DELETE FROM meta WHERE key = $1', [key]);
        else await client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
      }
      for (const entry of entries) await appendLogPg(client, { action: entry.action, inputs: entry.inputs, changes: entry.changes });
    },
    onWait,
  );
}

/** One table of a case file into the same table of a PostgreSQL case, through COPY (amounts as NUMERIC). */
export async function copyTableToPg(db: Db, client: pg.Client, table: string): Promise<void> {
  const columns = tableColumns(db, table);
  const names = columns.map((c) => c.name).join(', ');
  const rows = db.prepare(`SELECT ${names} FROM ${table}`).raw().iterate() as Iterable<unknown[]>;
  const amounts = columns.map((c) => AMOUNT_COLUMNS.has(c.name));
  async function* lines(): AsyncGenerator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += row.map((value, i) => copyValue(value, amounts[i]!)).join('\t') + '\n';
      if (chunk.length > CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(lines, client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`)));
}
