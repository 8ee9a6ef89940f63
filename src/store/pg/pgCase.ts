import pg from 'pg';
import { CaseBusyError, HoptraceError } from '../../model/errors.js';
import type { CaseFileMode } from '../caseFile.js';
import { SCHEMA_VERSION } from '../schema.js';
import { appendLogPg } from './auditLogPg.js';
import { pgMigrations } from './schema.js';

/**
 * A case held in a PostgreSQL database (docs/postgresql.md). `--db postgres://USER@HOST:PORT/DB`
 * names it; the database holds one case, its tables the same as a case file's (./schema.ts).
 */
export interface PgCase {
  client: pg.Client;
  /** The URL without its password, as results and messages name the case. */
  location: string;
}

/** The URL as hoptrace prints and records it: no password, no query string. */
export function describePgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '<unreadable PostgreSQL URL>';
  }
}

/**
 * Connects and checks the database is a hoptrace case. A command that brings data in ('create')
 * creates the tables in an empty database and brings an older schema up to date, under the
 * writer lock; a read command ('existing') never writes, so a read-only role can run it.
 */
export async function openPgCase(url: string, mode: CaseFileMode, onWait?: () => void): Promise<PgCase> {
  const location = describePgUrl(url);
  const client = new pg.Client({ connectionString: url, application_name: 'hoptrace' });
  try {
    await client.connect();
  } catch (error) {
    throw new HoptraceError(`cannot connect to PostgreSQL: ${(error as Error).message}`, {
      file: location,
      hint: 'check --db (postgres://USER@HOST:PORT/DB) and that the server is running',
    });
  }
  // A failed connection later (server restart) must not crash the process with an unhandled event.
  client.on('error', () => undefined);
  const handle = { client, location };
  try {
    const version = await schemaVersion(client);
    if (version > SCHEMA_VERSION)
      throw new HoptraceError(`the case has schema version ${version}, newer than this hoptrace (${SCHEMA_VERSION})`, {
        file: location,
        hint: 'upgrade hoptrace',
      });
    if (version === SCHEMA_VERSION) return handle;
    if (mode === 'existing') {
      if (version === 0)
        throw new HoptraceError('no hoptrace case in this database', { file: location, hint: 'check --db, or create the case with an ingest command' });
      throw new HoptraceError(`the case has schema version ${version}; this hoptrace needs ${SCHEMA_VERSION}`, {
        file: location,
        hint: 'run an ingest command as a role that may write, which brings it up to date',
      });
    }
    await migrate(handle, onWait);
    return handle;
  } catch (error) {
    await client.end();
    throw error;
  }
}

export async function closePgCase(handle: PgCase): Promise<void> {
  await handle.client.end();
}

/** Applied migrations, 0 for a database without hoptrace's tables; a database of another program is refused. */
async function schemaVersion(client: pg.Client): Promise<number> {
  const tables = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const names = new Set(tables.rows.map((r) => r.name));
  if (!names.has('schema_migrations')) {
    if (names.size > 0)
      throw new HoptraceError('not a hoptrace case (the database holds other tables)', { hint: 'give hoptrace a database of its own (createdb)' });
    return 0;
  }
  const result = await client.query<{ version: string | null }>('SELECT MAX(version)::text AS version FROM schema_migrations');
  return Number(result.rows[0]?.version ?? 0);
}

/** One writer at a time on a case: the advisory lock every write transaction takes first. */
const WRITER_LOCK = 0x686f7074; // "hopt"

/**
 * Runs `work` in one transaction holding the case's writer lock. A second writer does not fail:
 * `onWait` tells the user whom it waits for, then it waits (HOPTRACE_BUSY_TIMEOUT_MS bounds the
 * wait; past it the command stops with a clear message, the first writer unharmed). Readers never
 * wait: PostgreSQL shows them the last committed state.
 */
export async function inWriteTransaction<T>(handle: PgCase, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  const { client } = handle;
  await client.query('BEGIN');
  try {
    const got = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [WRITER_LOCK]);
    if (!got.rows[0]?.locked) {
      onWait?.();
      const busy = process.env['HOPTRACE_BUSY_TIMEOUT_MS'];
      if (busy && /^\d+$/.test(busy)) await client.query(`SET LOCAL lock_timeout = ${Number(busy)}`);
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      } catch (error) {
        if ((error as { code?: string }).code === '55P03')
          throw new CaseBusyError('the case is busy: another hoptrace process is writing to it', handle.location);
        throw error;
      }
      if (busy) await client.query('SET LOCAL lock_timeout = 0');
    }
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '42501')
      throw new HoptraceError(`this database role may not change the case (${(error as Error).message})`, {
        file: handle.location,
        hint: 'a read-only role runs info and trace; ingest as a role that may write',
      });
    throw error;
  }
}

async function migrate(handle: PgCase, onWait?: () => void): Promise<void> {
  await inWriteTransaction(
    handle,
    async () => {
      const { client } = handle;
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const current = await schemaVersion(client);
      const migrations = pgMigrations();
      for (let v = current; v < SCHEMA_VERSION; v++) {
        await client.query(migrations[v] ?? '');
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
      }
      await client.query("INSERT INTO meta (key, value) VALUES ('created_by', 'hoptrace') ON CONFLICT (key) DO NOTHING");
      if (current === 0) await appendLogPg(client, { action: 'create case' });
    },
    onWait,
  );
}
