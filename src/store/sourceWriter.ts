import type { TagRecord, TransferRecord } from '../model/types.js';
import { AccountIds, type AccountDetails } from './accounts.js';
import { refreshAccountTotals } from './accountTotals.js';
import { appendLog } from './auditLog.js';
import { buildTransferIndexes, capPageCache, dropTransferIndexes, beginBulkWrite, KEYED_LOAD_CACHE_KIB, type DroppedIndex } from './bulkWrite.js';
import { amountFromDb, amountToDb, type Db } from './caseStore.js';
import type { RefFilter } from './refFilter.js';
import { TotalsFold } from './totalsFold.js';
import { TransferKeys } from './transferKeys.js';

/**
 * An amount as this writer stores it. Past 64 bits (18-decimal tokens from about 9.2 tokens up),
 * `amountToDb` gives a decimal string, which SQLite's INTEGER affinity silently turns into a REAL
 * (2520991104865915373718 → 2.5209911048659156e21: a wrong figure). A `0x` hex string is left as
 * TEXT by SQLite and read back exactly by `amountFromDb` (BigInt accepts hex).
 */
export function storedAmount(amount: bigint): bigint | string {
  const value = amountToDb(amount);
  if (typeof value !== 'string') return value;
  return amount > 0n ? '0x' + amount.toString(16) : '-0x' + (-amount).toString(16);
}

export interface SourceMeta {
  path: string;
  sha256: string;
  size: number;
  adapter: string;
  /** Options that change how the file is read, as stable JSON (part of the re-import key). */
  options: string;
}

/**
 * A row that names a transfer already in the case — same rail, transaction, token, sender and
 * recipient, no log index telling them apart — but moves another amount: one of the two copies
 * is wrong, and storing both would double the money (docs/case-file.md, "Conflicting copies").
 */
export interface TransferConflict {
  kind: 'conflict';
  /** The transfer this source stored, and its line. */
  id: number;
  line: number;
  /** The stored transfer it contradicts, and where that came from. */
  transferId: number;
  sourcePath: string;
  storedLine: number;
  amount: bigint;
  storedAmount: bigint;
  decimals: number;
}

export interface SourceSummary {
  sourceId: number;
  rows: number;
  rejected: number;
  skipped: number;
  duplicates: number;
  tags: number;
  notes: string[];
}

/**
 * The transfers this source stored (ids above `@first`: rowids grow) that contradict a transfer
 * of another source: same rail, transaction, sender, recipient and token, no log index telling
 * them apart, another amount (TransferConflict). One statement per source, run before it commits:
 * a check per row would cost an index lookup per row, as much again as the insert. The `+`
 * keeps SQLite on the (rail, ref, seq) index for the stored side (transfers_to would scan a hub
 * address's every receipt).
 */
const CONFLICTS = `SELECT t.id, t.line, t.amount, t.decimals, c.id AS stored_id, c.amount AS stored_amount, s.path, c.line AS stored_line
  FROM transfers t JOIN transfers c ON c.rail = t.rail AND c.ref = t.ref JOIN sources s ON s.id = c.source_id
  WHERE t.id > @first AND t.rail <> 'bank' AND t.source_id = @source AND c.source_id <> @source
    AND +c.from_id = t.from_id AND +c.to_id = t.to_id AND c.token IS t.token AND c.amount <> t.amount
    AND (c.log_index IS NULL OR t.log_index IS NULL OR c.log_index = t.log_index)
  ORDER BY t.line, t.id, c.id`;

/** CONFLICTS for some of the source's transfers only (`@ids`, a JSON array): those a RefFilter may pair with a stored one. */
const CONFLICTS_AMONG = CONFLICTS.replace('WHERE t.id > @first', 'WHERE t.id IN (SELECT value FROM json_each(@ids)) AND t.id > @first');

/**
 * CONFLICTS for given pairs of ids only (`@pairs`, a JSON array of [this source's, another's]):
 * those TransferKeys found under the same (rail, ref) hash, read by rowid while the key waits.
 */
