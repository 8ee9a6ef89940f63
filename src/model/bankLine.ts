import type { TransferRecord } from './types.js';

/**
 * A statement line as a transfer: money out goes from the statement's account to the
 * counterparty, money in the other way. Bank adapters yield it; the store keeps it (the record,
 * and which statement account saw it on which line). Besides the record: which side is the
 * statement's own account (for the two-sided merge, src/model/bankSides.ts) and the holder names
 * it printed.
 */
export interface BankLine {
  record: TransferRecord;
  own: string;
  counterparty: string;
  direction: 'in' | 'out';
  ownHolder?: string;
  ownBank?: string;
  counterpartyHolder?: string;
  /**
   * False when the bank printed no reference and hoptrace made one (`deterministicReference` in
   * adapters/bank/bankLine.ts): such a reference cannot collide with another account's.
   */
  bankReference: boolean;
  /**
   * For a line without a bank reference: what names it (`contentOf`) and its occurrence among
   * identical lines of its day in this file. The ingest renumbers the occurrence against the case
   * (src/ingest/bankOccurrences.ts) and makes the reference again with `referenceFor`.
   */
  content?: { prefix: string; occurrence: number };
}
