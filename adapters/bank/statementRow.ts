import type { LocalDate } from '../../src/model/localDate.js';

/**
 * One booked line of a bank statement, as every statement reader (profile CSV, camt, MT940)
 * yields it: the statement's own account, signed amount, counterparty as printed. Later stages
 * (src/ingest/bankPipeline.ts) order the lines, check the running balance and turn them into
 * transfers.
 */
export interface StatementRow {
  line: number;
  /** The statement's own account (ident, validated). */
  account: string;
  accountHolder?: string;
  /** The bank that keeps the statement's account (for accounts.bank). */
  bank?: string;
  date: LocalDate;
  /** Minor units: positive = money in, negative = money out. */
  amount: bigint;
  currency: string;
  decimals: number;
  /** A charge the bank took besides the amount (Revolut's `Fee`), positive. */
  fee?: bigint;
  /** Counterparty ident (IBAN, bank-code:number, acct:number), when the statement prints a number. */
  counterpartyAccount?: string;
  counterpartyName?: string;
  /** The bank's reference for this line, when it prints one. */
  reference?: string;
  description?: string;
  /** Running balance after this line (and its fee), when the statement has one. */
  balance?: bigint;
  /** The row's content, for the deterministic reference of rows without one (CSV rows with a reference leave it empty). */
  fingerprint: string;
}

/**
 * Text as a line's fingerprint takes it: in Unicode's composed form (NFC). A statement saved again
 * by a tool that writes text decomposed ("o" and U+0308 for "ö": macOS file tools, some exports) is
 * the same statement, and each of its lines must get the reference the first copy's did
 * (docs/bank-statements.md, "References"). ASCII text, which is most of it, is left as it is.
 */
export function fingerprintText(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: every code point past ASCII is the point
const NON_ASCII = /[^\u0000-\u007f]/;

/** A statement-level balance (MT940 :60F:/:62F:, camt OPBD/CLBD): checked against the lines between them. */
export interface StatementBalance {
  kind: 'opening' | 'closing';
  line: number;
  account: string;
  currency: string;
  decimals: number;
  date: LocalDate;
  amount: bigint;
}

export type StatementItem =
  | { kind: 'row'; row: StatementRow }
  | { kind: 'balance'; balance: StatementBalance }
  | { kind: 'reject'; line: number; reason: string }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'note'; message: string };

export interface StatementReadContext {
  path: string;
  /** The statement's own account from `--account` (already validated), when given. */
  account?: string;
  /** XLSX statements: the sheet to read (name or 1-based index), from --sheet. */
  sheet?: string;
  onBytes?: (bytesRead: number) => void;
}

// References banks print when there is none: they select nothing and must not key a transfer.
const PLACEHOLDER_REFERENCES = new Set(['', '/', '-', '--', 'NONREF', 'NOTPROVIDED', 'NONE', 'N/A', 'NA', 'NULL']);

/** The longest of PLACEHOLDER_REFERENCES: a longer reference is not compared with them. */
const PLACEHOLDER_LENGTH = Math.max(...[...PLACEHOLDER_REFERENCES].map((r) => r.length));

export function meaningfulReference(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = /[\t\r\n]/.test(text) ? text.replace(/[\t\r\n]+/g, ' ').trim() : text.trim();
  if ((value.length <= PLACEHOLDER_LENGTH && PLACEHOLDER_REFERENCES.has(value.toUpperCase())) || /^0+$/.test(value)) return undefined;
  return value;
}
