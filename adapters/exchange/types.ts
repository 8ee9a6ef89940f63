import type { ExchangeMovement } from '../../src/model/exchange.js';

/** What a reader of one exchange layout yields: a movement, or a row it had to reject or skip. */
export type ExchangeItem =
  | { kind: 'movement'; record: ExchangeMovement }
  | { kind: 'reject'; line: number; reason: string }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'note'; message: string };

/** What the user says about a file that the file itself may not (Binance's histories name no account). */
export interface ExchangeReadOptions {
  exchange?: string;
  account?: string;
  direction?: 'deposit' | 'withdrawal';
  /** XLSX: the sheet to read, by name or 1-based index (default: the first with the layout's header). */
  sheet?: string;
}

/** The cells of one data row by header name (trimmed, BOMs removed), with its line. */
export interface ExchangeRow {
  line: number;
  /** The header's cells (lower case, trimmed): which columns this file has. */
  columns: readonly string[];
  cell(name: string): string;
}

/**
 * One export layout: how to recognise its header and turn a row into a movement. A row that is
 * not a deposit or withdrawal (a trade, staking) returns `skip` with the reason.
 */
export interface ExchangeLayout {
  readonly name: string;
  readonly exchange: string | undefined;
  readonly description: string;
  /** The CSV delimiter (default `,`; OKX's law-enforcement returns use `;`). */
  readonly delimiter?: string;
  /** True when the header cells (lower case, trimmed) are this layout's. */
  matches(header: readonly string[]): boolean;
  /** The account id a preamble states, if any. */
  accountFromPreamble?(head: string): string | undefined;
  row(row: ExchangeRow, options: ExchangeReadOptions): RowResult;
}

export type RowResult =
  | {
      kind: 'movement';
      exchange?: string;
      account?: string;
      direction: 'deposit' | 'withdrawal';
      asset: string;
      network?: string;
      amount: string;
      fee: string;
      address?: string;
      txid?: string;
      /** A transfer between two accounts on the exchange's books (no chain transaction): the counterparty as the return names it. */
      internal?: string;
      time: string;
      status: 'completed' | 'other';
      statusText?: string;
    }
  | { kind: 'skip'; reason: string };
