import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AuditEntryInput } from '../auditLog.js';
import { amountFromDb, type Db } from '../caseStore.js';
import { MIGRATIONS } from '../schema.js';
import { appendLogPg } from './auditLogPg.js';
import { copyRows } from './traceWorkingSet.js';

/**
 * A stateful import on PostgreSQL (docs/postgresql.md, "Ingest with matching"): bank statements,
 * exchange returns, links and freeze lists decide each row against what the case holds (the other
 * side of a payment, a line seen before, a transfer a reference names). Rather than a second copy
 * of those rules in SQL, the import runs the case file's own code (src/ingest, src/store) over an
 * in-memory SQLite database holding the slice of the case it can read — the accounts it names,
 * with their transfers, statement lines, opening balances and tags, plus each id table's last row
 * so new rows get the ids PostgreSQL's case would give — and the rows it adds are then copied into
 * PostgreSQL in the source's transaction, under the writer lock.
 *
 * Which accounts does it name? The first run starts from nothing; afterwards every new row is
 * checked against PostgreSQL by its unique key (an account's rail and ident, a transfer's rail,
 * reference and seq, a tag, a link, a freeze event). A row the case held already means the run
 * decided without something it needed: that row (and, for an account, its slice) is loaded and
 * the import runs again on a fresh mirror. A run whose every new row is new to the case read, for
 * each question, the answer the whole case gives. An import that names no known account runs
 * once; one that names accounts already in the case, twice.
 */
type Row = Record<string, unknown>;

/** What a run reads besides the id tables' last rows: ids in PostgreSQL. */
export interface MirrorLoad {
  /** Earlier imports of the same bytes, for the importer's own re-import rule (src/ingest/priorImport.ts). */
  sources: Set<number>;
  accounts: Set<number>;
  transfers: Set<number>;
  tags: Set<number>;
  links: Set<number>;
  freezeEvents: Set<number>;
}

export function emptyMirrorLoad(): MirrorLoad {
  return { sources: new Set(), accounts: new Set(), transfers: new Set(), tags: new Set(), links: new Set(), freezeEvents: new Set() };
}

/** Tables whose INTEGER PRIMARY KEY an import assigns: the mirror holds each one's last row, so SQLite's next id is PostgreSQL's. */
const ID_TABLES = ['sources', 'accounts', 'transfers', 'tags', 'links', 'balance_gaps', 'exchange_movements', 'usdt_freeze_events'] as const;

/** A source's own rows, in the order their foreign keys need. */
const SOURCE_TABLES = [
  'transfers',
  'tags',
  'sightings',
  'tag_sightings',
  'rejects',
  'links',
  'bank_lines',
  'opening_balances',
  'balance_gaps',
  'exchange_movements',
  'usdt_freeze_events',
] as const;

const AMOUNT_COLUMNS = new Set(['amount', 'fee', 'missing']);
/** Keys per look-up query. */
const KEY_BATCH = 20_000;

class CaseMirror {
  readonly db: Db;
  private readonly lastIds = new Map<string, bigint>();
  /** Loaded accounts' holder columns, which an import may fill (COALESCE). */
  private readonly holders = new Map<number, Row>();
  private readonly openings: Row[] = [];
  private refsLoaded = 0n;

  private constructor() {
    this.db = new Database(':memory:');
    this.db.defaultSafeIntegers(true);
    this.db.pragma('foreign_keys = OFF');
    for (const migration of MIGRATIONS) this.db.exec(migration);
  }

  static async open(client: pg.Client, load: MirrorLoad): Promise<CaseMirror> {
    const mirror = new CaseMirror();
    try {
      await mirror.fill(client, load);
    } catch (error) {
      mirror.close();
      throw error;
    }
    return mirror;
  }

  /** The source a run stored, if it stored one. */
  newSource(): number | undefined {
    const id = this.db.prepare('SELECT MAX(id) FROM sources WHERE id > ?').pluck().get(this.lastIds.get('sources')) as bigint | null;
    return id === null ? undefined : Number(id);
  }

  close(): void {
    this.db.close();
  }

