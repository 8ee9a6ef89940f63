import Database from 'better-sqlite3';
import type pg from 'pg';
import { accountSeedIdents } from '../../model/accountSeed.js';
import { HoptraceError } from '../../model/errors.js';
import type { EndpointInfo, LedgerTransfer } from '../../trace/ledger.js';
import { EXPLORER_ADAPTERS, type ExplorerExportSpan } from '../accountHistory.js';
import type { Db } from '../caseStore.js';
import { MIGRATIONS } from '../schema.js';
import { storedAmount } from '../sourceWriter.js';
import { SqliteTraceLedger } from '../traceLedger.js';

/**
 * A trace on PostgreSQL (docs/postgresql.md, "Tracing"): the accounts the trace reads are fetched
 * into an in-memory SQLite database with the case schema, and the same engine and result builder
 * as on a case file run over it — which is why both backends give byte-identical results.
 *
 * Which accounts? Exactly those the engine asks about (src/trace/traceCasePg.ts runs the rounds):
 * the set starts with the seeds; the engine runs over it through RecordingLedger, which notes every
 * account it opens or asks about; the accounts it named that are not loaded yet — the next
 * frontier — are fetched in one round of queries (each with its whole history, in and out, which
 * rule 3's replay needs, its tags, opening balances and exchange-return links), and the engine
 * runs again.
 */
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
    const { rail, idents } = accountSeedIdents(value.slice('account:'.length));
    return q(
      'SELECT t.id::text AS id FROM transfers t JOIN accounts a ON a.id = t.from_id WHERE a.ident = ANY($1::text[]) AND ($2::text IS NULL OR a.rail = $2)',
      [idents, rail ?? null],
    );
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
  return q(
    "SELECT id::text AS id FROM transfers WHERE rail IN ('bank', 'ethereum', 'tron') AND ref = $1 UNION SELECT transfer_id::text FROM transfer_refs WHERE ref = $1",
    [value],
  );
}

/**
 * The engine's questions, recorded (src/trace/ledger.ts): the accounts whose history it read,
 * those it asked only about tags (an endpoint is never opened: its history is not needed), and
 * those whose counterparty count it asked for (--stop-at-degree), answered from `degrees`, which
 * PostgreSQL counted, so a hub's history need not be read to learn that it is one.
 */
export class RecordingLedger extends SqliteTraceLedger {
  readonly histories = new Set<number>();
  readonly tagsOf = new Set<number>();
  readonly degreesOf = new Set<number>();

  constructor(
    db: Db,
    private readonly degrees: ReadonlyMap<number, number>,
  ) {
    super(db);
  }

  override transfersAfter(accountId: number, asset: string, after: LedgerTransfer, limit: number): LedgerTransfer[] {
    this.histories.add(accountId);
    return super.transfersAfter(accountId, asset, after, limit);
  }

  override balanceBefore(accountId: number, asset: string, before: LedgerTransfer): bigint {
    this.histories.add(accountId);
    return super.balanceBefore(accountId, asset, before);
  }

  override openAccount(accountId: number, asset: string, at: LedgerTransfer, limit: number): { balance: bigint; after: LedgerTransfer[] } {
    this.histories.add(accountId);
    return super.openAccount(accountId, asset, at, limit);
  }

  override endpointOf(accountId: number): EndpointInfo | undefined {
    this.tagsOf.add(accountId);
    return super.endpointOf(accountId);
  }

  override isTagged(accountId: number): boolean {
    this.tagsOf.add(accountId);
    return super.isTagged(accountId);
  }

  override counterpartyCount(accountId: number): number {
    this.degreesOf.add(accountId);
    return this.degrees.get(accountId) ?? 0;
  }
}

/** The working set: an in-memory case database, filled round by round. */
export class TraceWorkingSet {
  readonly db: Db;
  /** Accounts whose whole history is in the set. */
  readonly loaded = new Set<number>();
  /** Accounts whose tags are in the set. */
  readonly tagged = new Set<number>();
  /** Distinct counterparties of accounts asked about (as SqliteTraceLedger counts them). */
  readonly degrees = new Map<number, number>();
  private readonly transferIds = new Set<number>();
  private readonly accountIds = new Set<number>();

  constructor(private readonly client: pg.Client) {
    this.db = new Database(':memory:');
    this.db.defaultSafeIntegers(true);
    this.db.pragma('foreign_keys = OFF');
    for (const migration of MIGRATIONS) this.db.exec(migration);
  }

  private async rows(sql: string, ids: Iterable<number>): Promise<Row[]> {
    return (await this.client.query<Row>(sql, [[...ids]])).rows;
  }

  /** Transfers (and the accounts they name) into the set; those already there are skipped. */
  private async addTransfers(rows: Row[]): Promise<void> {
    const fresh = rows.filter((t) => !this.transferIds.has(Number(t['id'])));
    for (const t of fresh) this.transferIds.add(Number(t['id']));
    const accounts = new Set<number>();
    for (const t of fresh) for (const id of [Number(t['from_id']), Number(t['to_id'])]) if (!this.accountIds.has(id)) accounts.add(id);
    for (const id of accounts) this.accountIds.add(id);
    const accountRows = await this.rows('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', accounts);
    this.db.transaction(() => {
      copyRows(this.db, 'transfers', fresh);
      copyRows(this.db, 'accounts', accountRows);
    })();
  }

  async addSeeds(ids: readonly number[]): Promise<void> {
    await this.addTransfers(await this.rows('SELECT * FROM transfers WHERE id = ANY($1::bigint[])', ids));
    await this.addTransferRefs(ids);
  }

