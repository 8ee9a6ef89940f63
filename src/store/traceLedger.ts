import type { AccountRef, Rail, TagCategory } from '../model/types.js';
import { ENDPOINT_CATEGORIES, RAILS } from '../model/types.js';
import { compareTraceOrder, type EndpointInfo, type LedgerTransfer, type TraceLedger } from '../trace/ledger.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

interface TransferRow {
  id: bigint;
  rail: Rail;
  asset: string;
  decimals: bigint;
  amount: bigint | string;
  from_id: bigint;
  to_id: bigint;
  time: bigint;
  block: bigint | null;
  log_index: bigint | null;
}

const COLUMNS = 'id, rail, asset, decimals, amount, from_id, to_id, time, block, log_index';

/** 2^53 − 1: integers up to this are exact as JS numbers. */
const EXACT = '9007199254740991';
// The account read's columns (asset left out: it is the one asked for).
const RAW_COLUMNS = `id, CASE rail ${RAILS.map((rail, i) => `WHEN '${rail}' THEN ${i}`).join(' ')} END, decimals,
  CASE WHEN amount BETWEEN -${EXACT} AND ${EXACT} THEN amount ELSE CAST(amount AS TEXT) END, from_id, to_id, time, block, log_index`;
export type NumberRow = [number, number, number, number | string, number, number, number, number | null, number | null];
/**
 * Rows of one account read in one piece; an account with more (a hub) is read with a row iterator
 * instead. Written into the statement as a literal: bound as a parameter, the same LIMIT made the
 * statement take half as long again per row (docs/performance.md, "Trace against a bare read").
 */
const ACCOUNT_CAP = 4096;

function amountOfRow(row: NumberRow): bigint {
  const amount = row[3];
  return typeof amount === 'number' ? BigInt(amount) : amountFromDb(amount);
}

/** compareTraceOrder over two rows of the account read (time, block, log index, id; a missing block or log index as −1). */
export function compareRowOrder(a: NumberRow, b: NumberRow): number {
  return a[6] - b[6] || (a[7] ?? -1) - (b[7] ?? -1) || (a[8] ?? -1) - (b[8] ?? -1) || a[0] - b[0];
}

/** compareTraceOrder of a row of the account read against a transfer. */
export function compareRowTo(row: NumberRow, transfer: LedgerTransfer): number {
  return row[6] - transfer.time || (row[7] ?? -1) - (transfer.block ?? -1) || (row[8] ?? -1) - (transfer.logIndex ?? -1) || row[0] - transfer.id;
}

function transferFromNumbers(row: NumberRow, asset: string): LedgerTransfer {
  const rail = RAILS[row[1]];
  if (rail === undefined) throw new Error(`transfer ${row[0]} has a rail hoptrace does not know`);
  return {
    id: row[0],
    rail,
    asset,
    decimals: row[2],
    amount: amountOfRow(row),
    fromId: row[4],
    toId: row[5],
    time: row[6],
    block: row[7],
    logIndex: row[8],
  };
}
// Trace order as a row value (src/trace/ledger.ts: compareTraceOrder).
const ORDER_COLUMNS = 'time, COALESCE(block, -1), COALESCE(log_index, -1), id';
const ORDER_KEY = `(${ORDER_COLUMNS})`;

export function ledgerTransferFromRow(row: TransferRow): LedgerTransfer {
  return {
    id: toNumber(row.id),
    rail: row.rail,
    asset: row.asset,
    decimals: toNumber(row.decimals),
    amount: amountFromDb(row.amount),
    fromId: toNumber(row.from_id),
    toId: toNumber(row.to_id),
    time: toNumber(row.time),
    block: row.block === null ? null : toNumber(row.block),
    logIndex: row.log_index === null ? null : toNumber(row.log_index),
  };
}

/** Endpoint categories in the order a report names an account that carries several. */
const ENDPOINT_PRIORITY: readonly TagCategory[] = ['sanctioned', 'guarantee_market', 'mixer', 'otc', 'payment_processor', 'exchange', 'gambling', 'bridge'];

/** The tracer's view of a case file (src/trace/ledger.ts), over the indexes the schema keeps. */
export class SqliteTraceLedger implements TraceLedger {
  private readonly pageStatement;
  private readonly historyStatement;
  private readonly accountStatement2;
  private readonly accountRaw;
  private readonly openingStatement;
  private readonly counterparties;
  private readonly links;
  private readonly accountStatement;
  private readonly accountsStatement;
  private readonly transferStatement;