  private async fill(client: pg.Client, load: MirrorLoad): Promise<void> {
    const rows = async (sql: string, ids: Iterable<number>, more: Iterable<number> = []): Promise<Row[]> =>
      (await client.query<Row>(sql, sql.includes('$2') ? [[...ids], [...more]] : [[...ids]])).rows;
    const tables: [string, Row[]][] = [];
    for (const table of ID_TABLES) {
      const last = (await client.query<Row>(`SELECT * FROM ${table} ORDER BY id DESC LIMIT 1`)).rows;
      this.lastIds.set(table, last.length === 0 ? 0n : BigInt(last[0]!['id'] as string));
      tables.push([table, last]);
    }
    const accounts = load.accounts;
    const transfers = await rows(
      `SELECT * FROM transfers WHERE from_id = ANY($1::bigint[]) UNION SELECT * FROM transfers WHERE to_id = ANY($1::bigint[])
       UNION SELECT * FROM transfers WHERE id = ANY($2::bigint[])`,
      accounts,
      load.transfers,
    );
    const transferIds = transfers.map((t) => Number(t['id']));
    const links = await rows(
      `SELECT * FROM links WHERE fiat_id = ANY($1::bigint[]) UNION SELECT * FROM links WHERE crypto_id = ANY($1::bigint[])
       UNION SELECT * FROM links WHERE id = ANY($2::bigint[])`,
      transferIds,
      load.links,
    );
    const named = new Set(accounts);
    for (const t of transfers) for (const column of ['from_id', 'to_id']) named.add(Number(t[column]));
    const accountRows = await rows('SELECT * FROM accounts WHERE id = ANY($1::bigint[])', named);
    for (const a of accountRows) this.holders.set(Number(a['id']), a);
    const openings = await rows('SELECT * FROM opening_balances WHERE account_id = ANY($1::bigint[])', accounts);
    this.openings.push(...openings);
    tables.push(
      ['accounts', accountRows],
      ['transfers', transfers],
      ['transfer_refs', await rows('SELECT * FROM transfer_refs WHERE transfer_id = ANY($1::bigint[])', transferIds)],
      ['bank_lines', await rows('SELECT * FROM bank_lines WHERE account_id = ANY($1::bigint[]) ORDER BY source_id, line, transfer_id', accounts)],
      ['opening_balances', openings],
      [
        'tags',
        await rows('SELECT * FROM tags WHERE account_id = ANY($1::bigint[]) UNION SELECT * FROM tags WHERE id = ANY($2::bigint[])', accounts, load.tags),
      ],
      ['links', links],
      ['usdt_freeze_events', await rows('SELECT * FROM usdt_freeze_events WHERE id = ANY($1::bigint[])', load.freezeEvents)],
      ['sources', await rows('SELECT * FROM sources WHERE id = ANY($1::bigint[])', load.sources)],
    );
    this.db.transaction(() => {
      for (const [table, loaded] of tables) copyRows(this.db, table, loaded);
    })();
    this.refsLoaded = this.db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM transfer_refs').pluck().get() as bigint;
  }

