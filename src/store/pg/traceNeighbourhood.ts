import Database from 'better-sqlite3';
import type pg from 'pg';
import { canonicalEvmAddress, canonicalTronAddress } from '../../model/address.js';
import { HoptraceError } from '../../model/errors.js';
import { ENDPOINT_CATEGORIES } from '../../model/types.js';
import { EXPLORER_ADAPTERS, type ExplorerExportSpan } from '../accountHistory.js';
import type { Db } from '../caseStore.js';
import { MIGRATIONS } from '../schema.js';
import { storedAmount } from '../sourceWriter.js';

/**
 * A trace on PostgreSQL (docs/postgresql.md, "Tracing"): the part of the case the trace can
 * reach is read hop by hop — one query per frontier of accounts — into an in-memory SQLite
 * database with the case schema, and the same engine and result builder as on a case file run
 * over it. That is why both backends give byte-identical results.
 *
 * The neighbourhood is a superset of what the engine reads: every transfer, in and out, of each
 * account traced money can reach (its whole history, which rule 3's replay needs), starting at
 * the seeds' recipients and following outgoing transfers that are not before the first seed nor
 * after --until, never past an endpoint (a tagged exchange, mixer …) or a hub over
 * --stop-at-degree, where the engine stops money, and at most --max-hops + 2 frontiers deep.
 * Exchange returns' links are followed as the engine follows them.
 */
export interface NeighbourhoodLimits {
  maxHops?: number;
  until?: number;
  stopAtDegree?: number;
}

type Row = Record<string, unknown>;

/** Every way a user names transfers, as ../transferRefs.ts resolves it on a case file. */
export async function resolveSeedIdsPg(client: pg.Client, text: string): Promise<number[]> {
  const value = text.trim();
  const ids = (rows: { id: string }[]): number[] => [...new Set(rows.map((r) => Number(r.id)))].sort((a, b) => a - b);
  const q = async (sql: string, params: unknown[]): Promise<number[]> => ids((await client.query<{ id: string }>(sql, params)).rows);
  if (value.startsWith('transfer:')) {
    const id = value.slice('transfer:'.length);
    if (!/^\d+$/.test(id)) throw new HoptraceError(`${JSON.stringify(value)}: transfer:ID takes a number`);
    return q('SELECT id::text AS id FROM transfers WHERE id = $1', [id]);
  }
  if (value.startsWith('account:')) {
    const ident = value.slice('account:'.length);
    const candidates = new Set<string>([ident]);
    try {
      if (/^0x[0-9a-fA-F]{40}$/.test(ident)) candidates.add(canonicalEvmAddress(ident));
      else if (/^(T|41|0x41)/.test(ident)) candidates.add(canonicalTronAddress(ident));
    } catch (error) {
      throw new HoptraceError(`account:${ident}: ${(error as Error).message}`);
    }
    return q('SELECT t.id::text AS id FROM transfers t JOIN accounts a ON a.id = t.from_id WHERE a.ident = ANY($1::text[])', [[...candidates]]);
  }
  const hash = /^(?:0x)?([0-9a-fA-F]{64})(?::(\d+))?$/.exec(value);
  if (hash) {
    const hex = hash[1]!.toLowerCase();
    const index = hash[2] ?? null;
    const found = await q(
      "SELECT id::text AS id FROM transfers WHERE ((rail = 'ethereum' AND ref = $1) OR (rail = 'tron' AND ref = $2)) AND ($3::bigint IS NULL OR log_index = $3::bigint OR seq = $3::bigint)",
      ['0x' + hex, hex, index],
    );
    if (found.length > 0) return found;
  }
  return q("SELECT id::text AS id FROM transfers WHERE rail IN ('bank', 'ethereum', 'tron') AND ref = $1 UNION SELECT transfer_id::text FROM transfer_refs WHERE ref = $1", [value]);
}

const ENDPOINTS = new Set<string>(ENDPOINT_CATEGORIES);

