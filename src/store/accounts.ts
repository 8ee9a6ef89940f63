import type { AccountRef, Rail } from '../model/types.js';
import type { Db } from './caseStore.js';

/**
 * Account ids by (rail, ident), with a bounded cache: ingest resolves two accounts per row, and
 * real exports repeat the same counterparties, so most lookups never reach SQLite.
 */
export class AccountIds {
  private readonly cache = new Map<string, number>();
  private readonly select;
  private readonly insert;

  constructor(
    db: Db,
    private readonly capacity = 200_000,
  ) {
    this.select = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck();
    this.insert = db.prepare('INSERT INTO accounts (rail, ident) VALUES (?, ?)');
  }

  idOf(account: AccountRef): number {
    const key = account.rail + '|' + account.ident;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const found = this.select.get(account.rail, account.ident) as bigint | undefined;
    const id = found !== undefined ? Number(found) : Number(this.insert.run(account.rail, account.ident).lastInsertRowid);
    if (this.cache.size >= this.capacity) this.cache.clear();
    this.cache.set(key, id);
    return id;
  }

  /** Ids of a transaction that was rolled back are gone from the database: forget them too. */
  forget(): void {
    this.cache.clear();
  }
}

export function accountById(db: Db, id: number): AccountRef {
  const row = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?').get(id) as { rail: Rail; ident: string } | undefined;
  if (!row) throw new Error(`no account ${id}`);
  return row;
}
