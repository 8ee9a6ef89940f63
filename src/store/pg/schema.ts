import { MIGRATIONS } from '../schema.js';

/**
 * The PostgreSQL dialect of the case schema, derived from the one definition in ../schema.ts by
 * a fixed translation of each column's type, so both backends always hold the same tables,
 * columns, keys and indexes (docs/postgresql.md, "One schema, two dialects"):
 *
 * - `INTEGER PRIMARY KEY` → `BIGINT PRIMARY KEY` (ids are assigned by hoptrace, as SQLite's rowids are);
 * - an amount column (`amount`, `fee`, `missing`: minor units) → `NUMERIC(78, 0)`, exact past
 *   64 bits, where SQLite keeps larger 18-decimal values as TEXT;
 * - any other `INTEGER` → `BIGINT` (epoch milliseconds, block numbers);
 * - `REAL` → `DOUBLE PRECISION`; `TEXT`, constraints, partial indexes and CHECKs are the same SQL.
 */
const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);

export function translateDdl(sqlite: string): string {
  return sqlite
    .split('\n')
    .map((line) => {
      const column = /^(\s*)(\w+)\s+(INTEGER|REAL|TEXT)\b(.*)$/.exec(line);
      if (!column) return line;
      const [, indent, name, type, rest] = column as unknown as [string, string, string, string, string];
      if (/^(CREATE|UNIQUE|PRIMARY|CHECK)$/i.test(name)) return line;
      let pgType = type;
      if (type === 'REAL') pgType = 'DOUBLE PRECISION';
      else if (type === 'INTEGER') pgType = AMOUNT_COLUMNS.has(name) ? 'NUMERIC(78, 0)' : 'BIGINT';
      return `${indent}${name} ${pgType}${rest}`;
    })
    .join('\n');
}

/**
 * `account_totals` (../schema.ts) is the SQLite case's fold of its transfers per account, kept by
 * SQLite triggers for the workbench's balances. A PostgreSQL case has the same table but folds
 * nothing: its mark stays 0 ("no transfer folded"), which makes every reader sum the transfers
 * themselves, so the answer is the same without the SQLite-only triggers and fill.
 */
function accountTotalsPg(sqlite: string): string {
  const table = /CREATE TABLE account_totals \([\s\S]*?\n\s*\)/.exec(sqlite)?.[0];
  if (table === undefined) throw new Error('the account_totals migration has no CREATE TABLE');
  return `${translateDdl(table)};\n  INSERT INTO meta (key, value) VALUES ('account_totals_through', '0');\n`;
}

/** The transfers' key in a case file: an index of its own, which a large SQLite import builds after its rows (../transferKeys.ts). */
const SQLITE_TRANSFER_KEY = 'CREATE UNIQUE INDEX transfers_key ON transfers (rail, ref, seq);';
/**
 * The same key on PostgreSQL: the table's constraint, as PostgreSQL names it
 * (transfers_rail_ref_seq_key), which every PostgreSQL case has had. Its ingest copies into a
 * table with the key in place, and citusPlan drops the constraints Citus cannot keep.
 */
const PG_TRANSFER_KEY = 'ALTER TABLE transfers ADD CONSTRAINT transfers_rail_ref_seq_key UNIQUE (rail, ref, seq);';

/** The migrations in PostgreSQL's dialect, one per SQLite migration, applied in the same order. */
export function pgMigrations(): string[] {
  return MIGRATIONS.map((sql) =>
    sql.includes('CREATE TABLE account_totals') ? accountTotalsPg(sql) : translateDdl(sql).replace(SQLITE_TRANSFER_KEY, PG_TRANSFER_KEY),
  );
}

/**
 * Where each table lives on a distributed PostgreSQL (Citus). The distribution key is the account
 * id: an account's transfers, tags, statement lines, balances and cluster are on one shard, so the
 * trace's per-account reads (docs/postgresql.md, "What each query does on Citus") go to one node.
 * Small tables every query joins are reference tables (a copy on every node). `colocateWith`
 * names the table whose shards a distributed table shares.
 */
export type TablePlacement = { kind: 'distributed'; column: string; colocateWith?: string } | { kind: 'reference' };

export const TABLE_PLACEMENT: Readonly<Record<string, TablePlacement>> = {
  meta: { kind: 'reference' },
  sources: { kind: 'reference' },
  rejects: { kind: 'reference' },
  audit_log: { kind: 'reference' },
  fetch_checkpoints: { kind: 'reference' },
  block_times: { kind: 'reference' },
  findings: { kind: 'reference' },
  accounts: { kind: 'distributed', column: 'id' },
  transfers: { kind: 'distributed', column: 'from_id', colocateWith: 'accounts' },
  tags: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  tag_sightings: { kind: 'reference' },
  clusters: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  cluster_evidence: { kind: 'distributed', column: 'a', colocateWith: 'accounts' },
  opening_balances: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  finding_accounts: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  bank_lines: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  balance_gaps: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
  notes: { kind: 'reference' },
  // Keyed by transfer, not by account: distributed on their own key (one shard per transfer).
  sightings: { kind: 'distributed', column: 'transfer_id' },
  transfer_refs: { kind: 'distributed', column: 'transfer_id', colocateWith: 'sightings' },
  links: { kind: 'distributed', column: 'fiat_id', colocateWith: 'sightings' },
  exchange_movements: { kind: 'distributed', column: 'book_transfer_id', colocateWith: 'sightings' },
  usdt_freeze_events: { kind: 'reference' },
  // A handful of rows written by hand, joined by either account: a copy on every node.
  cluster_assertions: { kind: 'reference' },
  account_totals: { kind: 'distributed', column: 'account_id', colocateWith: 'accounts' },
};

/** The tables the migrations create, in order. */
export function schemaTables(): string[] {
  return MIGRATIONS.flatMap((m) => [...m.matchAll(/CREATE TABLE (\w+)/g)].map((match) => match[1]!));
}
