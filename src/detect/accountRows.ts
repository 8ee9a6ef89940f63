import type { TransferColumns } from '../cluster/transferColumns.js';

const NONE = new Uint32Array(0);

/**
 * Row indices of a TransferColumns grouped by account, each group in row (time) order: the
 * detectors' per-account index. Two typed arrays (the rows, and where each account's rows start)
 * instead of a list of transfer objects per account: detection held every transfer as an object
 * (about 135 bytes each) and its per-account lists besides (docs/performance.md, `detect`).
 * Account ids are row ids, dense like AccountColumns' arrays indexed by id, so the start of each
 * account's rows is found by id directly.
 */
export class AccountRows {
  /** The accounts with at least one row, ascending. */
  readonly accounts: number[];
  /** Every group's rows, one group after the other in `accounts` order. */
  private readonly rows: Uint32Array;
  /** Where account id `a`'s rows start in `rows`; they end where id `a + 1`'s start. */
  private readonly start: Uint32Array;

  private constructor(accounts: number[], rows: Uint32Array, start: Uint32Array) {
    this.accounts = accounts;
    this.rows = rows;
    this.start = start;
  }

  /**
   * Each row `include` accepts, under the account in each of `keys` (e.g. `[columns.from]` for
   * rows by sender, `[columns.from, columns.to]` for every row an account takes part in).
   */
  static group(columns: TransferColumns, keys: readonly ArrayLike<number>[], include: (row: number) => boolean): AccountRows {
    const n = columns.length;
    let bound = 0;
    for (const key of keys) for (let i = 0; i < n; i++) if (key[i]! >= bound) bound = key[i]! + 1;
    const start = new Uint32Array(bound + 1);
    const taken = new Uint8Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!include(i)) continue;
      taken[i] = 1;
      for (const key of keys) start[key[i]! + 1]!++;
      total += keys.length;
    }
    const accounts: number[] = [];
    for (let a = 0; a < bound; a++) {
      if (start[a + 1]! > 0) accounts.push(a);
      start[a + 1]! += start[a]!;
    }
    const rows = new Uint32Array(total);
    const next = start.slice(0, bound);
    for (let i = 0; i < n; i++) if (taken[i] === 1) for (const key of keys) rows[next[key[i]!]!++] = i;
    return new AccountRows(accounts, rows, start);
  }

  /** Account `account`'s rows in row order (a view, not a copy); empty when it has none. */
  of(account: number): Uint32Array {
    if (!(account >= 0 && account + 1 < this.start.length)) return NONE;
    return this.rows.subarray(this.start[account]!, this.start[account + 1]!);
  }

  has(account: number): boolean {
    return this.of(account).length > 0;
  }

  /**
   * Where account `account`'s rows lie among every group's rows (positions `first` to `end`, end
   * excluded): positions index `rowAt` and a column made by `gather`. An inner loop over many
   * accounts' rows walks positions instead of making a view per account.
   */
  first(account: number): number {
    return account >= 0 && account + 1 < this.start.length ? this.start[account]! : 0;
  }

  end(account: number): number {
    return account >= 0 && account + 1 < this.start.length ? this.start[account + 1]! : 0;
  }

  rowAt(position: number): number {
    return this.rows[position]!;
  }

  /**
   * `values[row]` for every row, in the groups' order (positions): a loop over an account's rows
   * that reads one column reads it in one run of memory instead of at rows scattered over the case.
   */
  gather<C extends Uint32Array | Float64Array>(values: ArrayLike<number>, into: (length: number) => C): C {
    const gathered = into(this.rows.length);
    for (let i = 0; i < gathered.length; i++) gathered[i] = values[this.rows[i]!]!;
    return gathered;
  }
}
