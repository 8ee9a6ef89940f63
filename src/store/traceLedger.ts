import type { AccountRef, Rail, TagCategory } from '../model/types.js';
import { ENDPOINT_CATEGORIES } from '../model/types.js';
import type { EndpointInfo, LedgerTransfer, TraceLedger } from '../trace/ledger.js';
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
  private readonly openingStatement;
  private readonly endpointTags;
  private readonly anyTag;
  private readonly counterparties;
  private readonly links;
  private readonly accountStatement;
  private readonly transferStatement;

  constructor(db: Db) {
    const after = `time >= @time AND ${ORDER_KEY} > (@time, @block, @logIndex, @id)`;
    this.pageStatement = db.prepare(
      `SELECT ${COLUMNS} FROM (
         SELECT ${COLUMNS} FROM transfers WHERE from_id = @account AND asset = @asset AND ${after}
         UNION ALL
         SELECT ${COLUMNS} FROM transfers WHERE to_id = @account AND from_id <> @account AND asset = @asset AND ${after}
       ) ORDER BY ${ORDER_COLUMNS} LIMIT @limit`,
    );
    // The history before the account first receives traced money, in order, replayed (DESIGN rule 3).
    this.historyStatement = db.prepare(
      `SELECT amount, incoming FROM (
         SELECT ${COLUMNS}, 1 AS incoming FROM transfers WHERE to_id = @account AND from_id <> @account AND asset = @asset AND time <= @time AND ${ORDER_KEY} < (@time, @block, @logIndex, @id)
         UNION ALL
         SELECT ${COLUMNS}, CASE WHEN to_id = @account THEN 2 ELSE 0 END AS incoming FROM transfers WHERE from_id = @account AND asset = @asset AND time <= @time AND ${ORDER_KEY} < (@time, @block, @logIndex, @id)
       ) ORDER BY ${ORDER_COLUMNS}`,
    );
    this.openingStatement = db.prepare('SELECT COALESCE(SUM(amount), 0) FROM opening_balances WHERE account_id = ? AND asset = ? AND time <= ?').pluck();
    const placeholders = ENDPOINT_CATEGORIES.map(() => '?').join(', ');
    this.endpointTags = db.prepare(`SELECT DISTINCT category, label FROM tags WHERE account_id = ? AND category IN (${placeholders}) ORDER BY category, label`);
    this.anyTag = db.prepare('SELECT 1 FROM tags WHERE account_id = ? LIMIT 1').pluck();
    this.counterparties = db.prepare('SELECT COUNT(*) FROM (SELECT to_id FROM transfers WHERE from_id = ?1 UNION SELECT from_id FROM transfers WHERE to_id = ?1)').pluck();
    this.links = db.prepare(`SELECT ${COLUMNS.split(', ').map((c) => 't.' + c).join(', ')} FROM links l JOIN transfers t ON t.id = l.crypto_id WHERE l.fiat_id = ? ORDER BY t.id`);
    this.accountStatement = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?');
    this.transferStatement = db.prepare(`SELECT ${COLUMNS} FROM transfers WHERE id = ?`);
  }

  transfersAfter(accountId: number, asset: string, after: LedgerTransfer, limit: number): LedgerTransfer[] {
    const rows = this.pageStatement.all({ account: accountId, asset, time: after.time, block: after.block ?? -1, logIndex: after.logIndex ?? -1, id: after.id, limit }) as TransferRow[];
    return rows.map(ledgerTransferFromRow);
  }

  /**
   * Replays the history untraced: an outflow beyond the balance (history missing from the case)
   * leaves it at zero, as the engine's pools do, rather than letting it go negative; a transfer to
   * itself leaves and comes back, so afterwards the account holds at least that amount.
   */
  balanceBefore(accountId: number, asset: string, before: LedgerTransfer): bigint {
    let balance = amountFromDb(this.openingStatement.get(accountId, asset, before.time));
    const rows = this.historyStatement.iterate({ account: accountId, asset, time: before.time, block: before.block ?? -1, logIndex: before.logIndex ?? -1, id: before.id }) as Iterable<{ amount: bigint | string; incoming: bigint }>;
    for (const row of rows) {
      const amount = amountFromDb(row.amount);
      if (row.incoming === 1n) balance += amount;
      else if (row.incoming === 2n) balance = amount > balance ? amount : balance; // to itself: out, then back in
      else balance = amount > balance ? 0n : balance - amount;
    }
    return balance;
  }

  endpointOf(accountId: number): EndpointInfo | undefined {
    const rows = this.endpointTags.all(accountId, ...ENDPOINT_CATEGORIES) as { category: TagCategory; label: string }[];
    if (rows.length === 0) return undefined;
    const categories = new Set(rows.map((r) => r.category));
    const category = ENDPOINT_PRIORITY.find((c) => categories.has(c)) ?? rows[0]!.category;
    return { category, labels: [...new Set(rows.map((r) => r.label))].sort() };
  }

  isTagged(accountId: number): boolean {
    return this.anyTag.get(accountId) !== undefined;
  }

  counterpartyCount(accountId: number): number {
    return toNumber(this.counterparties.get(accountId));
  }

  linkedTransfers(fiatTransferId: number): LedgerTransfer[] {
    return (this.links.all(fiatTransferId) as TransferRow[]).map(ledgerTransferFromRow);
  }

  account(accountId: number): AccountRef {
    const row = this.accountStatement.get(accountId) as AccountRef | undefined;
    if (!row) throw new Error(`case file has no account ${accountId}`);
    return row;
  }

  transfer(id: number): LedgerTransfer | undefined {
    const row = this.transferStatement.get(id) as TransferRow | undefined;
    return row ? ledgerTransferFromRow(row) : undefined;
  }
}
