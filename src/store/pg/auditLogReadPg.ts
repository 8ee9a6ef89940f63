import type pg from 'pg';
import { checkLogEntries, GENESIS_HASH, logEntryOf, type AuditEntry, type LogCheck, type LogRow } from '../auditLog.js';

/** `hoptrace log` on PostgreSQL: the entries ../auditLog.ts (selectLog) reads from a case file, oldest first. */
export async function selectLogPg(client: pg.Client): Promise<AuditEntry[]> {
  const result = await client.query<LogRow>(
    'SELECT seq::text AS seq, time, tool_version, command, action, inputs, changes, prev_hash, hash FROM audit_log ORDER BY audit_log.seq',
  );
  return result.rows.map(logEntryOf);
}

/** The hash chain's walk (../auditLog.ts: checkLog) over a PostgreSQL case's log. */
export async function checkLogPg(client: pg.Client): Promise<LogCheck> {
  let entries: AuditEntry[];
  try {
    entries = await selectLogPg(client);
  } catch (error) {
    return { ok: false, entries: 0, head: GENESIS_HASH, problems: [`the log cannot be read: ${(error as Error).message}`] };
  }
  const recorded = (await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'log_head'")).rows[0]?.value;
  return checkLogEntries(entries, recorded);
}
