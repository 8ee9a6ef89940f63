import type { AccountRef, Rail } from '../model/types.js';
import type { EndpointCategory } from '../model/trace.js';

/** A transfer as the tracer sees it: ids and integers only. */
export interface LedgerTransfer {
  id: number;
  rail: Rail;
  asset: string;
  decimals: number;
  amount: bigint;
  fromId: number;
  toId: number;
  time: number;
  block: number | null;
  logIndex: number | null;
}

/**
 * Trace order: (time, block, log index, id). Within one timestamp the node's log index orders
 * chain events when a source has it; otherwise the import order (a bank statement's line order,
 * an export's row order) decides, which is what docs/design.md's "(time, block, seq, id)" intends — seq
 * is a content fingerprint for explorer rows (see adapters/usdt/fingerprint.ts) and says nothing
 * about order.
 */
export function compareTraceOrder(a: LedgerTransfer, b: LedgerTransfer): number {
  return a.time - b.time || (a.block ?? -1) - (b.block ?? -1) || (a.logIndex ?? -1) - (b.logIndex ?? -1) || a.id - b.id;
}

export interface EndpointInfo {
  category: EndpointCategory;
  labels: string[];
}

/**
 * What the engine needs from a case, and nothing more: the store implements it over SQLite
 * (src/store/traceLedger.ts), tests implement it over arrays.
 */
export interface TraceLedger {
  /** The account's transfers in `asset`, in and out, strictly after `after` in trace order, at most `limit`. */
  transfersAfter(accountId: number, asset: string, after: LedgerTransfer, limit: number): LedgerTransfer[];
  /**
   * Balance the account's own history implies strictly before `before`: its opening balance and
   * transfers replayed in order, an outflow beyond the balance leaving it at zero (docs/design.md rules 3, 5).
   */
  balanceBefore(accountId: number, asset: string, before: LedgerTransfer): bigint;
  /**
   * The first read of an account the trace reaches, in one pass: its balance before `at`
   * (as balanceBefore) and up to `limit` of its transfers after `at` (as transfersAfter).
   */
  openAccount(accountId: number, asset: string, at: LedgerTransfer, limit: number): { balance: bigint; after: LedgerTransfer[] };
  /** The endpoint tag of an account (money stops there), if any. */
  endpointOf(accountId: number): EndpointInfo | undefined;
  /** Whether the account carries any tag (hubs are only untagged accounts). */
  isTagged(accountId: number): boolean;
  /** Number of distinct counterparties (for --stop-at-degree). */
  counterpartyCount(accountId: number): number;
  /** Crypto transfers an exchange/OTC return links to this fiat transfer. */
  linkedTransfers(fiatTransferId: number): LedgerTransfer[];
  account(accountId: number): AccountRef;
}
