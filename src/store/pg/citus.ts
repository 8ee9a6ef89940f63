import type pg from 'pg';
import { schemaTables, TABLE_PLACEMENT } from './schema.js';

/**
 * The statements that turn a PostgreSQL case into a distributed one on Citus, from TABLE_PLACEMENT
 * and the constraints the case database really has (docs/postgresql.md, "From one laptop to
 * Citus"). Citus requires every primary key and unique constraint of a distributed table to
 * include its distribution column, and a foreign key to join colocated tables on their
 * distribution columns (or to point at a reference table); the constraints that cannot hold are
 * dropped first. hoptrace does not rely on them: ingest checks keys itself under the writer lock.
 */
interface ConstraintRow {
  table_name: string;
  name: string;
  kind: 'p' | 'u' | 'f';
  columns: string[];
  referenced: string | null;
  referenced_columns: string[] | null;
}

export async function citusPlan(client: pg.Client): Promise<string[]> {
  const constraints = await client.query<ConstraintRow>(
    `SELECT r.relname AS table_name, c.conname AS name, c.contype AS kind,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            f.relname AS referenced,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS referenced_columns
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace LEFT JOIN pg_class f ON f.oid = c.confrelid
     WHERE n.nspname = current_schema() AND c.contype IN ('p', 'u', 'f') AND r.relname <> 'schema_migrations'
     ORDER BY r.relname, c.conname`,
  );
  const drops: string[] = [];
  for (const c of constraints.rows) {
    const placement = TABLE_PLACEMENT[c.table_name];
    if (!placement) throw new Error(`TABLE_PLACEMENT has no entry for table ${c.table_name}`);
    if (keeps(c)) continue;
    drops.push(`ALTER TABLE ${c.table_name} DROP CONSTRAINT ${c.name};`);
    // The lookups the key served (a transaction hash, an account's ident) keep an index.
    if (c.kind !== 'f') drops.push(`CREATE INDEX ${c.name.replace(/_(key|pkey)$/, '')}_lookup ON ${c.table_name} (${c.columns.join(', ')});`);
  }
  return [...drops, ...placementStatements()];
}

function colocationRoot(table: string): string {
  const placement = TABLE_PLACEMENT[table];
  return placement?.kind === 'distributed' && placement.colocateWith ? colocationRoot(placement.colocateWith) : table;
}

function keeps(c: ConstraintRow): boolean {
  const placement = TABLE_PLACEMENT[c.table_name]!;
  if (c.kind !== 'f') return placement.kind === 'reference' || c.columns.includes(placement.column);
  const target = TABLE_PLACEMENT[c.referenced ?? ''];
  if (target?.kind === 'reference') return true;
  if (placement.kind === 'reference' || target?.kind !== 'distributed') return false;
  return (
    colocationRoot(c.table_name) === colocationRoot(c.referenced!) &&
    c.columns.length === 1 &&
    c.columns[0] === placement.column &&
    c.referenced_columns?.[0] === target.column
  );
}

/** Reference tables first, then each distributed table after the table it is colocated with. */
function placementStatements(): string[] {
  const tables = schemaTables();
  const statements = tables.filter((t) => TABLE_PLACEMENT[t]?.kind === 'reference').map((t) => `SELECT create_reference_table('${t}');`);
  const done = new Set<string>();
  const distribute = (table: string): void => {
    const placement = TABLE_PLACEMENT[table];
    if (done.has(table) || placement?.kind !== 'distributed') return;
    if (placement.colocateWith) distribute(placement.colocateWith);
    done.add(table);
    const colocate = placement.colocateWith ? `, colocate_with => '${placement.colocateWith}'` : '';
    statements.push(`SELECT create_distributed_table('${table}', '${placement.column}'${colocate});`);
  };
  for (const table of tables) distribute(table);
  return statements;
}