  /**
   * After a run that stored source `sourceId`: the rows it added that PostgreSQL's case holds
   * already, as a larger load for the next run; undefined when every one is new (the run is the import).
   */
  async missing(client: pg.Client, sourceId: number, load: MirrorLoad): Promise<MirrorLoad | undefined> {
    // Keys in batches, so a source of millions of rows never holds them all in memory.
    const found = async (sql: string, keys: string[], rows: Iterable<unknown>): Promise<number[]> => {
      const ids: number[] = [];
      let batch: unknown[][] = keys.map(() => []);
      const flush = async (): Promise<void> => {
        if (batch[0]!.length > 0) for (const r of (await client.query<{ id: string }>(sql, batch)).rows) ids.push(Number(r.id));
        batch = keys.map(() => []);
      };
      for (const row of rows as Iterable<Row>) {
        for (const [i, key] of keys.entries()) batch[i]!.push(typeof row[key] === 'bigint' ? String(row[key]) : row[key]);
        if (batch[0]!.length >= KEY_BATCH) await flush();
      }
      await flush();
      return ids;
    };
    const of = (sql: string): Iterable<unknown> => this.db.prepare(sql).iterate(sourceId);

    const accounts = await found(
      'SELECT a.id::text AS id FROM accounts a JOIN UNNEST($1::text[], $2::text[]) k(rail, ident) ON a.rail = k.rail AND a.ident = k.ident',
      ['rail', 'ident'],
      this.db.prepare('SELECT rail, ident FROM accounts WHERE id > ?').iterate(this.lastIds.get('accounts')),
    );
    // Every other key holds account ids, which are PostgreSQL's only once the accounts are.
    if (accounts.length > 0) return { ...load, accounts: new Set([...load.accounts, ...accounts]) };

    const more: MirrorLoad = {
      sources: load.sources,
      accounts: load.accounts,
      transfers: new Set([
        ...load.transfers,
        ...(await found(
          'SELECT t.id::text AS id FROM transfers t JOIN UNNEST($1::text[], $2::text[], $3::bigint[]) k(rail, ref, seq) ON t.rail = k.rail AND t.ref = k.ref AND t.seq = k.seq',
          ['rail', 'ref', 'seq'],
          of('SELECT rail, ref, seq FROM transfers WHERE source_id = ?'),
        )),
      ]),
      tags: new Set([
        ...load.tags,
        ...(await found(
          `SELECT t.id::text AS id FROM tags t JOIN UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[]) k(account_id, category, label, origin)
           ON t.account_id = k.account_id AND t.category = k.category AND t.label = k.label AND t.origin = k.origin`,
          ['account_id', 'category', 'label', 'origin'],
          of('SELECT account_id, category, label, origin FROM tags WHERE source_id = ?'),
        )),
      ]),
      links: new Set([
        ...load.links,
        ...(await found(
          'SELECT l.id::text AS id FROM links l JOIN UNNEST($1::bigint[], $2::bigint[]) k(fiat_id, crypto_id) ON l.fiat_id = k.fiat_id AND l.crypto_id = k.crypto_id',
          ['fiat_id', 'crypto_id'],
          of('SELECT fiat_id, crypto_id FROM links WHERE source_id = ?'),
        )),
      ]),
      freezeEvents: new Set([
        ...load.freezeEvents,
        ...(await found(
          `SELECT e.id::text AS id FROM usdt_freeze_events e JOIN UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) k(rail, address, event, time)
           ON e.rail = k.rail AND e.address = k.address AND e.event = k.event AND e.time = k.time`,
          ['rail', 'address', 'event', 'time'],
          of('SELECT rail, address, event, time FROM usdt_freeze_events WHERE source_id = ?'),
        )),
      ]),
    };
    const grew = (['transfers', 'tags', 'links', 'freezeEvents'] as const).some((key) => more[key].size > load[key].size);
    return grew ? more : undefined;
  }

