import { formatAmount } from '../model/amount.js';
import { canonicalEvmAddress, canonicalTronAddress } from '../model/address.js';
import type { ExchangeMovement } from '../model/exchange.js';
import { USDT_ETHEREUM, USDT_TRON } from '../../adapters/usdt/tokens.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

/** How far apart the exchange's booking and the chain transfer may be when no tx hash ties them. */
export const MATCH_WINDOW_MS = 72 * 3_600_000;

export type ChainMatch = { transferId: number; by: 'tx hash' | 'address and amount' } | { transferId: undefined; reason: string };

interface Candidate {
  id: bigint;
  amount: unknown;
  time: bigint;
  to_ident: string;
}

/** The canonical form of an address on a rail, or undefined when it is not one. */
function canonicalAddress(rail: 'ethereum' | 'tron', address: string): string | undefined {
  try {
    return rail === 'ethereum' ? canonicalEvmAddress(address.trim()) : canonicalTronAddress(address.trim());
  } catch {
    return undefined;
  }
}

/**
 * The on-chain USDT transfer a deposit or withdrawal row is: by tx hash (checked against the
 * address and amount the row gives), else by address and amount within MATCH_WINDOW_MS (the
 * chain transfer before the credit for a deposit, after the debit for a withdrawal), when exactly
 * one transfer fits. Otherwise the reason none was matched.
 */
export function matchChainTransfer(db: Db, rail: 'ethereum' | 'tron', movement: ExchangeMovement, txid: string | undefined): ChainMatch {
  const token = rail === 'ethereum' ? USDT_ETHEREUM : USDT_TRON;
  const address = movement.address === undefined ? undefined : canonicalAddress(rail, movement.address);
  if (movement.address !== undefined && address === undefined)
    return { transferId: undefined, reason: `address ${JSON.stringify(movement.address)} is not a ${rail} address` };
  const amountText = formatAmount(movement.amount, movement.decimals);
  if (txid !== undefined) {
    const rows = db
      .prepare(
        `SELECT t.id, t.amount, t.time, a.ident AS to_ident FROM transfers t JOIN accounts a ON a.id = t.to_id WHERE t.rail = ? AND t.ref = ? AND t.token = ? ORDER BY t.id`,
      )
      .all(rail, txid, token) as Candidate[];
    if (rows.length === 0) return { transferId: undefined, reason: `no USDT transfer of tx ${txid} in the case (ingest the chain data before the return)` };
    const fits = rows.filter((r) => amountFromDb(r.amount) === movement.amount && (address === undefined || r.to_ident === address));
    if (fits.length === 1) return { transferId: toNumber(fits[0]!.id), by: 'tx hash' };
    if (fits.length > 1) return { transferId: undefined, reason: `tx ${txid} has ${fits.length} transfers of ${amountText} USDT to that address` };
    const seen = rows.map((r) => `${formatAmount(amountFromDb(r.amount), movement.decimals)} to ${r.to_ident}`).join('; ');
    return { transferId: undefined, reason: `tx ${txid} moves ${seen}, not ${amountText} USDT${address ? ` to ${address}` : ''}` };
  }
  if (address === undefined) return { transferId: undefined, reason: 'the row has no tx hash or address to match on chain' };
  const [from, to] = movement.direction === 'deposit' ? [movement.time - MATCH_WINDOW_MS, movement.time] : [movement.time, movement.time + MATCH_WINDOW_MS];
  const rows = db
    .prepare(
      `SELECT t.id, t.amount, t.time, a.ident AS to_ident FROM transfers t JOIN accounts a ON a.id = t.to_id
       WHERE a.rail = ? AND a.ident = ? AND t.token = ? AND t.time BETWEEN ? AND ? ORDER BY t.time, t.id`,
    )
    .all(rail, address, token, from, to) as Candidate[];
  const fits = rows.filter((r) => amountFromDb(r.amount) === movement.amount);
  if (fits.length === 1) return { transferId: toNumber(fits[0]!.id), by: 'address and amount' };
  if (fits.length > 1)
    return { transferId: undefined, reason: `${fits.length} USDT transfers of ${amountText} to ${address} within 72 hours: ambiguous without a tx hash` };
  return {
    transferId: undefined,
    reason: `no USDT transfer of ${amountText} to ${address} within 72 hours ${movement.direction === 'deposit' ? 'before the credit' : 'after the debit'}`,
  };
}

export function selectTransferIdByRef(db: Db, rail: string, ref: string, seq: number): number {
  return toNumber(db.prepare('SELECT id FROM transfers WHERE rail = ? AND ref = ? AND seq = ?').pluck().get(rail, ref, seq));
}

export interface StoredMovement {
  sourceId: number;
  line: number;
  bookTransferId: number;
  chainTransferId: number | undefined;
  matchedBy: string | undefined;
  unmatchedReason: string | undefined;
}

export function insertMovement(db: Db, movement: ExchangeMovement, stored: StoredMovement): void {
  db.prepare(
    `INSERT OR IGNORE INTO exchange_movements (source_id, line, exchange, account, direction, asset, network, amount, fee, decimals, address, txid, time, book_transfer_id, chain_transfer_id, matched_by, unmatched_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    stored.sourceId,
    stored.line,
    movement.exchange,
    movement.account,
    movement.direction,
    movement.asset,
    movement.network ?? null,
    movement.amount,
    movement.fee,
    movement.decimals,
    movement.address ?? null,
    movement.txid ?? null,
    movement.time,
    stored.bookTransferId,
    stored.chainTransferId ?? null,
    stored.matchedBy ?? null,
    stored.unmatchedReason ?? null,
  );
}

export interface MovementRow {
  exchange: string;
  account: string;
  direction: 'deposit' | 'withdrawal';
  asset: string;
  network: string | null;
  amount: string;
  fee: string;
  address: string | null;
  txid: string | null;
  time: string;
  source: { path: string; line: number };
  chainTransfer: number | null;
  matchedBy: string | null;
  unmatchedReason: string | null;
}

/** Every movement of the case's exchange returns, matched or not, in time order. */
export function selectMovements(db: Db): MovementRow[] {
  const rows = db
    .prepare(`SELECT m.*, s.path FROM exchange_movements m JOIN sources s ON s.id = m.source_id ORDER BY m.exchange, m.account, m.time, m.source_id, m.line`)
    .all() as Record<string, unknown>[];
  return rows.map((r) => ({
    exchange: r['exchange'] as string,
    account: r['account'] as string,
    direction: r['direction'] as 'deposit' | 'withdrawal',
    asset: r['asset'] as string,
    network: (r['network'] as string | null) ?? null,
    amount: formatAmount(amountFromDb(r['amount']), toNumber(r['decimals'])),
    fee: formatAmount(amountFromDb(r['fee']), toNumber(r['decimals'])),
    address: (r['address'] as string | null) ?? null,
    txid: (r['txid'] as string | null) ?? null,
    time: new Date(toNumber(r['time'])).toISOString(),
    source: { path: r['path'] as string, line: toNumber(r['line']) },
    chainTransfer: r['chain_transfer_id'] === null ? null : toNumber(r['chain_transfer_id']),
    matchedBy: (r['matched_by'] as string | null) ?? null,
    unmatchedReason: (r['unmatched_reason'] as string | null) ?? null,
  }));
}