const CONFLICTS_PAIRS = `SELECT t.id, t.line, t.amount, t.decimals, c.id AS stored_id, c.amount AS stored_amount, s.path, c.line AS stored_line
  FROM json_each(@pairs) p CROSS JOIN transfers t ON t.id = p.value ->> 0 CROSS JOIN transfers c ON c.id = p.value ->> 1 JOIN sources s ON s.id = c.source_id
  WHERE c.rail = t.rail AND c.ref = t.ref AND t.id > @first AND t.rail <> 'bank' AND t.source_id = @source AND c.source_id <> @source
    AND c.from_id = t.from_id AND c.to_id = t.to_id AND c.token IS t.token AND c.amount <> t.amount
    AND (c.log_index IS NULL OR t.log_index IS NULL OR c.log_index = t.log_index)
  ORDER BY t.line, t.id, c.id`;

/**
 * The transfers' secondary indexes (schema.ts), which a large import can drop and build again
 * after its rows: one sort per index instead of a B-tree insert per row and index, the bare
 * pipeline's way of loading. The (rail, ref, seq) key, which tells a new transfer from one already
 * stored, waits too when the case holds no transfers (withoutKeyUnlessEmpty): the load's own
 * keys are then all there is to compare with, and TransferKeys holds them. A case file made before
 * the key was an index of its own keeps it as the table's constraint, which cannot be dropped.
 */
export const DEFERRABLE_INDEXES = ['transfers_key', 'transfers_from', 'transfers_to', 'transfers_time', 'transfers_bank_pair'] as const;
/**
 * Those an explorer export's rows enter: the bank pair index is partial (rail = 'bank'), so a
 * USDT import's rows never enter it, and dropping it only cost a scan of the whole table to build
 * it again (docs/performance.md, "Ingest against a bare pipeline").
 */
export const EXPLORER_DEFERRABLE_INDEXES: readonly DeferrableIndex[] = DEFERRABLE_INDEXES.filter((name) => name !== 'transfers_bank_pair');
/** The transfers' unique (rail, ref, seq) index. */
export const TRANSFER_KEY = 'transfers_key';

/** `names` without the transfers' key unless the case holds no transfers (`storedTransfers`). */
export function withoutKeyUnlessEmpty(names: readonly DeferrableIndex[], storedTransfers: number): readonly DeferrableIndex[] {
  return storedTransfers === 0 ? names : names.filter((name) => name !== TRANSFER_KEY);
}