  /** The source's rows into PostgreSQL (inside its transaction), with the audit log entry the run wrote. */
  async copyInto(client: pg.Client, sourceId: number): Promise<void> {
    await this.copyTable(client, 'sources', 'SELECT * FROM sources WHERE id = ?', sourceId);
    await this.copyTable(client, 'accounts', 'SELECT * FROM accounts WHERE id > ?', this.lastIds.get('accounts'));
    for (const table of SOURCE_TABLES) await this.copyTable(client, table, `SELECT * FROM ${table} WHERE source_id = ? ORDER BY rowid`, sourceId);
    const refs = this.db.prepare('SELECT ref, transfer_id FROM transfer_refs WHERE rowid > ? ORDER BY rowid').all(this.refsLoaded) as Row[];
    if (refs.length > 0)
      await client.query('INSERT INTO transfer_refs (ref, transfer_id) SELECT * FROM UNNEST($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING', [
        refs.map((r) => r['ref']),
        refs.map((r) => String(r['transfer_id'])),
      ]);
    await this.copyHolders(client);
    await this.copyReplacedOpenings(client);
    const entry = this.db.prepare('SELECT action, inputs, changes FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      | { action: string; inputs: string; changes: string }
      | undefined;
    if (!entry) throw new Error('the import wrote no audit log entry');
    const input: AuditEntryInput = {
      action: entry.action,
      inputs: JSON.parse(entry.inputs) as NonNullable<AuditEntryInput['inputs']>,
      changes: JSON.parse(entry.changes) as NonNullable<AuditEntryInput['changes']>,
    };
    await appendLogPg(client, input);
  }

  /** Holder names and banks a statement filled in on accounts the case held (BankLineWriter keeps the first). */
  private async copyHolders(client: pg.Client): Promise<void> {
    const read = this.db.prepare('SELECT holder, holder_norm, bank FROM accounts WHERE id = ?');
    const changed: Row[] = [];
    for (const [id, before] of this.holders) {
      const now = read.get(id) as Row;
      if (now['holder'] !== before['holder'] || now['holder_norm'] !== before['holder_norm'] || now['bank'] !== before['bank']) changed.push({ id, ...now });
    }
    if (changed.length === 0) return;
    await client.query(
      `UPDATE accounts a SET holder = c.holder, holder_norm = c.holder_norm, bank = c.bank
       FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[]) AS c(id, holder, holder_norm, bank) WHERE a.id = c.id`,
      [changed.map((c) => c['id']), changed.map((c) => c['holder']), changed.map((c) => c['holder_norm']), changed.map((c) => c['bank'])],
    );
  }

  /** An earlier statement's opening balance replaces a later one's (BankLineWriter.addOpeningBalance). */
  private async copyReplacedOpenings(client: pg.Client): Promise<void> {
    const present = this.db.prepare('SELECT 1 FROM opening_balances WHERE account_id = ? AND asset = ? AND source_id = ?').pluck();
    const gone = this.openings.filter((o) => present.get(BigInt(o['account_id'] as string), o['asset'], BigInt(o['source_id'] as string)) === undefined);
    if (gone.length === 0) return;
    await client.query(
      `DELETE FROM opening_balances o USING UNNEST($1::bigint[], $2::text[], $3::bigint[]) AS g(account_id, asset, source_id)
       WHERE o.account_id = g.account_id AND o.asset = g.asset AND o.source_id = g.source_id`,
      [gone.map((o) => o['account_id']), gone.map((o) => o['asset']), gone.map((o) => o['source_id'])],
    );
  }

  /** The rows `sql` selects into the same table of PostgreSQL, streamed: a source of millions of rows is never held whole. */
  private async copyTable(client: pg.Client, table: string, sql: string, ...params: unknown[]): Promise<void> {
    // Before the first row: while the rows are read, the database runs no other statement.
    const columns = (this.db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    let copy: Writable | undefined;
    let done: Promise<void> | undefined;
    let chunk = '';
    // for…of closes the statement if the COPY fails half way.
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<Row>) {
      if (copy === undefined) {
        const stream: Writable = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
        done = new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
        });
        done.catch(() => undefined);
        copy = stream;
      }
      chunk += columns.map((c) => copyText(row[c], AMOUNT_COLUMNS.has(c))).join('\t') + '\n';
      if (chunk.length >= 1 << 16) {
        if (!copy.write(chunk)) await new Promise<void>((resolve) => copy!.once('drain', resolve));
        chunk = '';
      }
    }
    if (copy === undefined) return;
    copy.end(chunk);
    await done;
  }
}

/** A mirror value in COPY's text format: amounts as exact decimals (a case file keeps large ones as hex text). */
function copyText(value: unknown, amount: boolean): string {
  if (value === null || value === undefined) return '\\N';
  if (amount) return amountFromDb(value).toString();
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Runs a case file's import of one source over mirrors until a run needs nothing it lacked (see
 * CaseMirror), then copies that run's rows into PostgreSQL; a run that stored no source (the file
 * was imported before) copies nothing. Call it inside inWriteTransaction (./pgCase.ts).
 */
export async function importThroughMirror<T>(client: pg.Client, importOne: (db: Db) => Promise<T>, initial: MirrorLoad = emptyMirrorLoad()): Promise<T> {
  let load = initial;
  for (;;) {
    const mirror = await CaseMirror.open(client, load);
    try {
      const result = await importOne(mirror.db);
      const sourceId = mirror.newSource();
      if (sourceId === undefined) return result;
      const more = await mirror.missing(client, sourceId, load);
      if (more === undefined) {
        await mirror.copyInto(client, sourceId);
        return result;
      }
      load = more;
    } finally {
      mirror.close();
    }
  }
}
