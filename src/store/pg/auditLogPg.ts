import type pg from 'pg';
import { entryHash, GENESIS_HASH, nextLogEntry, type AuditEntryInput } from '../auditLog.js';

/** The audit log on PostgreSQL: the same entries and hash chain as ../auditLog.ts, written in the changing transaction. */
export async function logHeadPg(client: pg.Client): Promise<{ seq: number; hash: string }> {
  const result = await client.query<{ seq: string; hash: string }>('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1');
  const row = result.rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Call inside the write transaction (./pgCase.ts: inWriteTransaction), which holds the writer lock. */
export async function appendLogPg(client: pg.Client, input: AuditEntryInput): Promise<string> {
  const entry = nextLogEntry(await logHeadPg(client), input);
  const hash = entryHash(entry);
  await client.query(
    'INSERT INTO audit_log (seq, time, tool_version, command, action, inputs, changes, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [
      entry.seq,
      entry.time,
      entry.toolVersion,
      JSON.stringify(entry.command),
      entry.action,
      JSON.stringify(entry.inputs),
      JSON.stringify(entry.changes),
      entry.prevHash,
      hash,
    ],
  );
  await client.query("INSERT INTO meta (key, value) VALUES ('log_head', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [`${entry.seq}:${hash}`]);
  return hash;
}