/** Reads the neighbourhood of the seed transfers into a working set (an in-memory case database). */
export async function loadTraceWorkingSet(client: pg.Client, seedIds: readonly number[], limits: NeighbourhoodLimits): Promise<Db> {
  const transfers = new Map<number, Row>();
  const tags = new Map<number, Row>();
  const links = new Map<number, Row>();
  const many = async (sql: string, ids: Iterable<number>): Promise<Row[]> => (await client.query<Row>(sql, [[...ids]])).rows;
  const keep = (rows: Row[]): Row[] => rows.filter((r) => {
    const id = Number(r['id']);
    if (transfers.has(id)) return false;
    transfers.set(id, r);
    return true;
  });
  const seeds = keep(await many('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', seedIds));
  const earliest = Math.min(...seeds.map((t) => Number(t['time'])));
  const loaded = new Set<number>();
  let frontier = new Set<number>(seeds.map((t) => Number(t['to_id'])));
  const maxDepth = limits.maxHops === undefined ? Infinity : limits.maxHops + 2;
  for (let depth = 1; frontier.size > 0 && depth <= maxDepth; depth++) {
    for (const id of frontier) loaded.add(id);
    const rows = keep(await many('SELECT * FROM transfers WHERE from_id = ANY($1::bigint[]) UNION ALL SELECT * FROM transfers WHERE to_id = ANY($1::bigint[]) AND NOT from_id = ANY($1::bigint[])', frontier));
    const tagRows = await many('SELECT * FROM tags WHERE account_id = ANY($1::bigint[])', frontier);
    for (const tag of tagRows) tags.set(Number(tag['id']), tag);
    const endpoint = new Set(tagRows.filter((t) => ENDPOINTS.has(String(t['category']))).map((t) => Number(t['account_id'])));
    const tagged = new Set(tagRows.map((t) => Number(t['account_id'])));
    const counterparties = new Map<number, Set<number>>();
    for (const t of transfers.values()) {
      const from = Number(t['from_id']);
      const to = Number(t['to_id']);
      if (frontier.has(from)) counterparties.set(from, (counterparties.get(from) ?? new Set()).add(to));
      if (frontier.has(to)) counterparties.set(to, (counterparties.get(to) ?? new Set()).add(from));
    }
    const stops = (account: number): boolean => endpoint.has(account) || (limits.stopAtDegree !== undefined && !tagged.has(account) && (counterparties.get(account)?.size ?? 0) > limits.stopAtDegree);
    const next = new Set<number>();
    const carrying = [...transfers.values()].filter((t) => {
      const from = Number(t['from_id']);
      const time = Number(t['time']);
      return frontier.has(from) && !stops(from) && time >= earliest && (limits.until === undefined || time <= limits.until);
    });
    for (const t of carrying) next.add(Number(t['to_id']));
    // Exchange and OTC returns: money on a linked fiat transfer continues on its crypto transfer.
    const linkRows = await many('SELECT * FROM links WHERE fiat_id = ANY($1::bigint[])', [...seeds, ...rows].map((t) => Number(t['id'])));
    for (const link of linkRows) links.set(Number(link['id']), link);
    const linked = keep(await many('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', linkRows.map((l) => Number(l['crypto_id']))));
    for (const t of [...linked, ...linkRows.map((l) => transfers.get(Number(l['crypto_id'])))]) {
      if (!t) continue;
      next.add(Number(t['from_id']));
      next.add(Number(t['to_id']));
    }
    frontier = new Set([...next].filter((id) => !loaded.has(id)));
  }
  return buildWorkingSet(client, { transfers: [...transfers.values()], tags: [...tags.values()], links: [...links.values()], loaded });
}

