import type { Rail } from './types.js';

/**
 * What the workbench and the `account`, `transfers` and `search` commands answer (DESIGN, "Data
 * model"): an account as an investigator asks about it, transfers a page at a time, and the
 * hits of a free-text search. Amounts are decimal strings, times ISO 8601 UTC.
 */
export interface AccountBalance {
  asset: string;
  decimals: number;
  /** Opening balance from a bank statement, when one was read (else "0"). */
  opening: string;
  received: string;
  sent: string;
  /** opening + received − sent: what the case's own transfers leave on the account. */
  balance: string;
  transfersIn: number;
  transfersOut: number;
}

export interface AccountTag {
  category: string;
  label: string;
  confidence: number;
  origin: string;
  sourcePath: string | null;
  sourceSha256: string | null;
}

export interface AccountFinding {
  typology: string;
  score: number;
  accounts: { rail: Rail; ident: string }[];
  evidence: string[];
}

export interface CaseNote {
  id: number;
  target: 'account' | 'transfer';
  /** `RAIL:IDENT` for an account, the transfer id for a transfer. */
  ref: string;
  text: string;
  createdAt: string;
}

/** An investigator's assertion that two accounts are (or are never) one operator's. */
export interface CaseAssertion {
  id: number;
  /** `RAIL:IDENT`. */
  a: string;
  b: string;
  same: boolean;
  reason: string;
  createdAt: string;
}

export interface AccountSummary {
  rail: Rail;
  ident: string;
  holder: string | null;
  bank: string | null;
  balances: AccountBalance[];
  /**
   * `counterparties` are distinct; past COUNTERPARTY_WINDOW transfers either way they are counted
   * over the latest that many each way, and `counterpartiesInLatest` says so.
   */
  transfers: { in: number; out: number; counterparties: number; counterpartiesInLatest?: number };
  first: string | null;
  last: string | null;
  tags: AccountTag[];
  cluster: { id: number; size: number } | null;
  findings: AccountFinding[];
  notes: CaseNote[];
  /** Cluster assertions naming this account, oldest first. */
  assertions: CaseAssertion[];
}

export interface TransferRow {
  id: number;
  rail: Rail;
  ref: string;
  seq: number;
  time: string;
  asset: string;
  amount: string;
  from: { rail: Rail; ident: string; holder: string | null };
  to: { rail: Rail; ident: string; holder: string | null };
  description: string | null;
  source: { path: string; line: number };
}

export interface TransferPage {
  transfers: TransferRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  next: string | null;
}

export interface NeighbourFlow {
  asset: string;
  count: number;
  amount: string;
  /** The first and the last of these transfers (ISO 8601 UTC): the canvas's time filter reads them. */
  first: string;
  last: string;
}

export interface Neighbour {
  rail: Rail;
  ident: string;
  holder: string | null;
  categories: string[];
  cluster: number | null;
  /** What the account sent to this counterparty, per asset. */
  sent: NeighbourFlow[];
  received: NeighbourFlow[];
}

/** A conversion: a fiat payment into `fiatTo` answered by a crypto transfer from `cryptoFrom` (a link). */
export interface ConversionEdge {
  fiatTo: { rail: Rail; ident: string };
  cryptoFrom: { rail: Rail; ident: string };
  links: number;
}

export interface Neighbours {
  account: { rail: Rail; ident: string };
  neighbours: Neighbour[];
  /** Counterparties left out past the limit (the busiest are kept). */
  omitted: number;
  /** Present when the account has more transfers either way: counterparties were ranked over its latest that many each way. */
  rankedInLatest?: number;
  conversions: ConversionEdge[];
}

export interface SearchHit {
  rail: Rail;
  ident: string;
  holder: string | null;
  /** What matched: the ident, the holder's name, or a tag label (then `label`). */
  matched: 'ident' | 'holder' | 'tag';
  label?: string;
}

export interface SearchResult {
  query: string;
  accounts: SearchHit[];
  /** Transfers whose hash or bank reference is the query. */
  transfers: TransferRow[];
}

export interface ClusterDetails {
  id: number;
  accounts: { rail: Rail; ident: string; holder: string | null }[];
  merges: { a: string; b: string; heuristic: string; confidence: number; reason: string; transfers: string[] }[];
  /** Investigators' assertions naming a member: applied by the next hoptrace cluster. */
  assertions: CaseAssertion[];
}

/** One month of an account's history in one asset: what came in, went out, and the balance at its end. */
export interface BalanceMonth {
  asset: string;
  /** `YYYY-MM`, UTC. */
  month: string;
  received: string;
  sent: string;
  /** Opening balance + everything received − everything sent up to the end of the month. */
  balance: string;
}
