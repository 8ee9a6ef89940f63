import type { AccountRef, Rail } from '../model/types.js';
import type { Db } from './caseStore.js';

/**
 * Account ids by (rail, ident), held in memory for the import (bounded): ingest resolves two
 * accounts per row, and real exports repeat the same counterparties, so an account costs one
 * statement the first time it is seen and none after. An account not in the case yet costs one
 * INSERT when the case had no accounts when the import began (nothing to look up
 * first); otherwise a SELECT, then the INSERT if it found none. Both give the id SQLite assigns.
 */
export class AccountIds {
  private readonly cache = new Map<Rail, Map<string, number>>();
  private size = 0;
  private readonly select;
  private readonly insert;
  private readonly insertFirst: boolean;
  /** Whether the last `idOf` added the account to the case. */
  created = false;

  constructor(
    db: Db,
    private readonly capacity = 200_000,
  ) {
    this.select = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck();
    // No RETURNING: SQLite gathers a RETURNING row in a table of its own first, a third of the
    // statement's time on a new account; the id is the statement's last rowid when it inserted.
    this.insert = db.prepare('INSERT INTO accounts (rail, ident, holder, holder_norm, bank) VALUES (?, ?, ?, ?, ?) ON CONFLICT (rail, ident) DO NOTHING');
    this.insertFirst = db.prepare('SELECT 1 FROM accounts LIMIT 1').get() === undefined;
  }

  /**
   * The account's id; an account new to the case is stored with `details()` (its holder and
   * bank as the source names them), so that a writer need not update the row it just made.
   */
  idOf(account: AccountRef, details?: () => AccountDetails): number {
    this.created = false;
    const hit = this.cache.get(account.rail)?.get(account.ident);
    if (hit !== undefined) return hit;
    const { rail, ident } = account;
    const insert = (): unknown => {
      const d = details?.();
      const result = this.insert.run(rail, ident, d?.holder ?? null, d?.holderNorm ?? null, d?.bank ?? null);
      this.created = result.changes > 0;
      return this.created ? result.lastInsertRowid : undefined;
    };
    const id = Number(this.insertFirst ? (insert() ?? this.select.get(rail, ident)) : (this.select.get(rail, ident) ?? insert()));
    if (this.size >= this.capacity) this.forget();
    let byIdent = this.cache.get(rail);
    if (byIdent === undefined) {
      byIdent = new Map();
      this.cache.set(rail, byIdent);
    }
    byIdent.set(ident, id);
    this.size++;
    return id;
  }

  /** Ids of a transaction that was rolled back are gone from the database: forget them too. */
  forget(): void {
    this.cache.clear();
    this.size = 0;
  }
}

/** What a source says of an account besides its ident (accounts.holder, holder_norm, bank). */
export interface AccountDetails {
  holder: string | null;
  holderNorm: string | null;
  bank: string | null;
}

export function accountById(db: Db, id: number): AccountRef {
  const row = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?').get(id) as { rail: Rail; ident: string } | undefined;
  if (!row) throw new Error(`no account ${id}`);
  return row;
}
