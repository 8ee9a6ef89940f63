import Database from 'better-sqlite3';
import type pg from 'pg';
import { canonicalEvmAddress, canonicalTronAddress } from '../../model/address.js';
import type { Db } from '../caseStore.js';
import { findAccount, type AccountKey } from '../explore.js';
import { MIGRATIONS } from '../schema.js';
import { copyRows } from './traceWorkingSet.js';

/**
 * `hoptrace account` and `transfers --account` on PostgreSQL (docs/postgresql.md, "One account:
 * a working set"): the rows these commands read about one account are fetched into an in-memory
 * SQLite database with the case schema, and their SQLite code (../explore.ts) runs over it
 * unchanged — the accounts the name typed could mean, then the account's whole history in and out
 * with its counterparties, its totals, opening balances, tags, cluster, findings (with their
 * accounts, those accounts' tags and the evidence transfers), notes and cluster assertions, and
 * the case's sources and meta. All of it is read in one REPEATABLE READ transaction, so it is the
 * case as one commit left it.
 */
type Row = Record<string, unknown>;

export interface AccountWorkingSet {
  db: Db;
  /** The account the text names, as findAccount finds it on a case file; undefined when none. */
  account: AccountKey | undefined;
  close(): void;
}

/** Every ident findAccount (../explore.ts) may look up for `text`: the text as typed, without its prefixes, its canonical address forms. */
export function identCandidates(text: string): string[] {
  const value = text
    .trim()
    .replace(/^account:/, '')
    .replace(/^(bank|ethereum|tron):/, '');
  const candidates = new Set([value, value.replace(/ /g, '').toUpperCase()]);
  for (const canonical of [canonicalEvmAddress, canonicalTronAddress]) {
    try {
      candidates.add(canonical(value));
    } catch {
      // Not an address of that chain: no such form to look up.
    }
  }
  return [...candidates];
}

/** An empty in-memory case (the case schema, no meta rows) for rows fetched from PostgreSQL. */
export function inMemoryCase(): Db {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.pragma('foreign_keys = OFF');
  for (const migration of MIGRATIONS) db.exec(migration);
  // The case's own meta (its totals mark above all) replaces what the migrations wrote into an empty case.
  db.exec('DELETE FROM meta');
  return db;
}

export async function openAccountWorkingSet(client: pg.Client, text: string): Promise<AccountWorkingSet> {
  const db = inMemoryCase();
  const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> => (await client.query<Row>(sql, params)).rows;
  const copy = (table: string, list: Row[]) => db.transaction(() => copyRows(db, table, list))();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    copy('meta', await rows('SELECT * FROM meta'));
    copy('sources', await rows('SELECT * FROM sources'));
    copy('accounts', await rows('SELECT * FROM accounts WHERE ident = ANY($1::text[])', [identCandidates(text)]));
    const account = findAccount(db, text);
    if (account) await addAccount(rows, copy, account.id);
    await client.query('COMMIT');
    return { db, account, close: () => db.close() };
  } catch (error) {
    await client.query('ROLLBACK');
    db.close();
    throw error;
  }
}

async function addAccount(rows: (sql: string, params?: unknown[]) => Promise<Row[]>, copy: (table: string, list: Row[]) => void, id: number): Promise<void> {
  const one = [String(id)];
  const history = await rows('SELECT * FROM transfers WHERE from_id = $1 UNION ALL SELECT * FROM transfers WHERE to_id = $1 AND from_id <> $1', one);
  const findings = await rows('SELECT f.* FROM findings f WHERE f.id IN (SELECT finding_id FROM finding_accounts WHERE account_id = $1)', one);
  const members = await rows('SELECT * FROM finding_accounts WHERE finding_id = ANY($1::bigint[])', [findings.map((f) => String(f['id']))]);
  const evidence = findings.flatMap((f) => (JSON.parse(f['evidence'] as string) as number[]).map(String));
  const assertions = await rows('SELECT * FROM cluster_assertions WHERE a = $1 OR b = $1', one);
  const named = new Set<string>();
  for (const t of history) named.add(String(t['from_id'])).add(String(t['to_id']));
  for (const m of members) named.add(String(m['account_id']));
  for (const s of assertions) named.add(String(s['a'])).add(String(s['b']));
  copy('transfers', [...history, ...(await rows('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', [evidence]))]);
  copy('accounts', await rows('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', [[...named]]));
  copy('account_totals', await rows('SELECT * FROM account_totals WHERE account_id = $1', one));
  copy('opening_balances', await rows('SELECT * FROM opening_balances WHERE account_id = $1', one));
  copy(
    'tags',
    await rows('SELECT * FROM tags WHERE account_id = $1 OR account_id IN (SELECT account_id FROM finding_accounts WHERE finding_id = ANY($2::bigint[]))', [
      id,
      members.map((m) => String(m['finding_id'])),
    ]),
  );
  copy('clusters', await rows('SELECT * FROM clusters WHERE cluster_id = (SELECT cluster_id FROM clusters WHERE account_id = $1)', one));
  copy('findings', findings);
  copy('finding_accounts', members);
  copy('notes', await rows('SELECT * FROM notes WHERE account_id = $1', one));
  copy('cluster_assertions', assertions);
}