  /** Endpoint tags, tagged accounts and linked fiat transfers, read once: every hop asks about them. */
  private readonly endpointByAccount = new Map<number, EndpointInfo>();
  private readonly taggedAccounts = new Set<number>();
  private readonly linkedFiat = new Set<number>();
  /** Accounts with an opening balance (bank statements give them): only these are asked for one. */
  private readonly openingAccounts = new Set<number>();
  private readonly accountCache = new Map<number, AccountRef>();

  constructor(db: Db) {
    // The trace reads tens of thousands of rows scattered over the transfers table: mapped into
    // memory, a page is read where it lies instead of copied by a system call into SQLite's page
    // cache (docs/performance.md, "Trace against a bare read"). SQLite caps the map at its
    // compiled-in maximum (2 GB); pages beyond it are read as before.
    db.pragma('mmap_size = 2147418112');
    const after = `time >= @time AND ${ORDER_KEY} > (@time, @block, @logIndex, @id)`;
    this.pageStatement = db.prepare(
      `SELECT ${COLUMNS} FROM (
         SELECT ${COLUMNS} FROM transfers WHERE from_id = @account AND asset = @asset AND ${after}
         UNION ALL
         SELECT ${COLUMNS} FROM transfers WHERE to_id = @account AND from_id <> @account AND asset = @asset AND ${after}
       ) ORDER BY ${ORDER_COLUMNS} LIMIT @limit`,
    );
    // Everything of one account in one asset, in order: the history before the trace reaches it is
    // replayed (docs/design.md rule 3), what follows is the first page of its cursor.
    this.accountStatement2 = db.prepare(
      `SELECT ${COLUMNS}, incoming FROM (
         SELECT ${COLUMNS}, 1 AS incoming FROM transfers WHERE to_id = @account AND from_id <> @account AND asset = @asset
         UNION ALL
         SELECT ${COLUMNS}, CASE WHEN to_id = @account THEN 2 ELSE 0 END AS incoming FROM transfers WHERE from_id = @account AND asset = @asset
       ) ORDER BY ${ORDER_COLUMNS} LIMIT @cap`,
    );
    // The same unsorted, as bare arrays of plain numbers, in one statement (two index searches
    // under UNION ALL), sorted in trace order in JS. Each row costs a table lookup, and turning
    // its values into JS values cost as much again: the asset is the one asked for, so it is not
    // read; the rail comes as its index in RAILS, not as a string; the integers come as numbers
    // (ids, times, blocks and decimals are far below 2^53), and an amount as a number only when
    // it is exact as one, else as its decimal text.
    this.accountRaw = db
      .prepare(
        `SELECT ${RAW_COLUMNS} FROM transfers WHERE to_id = ? AND from_id <> ? AND asset = ?
       UNION ALL
       SELECT ${RAW_COLUMNS} FROM transfers WHERE from_id = ? AND asset = ? LIMIT ${ACCOUNT_CAP}`,
      )
      .raw()
      .safeIntegers(false);
    // The history before the account first receives traced money, in order, replayed (docs/design.md rule 3).
    this.historyStatement = db.prepare(
      `SELECT amount, incoming FROM (
         SELECT ${COLUMNS}, 1 AS incoming FROM transfers WHERE to_id = @account AND from_id <> @account AND asset = @asset AND time <= @time AND ${ORDER_KEY} < (@time, @block, @logIndex, @id)
         UNION ALL
         SELECT ${COLUMNS}, CASE WHEN to_id = @account THEN 2 ELSE 0 END AS incoming FROM transfers WHERE from_id = @account AND asset = @asset AND time <= @time AND ${ORDER_KEY} < (@time, @block, @logIndex, @id)
       ) ORDER BY ${ORDER_COLUMNS}`,
    );
    // Summed here, not by SQL: SUM reads an amount past 64 bits (stored as 0x… text, sourceWriter.ts) as 0.
    this.openingStatement = db.prepare('SELECT amount FROM opening_balances WHERE account_id = ? AND asset = ? AND time <= ?').pluck();
    const placeholders = ENDPOINT_CATEGORIES.map(() => '?').join(', ');
    // A named parameter: it appears twice, and one value binds both.
    this.counterparties = db
      .prepare('SELECT COUNT(*) FROM (SELECT to_id FROM transfers WHERE from_id = @account UNION SELECT from_id FROM transfers WHERE to_id = @account)')
      .pluck();
    this.links = db.prepare(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => 't.' + c)
        .join(', ')} FROM links l JOIN transfers t ON t.id = l.crypto_id WHERE l.fiat_id = ? ORDER BY t.id`,
    );
    this.accountStatement = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?');
    this.accountsStatement = db.prepare('SELECT id, rail, ident FROM accounts WHERE id IN (SELECT value FROM json_each(?))');
    const endpointRows = db
      .prepare(`SELECT DISTINCT account_id, category, label FROM tags WHERE category IN (${placeholders}) ORDER BY account_id, category, label`)
      .all(...ENDPOINT_CATEGORIES) as { account_id: bigint; category: TagCategory; label: string }[];
    const grouped = new Map<number, { category: TagCategory; label: string }[]>();
    for (const row of endpointRows) {
      const id = toNumber(row.account_id);
      grouped.set(id, [...(grouped.get(id) ?? []), { category: row.category, label: row.label }]);
    }
    for (const [id, rows] of grouped) this.endpointByAccount.set(id, endpointInfo(rows));
    for (const id of db.prepare('SELECT DISTINCT account_id FROM tags').pluck().all()) this.taggedAccounts.add(toNumber(id));
    for (const id of db.prepare('SELECT DISTINCT fiat_id FROM links').pluck().all()) this.linkedFiat.add(toNumber(id));
    for (const id of db.prepare('SELECT DISTINCT account_id FROM opening_balances').pluck().all()) this.openingAccounts.add(toNumber(id));
    this.transferStatement = db.prepare(`SELECT ${COLUMNS} FROM transfers WHERE id = ?`);
  }

  transfersAfter(accountId: number, asset: string, after: LedgerTransfer, limit: number): LedgerTransfer[] {
    const rows = this.pageStatement.all({
      account: accountId,
      asset,
      time: after.time,
      block: after.block ?? -1,
      logIndex: after.logIndex ?? -1,
      id: after.id,
      limit,
    }) as TransferRow[];
    return rows.map(ledgerTransferFromRow);
  }

  /**
   * Replays the history untraced: an outflow beyond the balance (history missing from the case)
   * leaves it at zero, as the engine's pools do, rather than letting it go negative; a transfer to
   * itself leaves and comes back, so afterwards the account holds at least that amount.
   */
  balanceBefore(accountId: number, asset: string, before: LedgerTransfer): bigint {
    let balance = this.openingBalance(accountId, asset, before.time);
    const rows = this.historyStatement.iterate({
      account: accountId,
      asset,
      time: before.time,
      block: before.block ?? -1,
      logIndex: before.logIndex ?? -1,
      id: before.id,
    }) as Iterable<{ amount: bigint | string; incoming: bigint }>;
    for (const row of rows) {
      const amount = amountFromDb(row.amount);
      if (row.incoming === 1n) balance += amount;
      else if (row.incoming === 2n)
        balance = amount > balance ? amount : balance; // to itself: out, then back in
      else balance = amount > balance ? 0n : balance - amount;
    }
    return balance;
  }

  openAccount(accountId: number, asset: string, at: LedgerTransfer, limit: number): { balance: bigint; after: LedgerTransfer[] } {
    let balance = this.openingBalance(accountId, asset, at.time);
    const after: LedgerTransfer[] = [];
    const replay = (transfer: LedgerTransfer, incoming: 0 | 1 | 2): boolean => {
      if (compareTraceOrder(transfer, at) < 0) {
        if (incoming === 1) balance += transfer.amount;
        else if (incoming === 2) balance = transfer.amount > balance ? transfer.amount : balance;
        else balance = transfer.amount > balance ? 0n : balance - transfer.amount;
      } else if (transfer.id !== at.id) {
        after.push(transfer);
        if (after.length >= limit) return false;
      }
      return true;
    };
    // Most accounts have a few dozen transfers: one unsorted read of bare arrays is far cheaper
    // than a sorted union or a row iterator. A hub that fills the cap is read again with the
    // iterator, which never holds its history in memory.
    const raw = this.accountRaw.all(accountId, accountId, asset, accountId, asset) as NumberRow[];
    if (raw.length < ACCOUNT_CAP) {
      raw.sort(compareRowOrder);
      // The rows before the arrival are only replayed: no transfer is built for them.
      let i = 0;
      for (; i < raw.length && compareRowTo(raw[i]!, at) < 0; i++) {
        const row = raw[i]!;
        const amount = amountOfRow(row);
        if (row[5] !== accountId) balance = amount > balance ? 0n : balance - amount;
        else if (row[4] !== accountId) balance += amount;
        else if (amount > balance) balance = amount; // to itself: out, then back in
      }
      for (; i < raw.length && after.length < limit; i++) if (raw[i]![0] !== at.id) after.push(transferFromNumbers(raw[i]!, asset));
      return { balance, after };
    }
    for (const row of this.accountStatement2.iterate({ account: accountId, asset, cap: -1 }) as Iterable<TransferRow & { incoming: bigint }>) {
      if (!replay(ledgerTransferFromRow(row), Number(row.incoming) as 0 | 1 | 2)) break;
    }
    return { balance, after };
  }

  /** The account's opening balances in `asset` dated at or before `time`; a statement per account opened cost 15–25 ms of a 10M-transfer trace. */
  private openingBalance(accountId: number, asset: string, time: number): bigint {
    if (!this.openingAccounts.has(accountId)) return 0n;
    let sum = 0n;
    for (const amount of this.openingStatement.all(accountId, asset, time)) sum += amountFromDb(amount);
    return sum;
  }

  endpointOf(accountId: number): EndpointInfo | undefined {
    return this.endpointByAccount.get(accountId);
  }

  isTagged(accountId: number): boolean {
    return this.taggedAccounts.has(accountId);
  }

  counterpartyCount(accountId: number): number {
    return toNumber(this.counterparties.get({ account: accountId }));
  }

  linkedTransfers(fiatTransferId: number): LedgerTransfer[] {
    if (!this.linkedFiat.has(fiatTransferId)) return [];
    return (this.links.all(fiatTransferId) as TransferRow[]).map(ledgerTransferFromRow);
  }

  account(accountId: number): AccountRef {
    // A result names an account once per holding and per draw: read each once.
    const known = this.accountCache.get(accountId);
    if (known) return known;
    const row = this.accountStatement.get(accountId) as AccountRef | undefined;
    if (!row) throw new Error(`case file has no account ${accountId}`);
    this.accountCache.set(accountId, row);
    return row;
  }

  /**
   * Reads the accounts a result will name in one statement per 20,000, in id order, into the cache
   * `account` answers from: one lookup each cost 6–8 µs in call overhead alone.
   */
  preloadAccounts(accountIds: Iterable<number>): void {
    const wanted = [...new Set(accountIds)].filter((id) => !this.accountCache.has(id)).sort((a, b) => a - b);
    for (let start = 0; start < wanted.length; start += 20_000) {
      for (const row of this.accountsStatement.all(JSON.stringify(wanted.slice(start, start + 20_000))) as (AccountRef & { id: bigint })[]) {
        this.accountCache.set(toNumber(row.id), { rail: row.rail, ident: row.ident });
      }
    }
  }

  transfer(id: number): LedgerTransfer | undefined {
    const row = this.transferStatement.get(id) as TransferRow | undefined;
    return row ? ledgerTransferFromRow(row) : undefined;
  }
}

function endpointInfo(rows: { category: TagCategory; label: string }[]): EndpointInfo {
  const categories = new Set(rows.map((r) => r.category));
  const category = ENDPOINT_PRIORITY.find((c) => categories.has(c)) ?? rows[0]!.category;
  return { category, labels: [...new Set(rows.map((r) => r.label))].sort() };
}

/** The assets of the case and their decimals (for thresholds in each asset's own units). */
export function selectCaseAssets(db: Db): { asset: string; decimals: number }[] {
  return (
    db.prepare('SELECT asset, MAX(decimals) AS decimals FROM transfers GROUP BY asset ORDER BY asset').all() as { asset: string; decimals: bigint }[]
  ).map((r) => ({ asset: r.asset, decimals: toNumber(r.decimals) }));
}