/** [a, b, c, d] as [[a, b], [c, d]]. */
function pairsOf(flat: readonly number[]): number[][] {
  const pairs: number[][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

/** Whether `dropped` holds the transfers' key. */
export function droppedKey(dropped: readonly DroppedIndex[]): boolean {
  return dropped.some((index) => index.name === TRANSFER_KEY);
}

/**
 * Indexes of a bank statement's provenance rows (bank_lines), deferred the same way by a bank
 * import that asks for them (`deferrable`): never by default, since matching reads them; the bank
 * import builds them again (`buildIndexes`) before a look-up that reads them.
 */
const DEFERRABLE_BANK_LINE_INDEXES = ['bank_lines_account_ref', 'bank_lines_transfer'] as const;
export const BANK_LINE_INDEXES: readonly DeferrableIndex[] = DEFERRABLE_BANK_LINE_INDEXES;
export type DeferrableIndex = (typeof DEFERRABLE_INDEXES)[number] | (typeof DEFERRABLE_BANK_LINE_INDEXES)[number];

/** Bytes of an explorer export per row, at most (Etherscan rows are ~250 bytes, TronGrid items ~330): the default row size. */
const BYTES_PER_ROW = 400;
/** Below this many rows an import keeps the indexes: rebuilding costs more than it saves. */
const MIN_DEFERRED_ROWS = 50_000;

/**
 * Whether an import of `bytes` (rows of at most `bytesPerRow`) into a case that holds
 * `storedTransfers` should build the transfers' indexes after its rows
 * (SourceWriterOptions.deferIndexes): when it brings at least
 * MIN_DEFERRED_ROWS rows and at least as many as the case holds, rebuilding the indexes over
 * everything costs less than inserting each row into them.
 */
export function shouldDeferIndexes(bytes: number, storedTransfers: number, bytesPerRow = BYTES_PER_ROW): boolean {
  const rows = Math.floor(bytes / bytesPerRow);
  return rows >= MIN_DEFERRED_ROWS && rows >= storedTransfers;
}

/** The transfers this case holds, as its largest id (rowids grow; a removed source leaves gaps, which only overestimates). */
export function storedTransferCount(db: Db): number {
  return Number(db.prepare('SELECT COALESCE(MAX(id), 0) FROM transfers').pluck().get());
}

/** The savepoint a source of a SourceBatch is written under. */
const SAVEPOINT = 'hoptrace_source';

export interface SourceWriterOptions {
  /**
   * Run in this source's transaction before its row is written, once no other process can write:
   * whether the file was imported meanwhile (an ingest of it by another process that committed
   * while this one read it; src/ingest/priorImport.ts). What it throws rolls the transaction back.
   */
  beforeInsert?: () => void;
  /**
   * Drop the transfers' secondary indexes (DEFERRABLE_INDEXES) in this source's transaction and
   * build them again, from their stored definitions, before the conflict check and the commit;
   * a rollback or a crash restores them with everything else. Only for readers whose look-ups
   * during the load need none of them (explorer exports: the key and the accounts' own index).
   * `when-large`: when shouldDeferIndexes says so for this source's size. Default `never`; a
   * caller's transaction or a savepoint never defers (a SourceBatch defers for all its sources).
   */
  deferIndexes?: 'never' | 'always' | 'when-large';
  /** Which of them (default all): a reader whose look-ups need some keeps those. */
  deferrable?: readonly DeferrableIndex[];
  /** For `when-large`: the reader's row size in bytes, at most (default 400, an explorer export's). */
  bytesPerRow?: number;
  /** Account ids shared with the other sources of one transaction (a SourceBatch's); default this source's own. */
  accounts?: AccountIds;
  /**
   * The (rail, ref) pairs the other sources of this transaction stored, when the case held no
   * transfers before it (a SourceBatch's): the conflict check looks only at the transfers whose
   * pair it may hold.
   */
  refs?: RefFilter;
  /**
   * The keys of the transfers the other sources of this transaction stored, while the batch keeps
   * the transfers' key index dropped (a SourceBatch's, begun on a case without transfers), and
   * what builds that index when they are full.
   */
  keys?: { keys: TransferKeys; full: () => void };
  /** Keys held while the key index waits, at most (default and bound: MAX_KEYS, transferKeys.ts). */
  maxKeys?: number;
  /** A SourceBatch's totals, which this source's own join when it commits (TotalsFold). */
  totals?: TotalsFold;
  /**
   * For a source of a batch written without a savepoint (`'batch'`): called when the source is
   * rolled back, since what it wrote stays in the batch's transaction until the whole batch is.
   */
  spoil?: () => void;
}

/**
 * Writes one source inside one transaction: `commit()` makes all of it visible, `rollback()` (or
 * a crash) leaves the case file as it was. This is what makes a failed import leave nothing
 * half-written.
 */
export class SourceWriter {
  readonly sourceId: number;
  private readonly accounts: AccountIds;
  /** The INSERT of a transfer, and the same for a row without block, log index or description (prepareInserts). */
  private inserts;
  /** The largest transfer id before this source: its own transfers are above it. */
  private readonly firstTransferId: number;
  private readonly findTransfer;
  /**
   * While the transfers' key index waits: the keys stored so far, and what builds the index when
   * they are full (then this is undefined and the index answers as usual).
   */
  private keys: { keys: TransferKeys; full: () => void } | undefined;
  /** With `keys`: pairs of ids, this source's transfer and another source's under the same (rail, ref) hash. */
  private readonly keyPairs: number[] = [];
  /** The id of the stored transfer with the key `insertNewTransfer` found taken last. */
  private takenBy = 0;
  /** Puts back the page cache this source lowered while its own keys stood for the key index (KEYED_LOAD_CACHE_KIB). */
  private restoreCache: () => void = () => undefined;
  /** With `keys`: reads a transfer's key back by id. */
  private readonly readKey;
  private readonly insertSighting;
  private readonly insertReject;
  private readonly insertTag;
  private readonly findTag;
  private readonly insertTagSighting;
  private readonly summary: Omit<SourceSummary, 'sourceId'> = { rows: 0, rejected: 0, skipped: 0, duplicates: 0, tags: 0, notes: [] };
  private open = true;
  private readonly restoreSettings: () => void;
  /** The indexes this source dropped (name and CREATE statement), until it builds them again. */
  private deferred: DroppedIndex[] = [];
  private readonly refs: RefFilter | undefined;
  /** With `refs`: this source's transfers whose (rail, ref) another source may have stored. */
  private readonly candidates: number[] = [];
  /**
   * The account totals of this source's transfers, kept as they are stored (TotalsFold). In a
   * batch without savepoints this is the batch's own: a source rolled back there spoils the whole
   * batch, so there is nothing to keep apart, and each file's transfers need not be summed twice.
   */
  private readonly totals: TotalsFold;
  private readonly batchTotals: TotalsFold | undefined;
  private readonly spoil: () => void;

  /** A source of a SourceBatch, with a savepoint or without. */
  private get inBatch(): boolean {
    return this.transaction === 'savepoint' || this.transaction === 'batch';
  }

  /**
   * `transaction: 'caller'` writes inside a transaction the caller opened and will commit: live
   * fetch stores several responses and their checkpoint as one unit. `'savepoint'` writes one
   * source of a SourceBatch: inside the batch's transaction, under a savepoint of its own that
   * `commit` releases (with the source's audit log entry) and `rollback` undoes alone. `'batch'`
   * is the same without the savepoint: `rollback` cannot undo the source alone and calls
   * `options.spoil` instead, for the batch to be rolled back whole (SourceBatch).
   */
  constructor(
    private readonly db: Db,
    private readonly meta: SourceMeta,
    private readonly transaction: 'own' | 'caller' | 'savepoint' | 'batch' = 'own',
    options: SourceWriterOptions = {},
  ) {
    this.spoil = options.spoil ?? (() => undefined);
    if (transaction !== 'own') {
      if (!db.inTransaction) throw new Error('SourceWriter: the caller has not opened a transaction');
      if (transaction === 'savepoint') db.exec(`SAVEPOINT ${SAVEPOINT}`);
      this.restoreSettings = () => undefined;
    } else {
      this.restoreSettings = beginBulkWrite(db);
    }
    try {
      options.beforeInsert?.();
      this.sourceId = Number(
        db
          .prepare('INSERT INTO sources (path, sha256, size, adapter, options, imported_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(meta.path, meta.sha256, meta.size, meta.adapter, meta.options, new Date().toISOString()).lastInsertRowid,
      );
    } catch (error) {
      if (transaction === 'own') db.exec('ROLLBACK');
      if (transaction === 'savepoint') db.exec(`ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}`);
      if (transaction === 'batch') this.spoil();
      this.restoreSettings();
      throw error;
    }
    this.accounts = options.accounts ?? new AccountIds(db);
    this.refs = options.refs;
    this.batchTotals = options.totals;
    this.totals = transaction === 'batch' && options.totals ? options.totals : new TotalsFold();
    this.firstTransferId = storedTransferCount(db);
    const defer = options.deferIndexes ?? 'never';
    if (transaction === 'own' && (defer === 'always' || (defer === 'when-large' && shouldDeferIndexes(meta.size, this.firstTransferId, options.bytesPerRow)))) {
      try {
        this.dropIndexes(withoutKeyUnlessEmpty(options.deferrable ?? DEFERRABLE_INDEXES, this.firstTransferId));
      } catch (error) {
        this.rollback();
        throw error;
      }
    }
    if (droppedKey(this.deferred)) {
      this.restoreCache = capPageCache(db, KEYED_LOAD_CACHE_KIB);
      this.keys = { keys: new TransferKeys(options.maxKeys), full: () => this.keyIndexNow() };
    } else {
      this.keys = options.keys;
    }
    this.inserts = this.prepareInserts();
    this.readKey = this.keys ? db.prepare('SELECT rail, ref, seq FROM transfers WHERE id = ?').raw() : undefined;
    this.findTransfer = db.prepare('SELECT id FROM transfers WHERE rail = ? AND ref = ? AND seq = ?').pluck();
    this.insertSighting = db.prepare('INSERT OR IGNORE INTO sightings (transfer_id, source_id, line, ref) VALUES (?, ?, ?, ?)');
    this.insertReject = db.prepare('INSERT INTO rejects (source_id, line, reason) VALUES (?, ?, ?)');
    this.insertTag = db.prepare(
      `INSERT INTO tags (account_id, category, label, origin, confidence, source_id, line) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, category, label, origin) DO NOTHING`,
    );
    this.findTag = db.prepare('SELECT id FROM tags WHERE account_id = ? AND category = ? AND label = ? AND origin = ?').pluck();
    this.insertTagSighting = db.prepare('INSERT OR IGNORE INTO tag_sightings (tag_id, source_id, line, confidence) VALUES (?, ?, ?, ?)');
  }

  /** The account's id; `details` are stored with an account new to the case (AccountIds.idOf). */
  accountId(record: TransferRecord['from'], details?: () => AccountDetails): number {
    return this.accounts.idOf(record, details);
  }

  /** Whether the last `accountId` added the account to the case. */
  get accountCreated(): boolean {
    return this.accounts.created;
  }

  /**
   * Stores a transfer; a transfer already in the case (same rail, ref, seq) is recorded as a
   * sighting. Contradictions with other sources are found once the source is read (`conflicts`).
   */
  addTransfer(record: TransferRecord): 'inserted' | 'duplicate' {
    if (this.insertNewTransfer(record) !== undefined) return 'inserted';
    const existing = this.takenBy > 0 ? this.takenBy : (this.findTransfer.get(record.rail, record.ref, record.seq) as bigint);
    this.insertSighting.run(existing, this.sourceId, record.line, record.ref);
    this.summary.duplicates++;
    return 'duplicate';
  }

  /**
   * Stores a transfer whose key (rail, ref, seq) is new and returns its id; when the key is taken
   * nothing is written and undefined is returned, so the caller can choose another key (bank
   * statements qualify a reference two banks both print) in one statement instead of a look-up first.
   * `fromId` and `toId`: the ids of `record.from` and `record.to` when the caller has them already.
   */
  insertNewTransfer(record: TransferRecord, fromId?: number, toId?: number): number | undefined {
    this.takenBy = 0;
    const keys = this.keys?.keys;
    if (keys) {
      keys.lookup(record.rail, record.ref, record.seq);
      for (const id of keys.sameKey) {
        if (this.storedUnder(id, record)) {
          this.takenBy = id;
          return undefined;
        }
      }
    }
    const from = fromId ?? this.accounts.idOf(record.from);
    const to = toId ?? this.accounts.idOf(record.to);
    const { rail, asset, decimals, time, ref, seq, line, block, logIndex, description } = record;
    const token = record.token ?? null;
    const amount = storedAmount(record.amount);
    // The first values are the same in both statements (prepareInserts); the full one adds three.
    const result =
      block === undefined && logIndex === undefined && description === undefined
        ? this.inserts.plain.run(rail, asset, token, decimals, amount, from, to, time, ref, seq, line)
        : this.inserts.full.run(rail, asset, token, decimals, amount, from, to, time, ref, seq, line, block ?? null, logIndex ?? null, description ?? null);
    if (result.changes === 0) return undefined;
    this.summary.rows++;
    this.totals.add(from, to, record.asset, record.decimals, record.amount);
    const id = Number(result.lastInsertRowid);
    if (this.refs?.seenBefore(record.rail, record.ref)) this.candidates.push(id);
    if (keys) this.keyStored(keys, id);
    return id;
  }

  /** Whether the transfer stored as `id` has the key of `record` (a hash match read back). */
  private storedUnder(id: number, record: TransferRecord): boolean {
    const row = this.readKey?.get(id) as [string, string, number | bigint] | undefined;
    return row !== undefined && row[0] === record.rail && row[1] === record.ref && Number(row[2]) === record.seq;
  }

  /** Records the key just looked up as `id`'s, and the earlier sources' transfers it may contradict; builds the index when the keys are full. */
  private keyStored(keys: TransferKeys, id: number): void {
    for (const stored of keys.sameRef) if (stored <= this.firstTransferId) this.keyPairs.push(id, stored);
    if (keys.add(id)) return;
    this.keys?.full();
    this.keys = undefined;
    this.inserts = this.prepareInserts();
  }

  /** The keys are full: the key index is built now, and the page cache is put back for its look-ups. */
  private keyIndexNow(): void {
    this.buildIndexes([TRANSFER_KEY]);
    this.restoreCache();
  }

  /**
   * The INSERTs of a transfer: while the key index waits, without ON CONFLICT (TransferKeys told
   * it is new), else leaving a stored key alone; prepared again when the key index is built. The
   * source's id is written into the statements, and `plain`, for a row without block, log index or
   * description (most explorer exports' rows), has those as NULL in it too: four values fewer to
   * bind per row, 8 % of the statement's time (docs/performance.md, "Ingest against a bare
   * pipeline").
   */
  private prepareInserts() {
    const columns = 'rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, line, source_id, block, log_index, description';
    const prepare = (last: string) => {
      const insert = `INSERT INTO transfers (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${this.sourceId}, ${last})`;
      return this.db.prepare(this.keys ? insert : `${insert} ON CONFLICT (rail, ref, seq) DO NOTHING`);
    };
    return { full: prepare('?, ?, ?'), plain: prepare('NULL, NULL, NULL') };
  }

  /**
   * The transfers this source stored that contradict another source's (TransferConflict), by
   * line; call it after the last row, before `commit`.
   */
  conflicts(): TransferConflict[] {
    this.buildIndexes();
    // A contradicted transfer is another source's, stored before this one began: none in an empty case.
    if (this.firstTransferId === 0) return [];
    const pairs = this.keys !== undefined;
    if (pairs && this.keyPairs.length === 0) return [];
    if (this.refs && this.candidates.length === 0) return [];
    const rows = (
      pairs
        ? this.db.prepare(CONFLICTS_PAIRS).all({ pairs: JSON.stringify(pairsOf(this.keyPairs)), first: this.firstTransferId, source: this.sourceId })
        : this.refs
          ? this.db.prepare(CONFLICTS_AMONG).all({ ids: JSON.stringify(this.candidates), first: this.firstTransferId, source: this.sourceId })
          : this.db.prepare(CONFLICTS).all({ first: this.firstTransferId, source: this.sourceId })
    ) as {
      id: bigint;
      line: bigint;
      amount: unknown;
      decimals: bigint;
      stored_id: bigint;
      stored_amount: unknown;
      path: string;
      stored_line: bigint;
    }[];
    const seen = new Set<number>();
    const found: TransferConflict[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      if (seen.has(id)) continue;
      seen.add(id);
      found.push({
        kind: 'conflict',
        id,
        line: Number(r.line),
        transferId: Number(r.stored_id),
        sourcePath: r.path,
        storedLine: Number(r.stored_line),
        amount: amountFromDb(r.amount),
        storedAmount: amountFromDb(r.stored_amount),
        decimals: Number(r.decimals),
      });
    }
    return found;
  }

  /**
   * With --skip-bad: a contradicting transfer is taken out again and its line recorded as
   * rejected, with this source's sightings of it (the same row read twice in one file).
   */
  rejectConflict(conflict: TransferConflict, reason: string): void {
    const sightings = this.db
      .prepare('DELETE FROM sightings WHERE transfer_id = ? AND source_id = ? RETURNING line')
      .pluck()
      .all(conflict.id, this.sourceId) as bigint[];
    this.db.prepare('DELETE FROM transfer_refs WHERE transfer_id = ?').run(conflict.id);
    const removed = this.db.prepare('DELETE FROM transfers WHERE id = ? RETURNING from_id, to_id, asset, decimals, amount').get(conflict.id) as
      | { from_id: number | bigint; to_id: number | bigint; asset: string; decimals: number | bigint; amount: unknown }
      | undefined;
    if (removed) this.totals.add(Number(removed.from_id), Number(removed.to_id), removed.asset, Number(removed.decimals), amountFromDb(removed.amount), -1);
    this.summary.rows--;
    this.summary.duplicates -= sightings.length;
    this.addReject(conflict.line, reason);
    for (const line of sightings) this.addReject(Number(line), reason);
  }

  addTag(tag: TagRecord): boolean {
    const accountId = this.accounts.idOf(tag.account);
    const added = this.insertTag.run(accountId, tag.category, tag.label, tag.origin, tag.confidence, this.sourceId, tag.line).changes > 0;
    if (added) this.summary.tags++;
    // Already in the case (this source's earlier line, or another source): a sighting, with the confidence this line gives.
    else this.insertTagSighting.run(this.findTag.get(accountId, tag.category, tag.label, tag.origin), this.sourceId, tag.line, tag.confidence);
    return added;
  }

  addReject(line: number, reason: string): void {
    this.insertReject.run(this.sourceId, line, reason);
    this.summary.rejected++;
  }

  addSkipped(): void {
    this.summary.skipped++;
  }

  addNote(message: string): void {
    this.summary.notes.push(message);
  }

  /**
   * Makes the source visible. A source in its own transaction logs itself (the audit log entry is
   * part of that transaction); `extraChanges` adds counts the caller kept (links). A caller's
   * transaction (live fetch) logs what it stored as one entry.
   */
  commit(extraChanges: Readonly<Record<string, number>> = {}): SourceSummary {
    this.buildIndexes();
    // The source's transfers join the per-account totals in its transaction (a batch's sources in
    // one pass before the batch commits): from the sums this writer kept as it stored them, else
    // in one grouped pass (src/store/accountTotals.ts).
    if (!this.inBatch) refreshAccountTotals(this.db, this.totals);
    this.db
      .prepare('UPDATE sources SET rows = ?, rejected = ?, skipped = ?, duplicates = ?, notes = ? WHERE id = ?')
      .run(this.summary.rows, this.summary.rejected, this.summary.skipped, this.summary.duplicates, JSON.stringify(this.summary.notes), this.sourceId);
    if (this.transaction !== 'caller') {
      const { rows, duplicates, skipped, rejected, tags } = this.summary;
      appendLog(this.db, {
        action: `ingest ${this.meta.adapter}`,
        inputs: [{ path: this.meta.path, sha256: this.meta.sha256 }],
        changes: { source: this.sourceId, transfers: rows, duplicates, skipped, rejected, tags, ...extraChanges },
      });
      if (this.transaction === 'own') this.db.exec('COMMIT');
      if (this.transaction === 'savepoint') this.db.exec(`RELEASE ${SAVEPOINT}`);
    }
    this.refs?.commitCurrent();
    if (this.inBatch && this.totals !== this.batchTotals) this.batchTotals?.absorb(this.totals);
    this.open = false;
    this.restoreCache();
    this.restoreSettings();
    return { sourceId: this.sourceId, ...this.summary };
  }

  private dropIndexes(names: readonly DeferrableIndex[]): void {
    this.deferred = dropTransferIndexes(this.db, names);
  }

  /**
   * Builds the dropped indexes again, with the very statements that made them (sqlite_master):
   * all of them at the end of the source, or `only` those a look-up during the load needs, before
   * it. Nothing to do for indexes not dropped or built already.
   */
  buildIndexes(only?: readonly DeferrableIndex[]): void {
    if (this.deferred.length === 0) return;
    const build = only === undefined ? this.deferred : this.deferred.filter((d) => (only as readonly string[]).includes(d.name));
    buildTransferIndexes(this.db, build);
    this.deferred = this.deferred.filter((d) => !build.includes(d));
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    if (this.transaction === 'own' && this.db.inTransaction) this.db.exec('ROLLBACK');
    // SQLite rolls the whole transaction back itself on some errors (a full disk): then there is no savepoint left.
    if (this.transaction === 'savepoint' && this.db.inTransaction) this.db.exec(`ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}`);
    if (this.transaction === 'batch') this.spoil();
    this.accounts.forget();
    this.refs?.dropCurrent();
    this.deferred = [];
    this.restoreCache();
    this.restoreSettings();
  }
}