  private async addTransferRefs(ids: Iterable<number>): Promise<void> {
    const refs = await this.rows('SELECT * FROM transfer_refs WHERE transfer_id = ANY($1::bigint[])', ids);
    this.db.transaction(() => copyRows(this.db, 'transfer_refs', refs))();
  }

  /** One frontier: the accounts' whole histories, tags, opening balances, and the links out of their transfers. */
  async addHistories(frontier: Set<number>): Promise<void> {
    for (const id of frontier) this.loaded.add(id);
    const history = await this.rows(
      'SELECT * FROM transfers WHERE from_id = ANY($1::bigint[]) UNION ALL SELECT * FROM transfers WHERE to_id = ANY($1::bigint[]) AND NOT from_id = ANY($1::bigint[])',
      frontier,
    );
    await this.addTransfers(history);
    const links = await this.rows(
      'SELECT * FROM links WHERE fiat_id = ANY($1::bigint[])',
      history.map((t) => Number(t['id'])),
    );
    await this.addTransfers(
      await this.rows(
        'SELECT * FROM transfers WHERE id = ANY($1::bigint[])',
        links.map((l) => Number(l['crypto_id'])),
      ),
    );
    const balances = await this.rows('SELECT * FROM opening_balances WHERE account_id = ANY($1::bigint[])', frontier);
    this.db.transaction(() => {
      copyRows(this.db, 'links', links);
      copyRows(this.db, 'opening_balances', balances);
    })();
    await this.addTags(frontier);
  }

  /** The tags of accounts the engine asked about (endpoints, hubs' exemption). */
  async addTags(accounts: Iterable<number>): Promise<void> {
    const fresh = [...accounts].filter((id) => !this.tagged.has(id));
    for (const id of fresh) this.tagged.add(id);
    const tags = await this.rows('SELECT * FROM tags WHERE account_id = ANY($1::bigint[])', fresh);
    this.db.transaction(() => copyRows(this.db, 'tags', tags))();
  }

  /** Counterparty counts, counted by PostgreSQL: a hub is known as one without reading its history. */
  async addDegrees(accounts: Iterable<number>): Promise<void> {
    const fresh = [...accounts].filter((id) => !this.degrees.has(id));
    const counted = await this.rows(
      `SELECT a.id::text AS id, (SELECT COUNT(*) FROM (SELECT to_id FROM transfers WHERE from_id = a.id UNION SELECT from_id FROM transfers WHERE to_id = a.id) c)::text AS n
       FROM UNNEST($1::bigint[]) AS a(id)`,
      fresh,
    );
    for (const row of counted) this.degrees.set(Number(row['id']), Number(row['n']));
  }

  /** What only the result needs: sources, the log head, clusters, statements, gaps, fetch coverage. */
  async finish(): Promise<void> {
    const accounts = this.accountIds;
    const bankLines = await this.rows('SELECT * FROM bank_lines WHERE account_id = ANY($1::bigint[])', this.loaded);
    await this.addTransfers(
      await this.rows(
        'SELECT * FROM transfers WHERE id = ANY($1::bigint[])',
        bankLines.map((b) => Number(b['transfer_id'])),
      ),
    );
    const tables: [string, Row[]][] = [
      ['sources', (await this.client.query<Row>('SELECT * FROM sources')).rows],
      ['audit_log', (await this.client.query<Row>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1')).rows],
      ['clusters', await this.rows('SELECT * FROM clusters WHERE account_id = ANY($1::bigint[])', accounts)],
      ['bank_lines', bankLines],
      ['balance_gaps', await this.rows('SELECT * FROM balance_gaps WHERE account_id = ANY($1::bigint[])', accounts)],
      [
        'exchange_movements',
        await this.rows(
          "SELECT m.* FROM exchange_movements m JOIN accounts a ON a.rail = 'exchange' AND a.ident = m.exchange || ':' || m.account WHERE a.id = ANY($1::bigint[])",
          this.loaded,
        ),
      ],
      ['fetch_checkpoints', (await this.client.query<Row>('SELECT * FROM fetch_checkpoints')).rows],
      ['block_times', (await this.client.query<Row>('SELECT * FROM block_times')).rows],
    ];
    this.db.transaction(() => {
      for (const [table, rows] of tables) copyRows(this.db, table, rows);
    })();
  }
}

const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);

/** PostgreSQL rows into the same table of the working set: BIGINT and NUMERIC (text) as bigint, amounts as a case file stores them. */
export function copyRows(db: Db, table: string, rows: Row[]): void {
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

/**
 * AccountHistories' explorer-export spans (../accountHistory.ts) over the whole case, in one
 * aggregate query. A case without explorer exports has none, and the query is not run: its CTEs
 * are materialized, and PostgreSQL read every transfer to find none (3.2 s of a 14.3 s trace on
 * 10,000,000 transfers, docs/postgresql.md "Tests and benchmarks").
 */
export async function selectExplorerExportsPg(client: pg.Client): Promise<Map<number, ExplorerExportSpan>> {
  const explorer = await client.query<{ id: string }>('SELECT id::text AS id FROM sources WHERE adapter = ANY($1::text[])', [EXPLORER_ADAPTERS]);
  if (explorer.rows.length === 0) return new Map();
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
  return new Map(
    result.rows.map((r) => [Number(r.source_id), { first: Number(r.first), last: Number(r.last), owner: r.owner === null ? null : Number(r.owner) }]),
  );
}