async function buildWorkingSet(client: pg.Client, part: { transfers: Row[]; tags: Row[]; links: Row[]; loaded: Set<number> }): Promise<Db> {
  const many = async (sql: string, ids: Iterable<number>): Promise<Row[]> => (await client.query<Row>(sql, [[...ids]])).rows;
  const accountIds = new Set<number>(part.loaded);
  for (const t of part.transfers) {
    accountIds.add(Number(t['from_id']));
    accountIds.add(Number(t['to_id']));
  }
  const transferIds = part.transfers.map((t) => Number(t['id']));
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.pragma('foreign_keys = OFF');
  for (const migration of MIGRATIONS) db.exec(migration);
  const copy = (table: string, rows: Row[]): void => copyRows(db, table, rows);
  const bankLines = await many('SELECT * FROM bank_lines WHERE account_id = ANY($1::bigint[])', accountIds);
  const lineTransfers = await many('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', new Set(bankLines.map((b) => Number(b['transfer_id'])).filter((id) => !transferIds.includes(id))));
  const tables: [string, Row[]][] = [
    ['sources', (await client.query<Row>('SELECT * FROM sources')).rows],
    ['audit_log', (await client.query<Row>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1')).rows],
    ['accounts', await many('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', accountIds)],
    ['transfers', [...part.transfers, ...lineTransfers]],
    ['transfer_refs', await many('SELECT * FROM transfer_refs WHERE transfer_id = ANY($1::bigint[])', transferIds)],
    ['tags', part.tags],
    ['links', part.links],
    ['opening_balances', await many('SELECT * FROM opening_balances WHERE account_id = ANY($1::bigint[])', part.loaded)],
    ['clusters', await many('SELECT * FROM clusters WHERE account_id = ANY($1::bigint[])', accountIds)],
    ['bank_lines', bankLines],
    ['balance_gaps', await many('SELECT * FROM balance_gaps WHERE account_id = ANY($1::bigint[])', accountIds)],
    ['exchange_movements', await many("SELECT m.* FROM exchange_movements m JOIN accounts a ON a.rail = 'exchange' AND a.ident = m.exchange || ':' || m.account WHERE a.id = ANY($1::bigint[])", accountIds)],
    ['fetch_checkpoints', (await client.query<Row>('SELECT * FROM fetch_checkpoints')).rows],
    ['block_times', (await client.query<Row>('SELECT * FROM block_times')).rows],
  ];
  db.transaction(() => {
    for (const [table, rows] of tables) copy(table, rows);
  })();
  return db;
}

const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);

/** PostgreSQL rows into the same table of the working set: BIGINT and NUMERIC (text) as bigint, amounts as a case file stores them. */
function copyRows(db: Db, table: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = (db.pragma(`table_info(${table})`) as { name: string; type: string }[]).map((c) => ({ name: c.name, integer: c.type === 'INTEGER' }));
  const insert = db.prepare(`INSERT OR IGNORE INTO ${table} (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) {
    insert.run(
      ...columns.map((c) => {
        const value = row[c.name];
        if (value === null || value === undefined || !c.integer) return value ?? null;
        const integer = BigInt(value as string | number);
        return AMOUNT_COLUMNS.has(c.name) ? storedAmount(integer) : integer;
      }),
    );
  }
}

/** AccountHistories' explorer-export spans (../accountHistory.ts) over the whole case, in one aggregate query. */
export async function selectExplorerExportsPg(client: pg.Client): Promise<Map<number, ExplorerExportSpan>> {
  const result = await client.query<{ source_id: string; first: string; last: string; owner: string | null }>(
    `WITH src AS (SELECT id FROM sources WHERE adapter = ANY($1::text[])),
     r AS (SELECT source_id, from_id, to_id, time FROM transfers WHERE source_id IN (SELECT id FROM src)
           UNION ALL SELECT g.source_id, t.from_id, t.to_id, t.time FROM sightings g JOIN transfers t ON t.id = g.transfer_id WHERE g.source_id IN (SELECT id FROM src)),
     spans AS (SELECT source_id, COUNT(*) AS n, MIN(time) AS first, MAX(time) AS last FROM r GROUP BY source_id),
     parts AS (SELECT source_id, from_id AS account FROM r UNION ALL SELECT source_id, to_id FROM r WHERE to_id <> from_id),
     common AS (SELECT p.source_id, p.account FROM parts p JOIN spans s USING (source_id) GROUP BY p.source_id, p.account, s.n HAVING COUNT(*) = s.n)
     SELECT s.source_id::text AS source_id, s.first::text AS first, s.last::text AS last,
            (SELECT CASE WHEN COUNT(*) = 1 THEN MIN(c.account)::text END FROM common c WHERE c.source_id = s.source_id) AS owner
     FROM spans s`,
    [EXPLORER_ADAPTERS],
  );
  return new Map(result.rows.map((r) => [Number(r.source_id), { first: Number(r.first), last: Number(r.last), owner: r.owner === null ? null : Number(r.owner) }]));
}
