import { AccountIds } from './accounts.js';
import { refreshAccountTotals } from './accountTotals.js';
import { buildTransferIndexes, capPageCache, dropTransferIndexes, beginBulkWrite, KEYED_LOAD_CACHE_KIB, type DroppedIndex } from './bulkWrite.js';
import type { Db } from './caseStore.js';
import { RefFilter } from './refFilter.js';
import { TotalsFold } from './totalsFold.js';
import {
  DEFERRABLE_INDEXES,
  droppedKey,
  shouldDeferIndexes,
  SourceWriter,
  storedTransferCount,
  TRANSFER_KEY,
  withoutKeyUnlessEmpty,
  type DeferrableIndex,
  type SourceMeta,
} from './sourceWriter.js';
import { TransferKeys } from './transferKeys.js';

/**
 * The sources of one command, written in one transaction the way a bulk loader does it, when
 * together they are large against the case (shouldDeferIndexes over their bytes), though each may
 * be small: a fetch saves TronGrid pages as files of 10,000 transfers. The transfers' secondary
 * indexes are dropped once, before the first source, and built again once, after the last, with
 * the per-account totals; each source is still its own source (its own row, provenance and
 * audit log entry), written under a savepoint that a bad file rolls back alone
 * (docs/case-file.md, "Large imports").
 *
 * Without savepoints (`savepoints: false`), a source rolled back cannot be undone alone: it
 * `spoiled` the batch, which can then only be rolled back whole. A savepoint costs each source a
 * copy of every page of the case it changes (SQLite's statement journal), and the transfers' key
 * is written all over: a tenth of a 300,000-transfer batch of TronGrid files and up to a fifth of
 * a 1,000,000-transfer one (docs/performance.md). So a command whose files can be read again
 * writes them without, and only if one fails writes them again with (src/ingest/ingestUsdt.ts).
 *
 * `commit` stores every source written so far; `rollback`, Ctrl-C or a crash stores none of them.
 * Either way the case file has every index of its schema: the drop is part of the transaction.
 */
export class SourceBatch {
  private readonly restoreSettings: () => void;
  private readonly accounts: AccountIds;
  private dropped: DroppedIndex[];
  private readonly refs: RefFilter | undefined;
  /** While the transfers' key index waits (a batch begun on a case without transfers): the keys stored, until they are full. */
  private keys: TransferKeys | undefined;
  /** The key index, once the keys were full and it was built during the batch. */
  private builtKey: DroppedIndex[] = [];
  /** Puts back the page cache lowered while the keys stand for the key index (KEYED_LOAD_CACHE_KIB). */
  private restoreCache: () => void = () => undefined;
  /** The account totals of the sources committed so far (TotalsFold). */
  private readonly totals = new TotalsFold();
  private open = true;
  private readonly savepoints: boolean;
  /** A source written without a savepoint was rolled back: only the whole batch can be. */
  spoiled = false;

  constructor(
    private readonly db: Db,
    options: { deferrable?: readonly DeferrableIndex[]; savepoints?: boolean; maxKeys?: number } = {},
  ) {
    const deferrable = options.deferrable ?? DEFERRABLE_INDEXES;
    this.savepoints = options.savepoints ?? true;
    this.restoreSettings = beginBulkWrite(db);
    let stored: number;
    try {
      stored = storedTransferCount(db);
      this.dropped = dropTransferIndexes(db, withoutKeyUnlessEmpty(deferrable, stored));
    } catch (error) {
      this.rollback();
      throw error;
    }
    // One cache for the batch: its ids stay valid until a source's savepoint is rolled back, which forgets them.
    this.accounts = new AccountIds(db);
    // In a case without transfers, a source can only contradict the batch's earlier sources, whose
    // keys TransferKeys holds while the key index waits, else whose refs the filter holds.
    this.keys = droppedKey(this.dropped) ? new TransferKeys(options.maxKeys) : undefined;
    if (this.keys) this.restoreCache = capPageCache(db, KEYED_LOAD_CACHE_KIB);
    this.refs = stored === 0 && !this.keys ? new RefFilter() : undefined;
  }

  /** The keys are full: the key index is built now and answers for the rest of the batch. */
  private keysFull(): void {
    this.builtKey = this.dropped.filter((index) => index.name === TRANSFER_KEY);
    this.dropped = this.dropped.filter((index) => index.name !== TRANSFER_KEY);
    buildTransferIndexes(this.db, this.builtKey);
    this.keys = undefined;
    this.restoreCache();
  }

  /** A writer for the next source; commit or roll it back before asking for another. */
  writer(meta: SourceMeta): SourceWriter {
    if (!this.open) throw new Error('SourceBatch: already committed or rolled back');
    if (this.spoiled) throw new Error('SourceBatch: a source was rolled back without a savepoint; roll the batch back');
    // Built under the savepoint of a source that was then rolled back: built again, for the batch.
    for (const index of this.builtKey) {
      if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(index.name) === undefined)
        buildTransferIndexes(this.db, [index]);
    }
    return new SourceWriter(this.db, meta, this.savepoints ? 'savepoint' : 'batch', {
      accounts: this.accounts,
      totals: this.totals,
      ...(this.refs ? { refs: this.refs } : {}),
      ...(this.keys ? { keys: { keys: this.keys, full: () => this.keysFull() } } : {}),
      spoil: () => {
        this.spoiled = true;
      },
    });
  }

  /** Builds the indexes again, folds the sources' transfers into the per-account totals and commits. */
  commit(): void {
    if (!this.open) return;
    if (this.spoiled) throw new Error('SourceBatch: a source was rolled back without a savepoint; the batch can only be rolled back');
    if (!this.db.inTransaction) {
      // SQLite rolls a transaction back itself on some errors (a full disk): nothing is left to commit.
      this.rollback();
      throw new Error('SourceBatch: SQLite rolled the transaction back');
    }
    try {
      buildTransferIndexes(this.db, this.dropped);
      refreshAccountTotals(this.db, this.totals);
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw error;
    }
    this.open = false;
    this.restoreCache();
    this.restoreSettings();
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.accounts.forget();
    this.restoreCache();
    this.restoreSettings();
  }
}

/**
 * A batch for the sources of one command when they bring, `bytes` together (of rows of at most
 * `bytesPerRow`), enough rows to be worth building the indexes after (shouldDeferIndexes) and
 * there is more than one of them (one file alone defers its indexes itself); else undefined.
 */
export function sourceBatchFor(
  db: Db,
  sources: number,
  bytes: number,
  options: { bytesPerRow?: number; savepoints?: boolean; deferrable?: readonly DeferrableIndex[] } = {},
): SourceBatch | undefined {
  if (sources < 2 || !shouldDeferIndexes(bytes, storedTransferCount(db), options.bytesPerRow)) return undefined;
  return new SourceBatch(db, {
    ...(options.savepoints === undefined ? {} : { savepoints: options.savepoints }),
    ...(options.deferrable === undefined ? {} : { deferrable: options.deferrable }),
  });
}
