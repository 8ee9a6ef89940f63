/**
 * What the case file knows of the accounts and sources a report names (docs/reports.md, "Names"):
 * holder names from the statements and tag labels, and what each source file stored. A trace
 * result alone carries identifiers; a report made with its case file names people and firms.
 */
export interface AccountName {
  /** The holder name a bank statement gave for the account. */
  holder: string | null;
  /** Tag labels, in (category, label) order. */
  labels: string[];
  categories: string[];
  /** Investigators' notes on the account (the workbench with --write), then its cluster assertions, each in the order written. */
  notes?: CaseAnnotation[];
}

/** An investigator's note or cluster assertion as a report shows it beside what it annotates. */
export interface CaseAnnotation {
  kind: 'note' | 'assertion';
  createdAt: string;
  text: string;
}

/** What one source file stored in the case: a tag file stores tags, a links file links. */
export interface SourceStored {
  transfers: number;
  /** Transfers this file showed again that another file had already stored (the other side's statement). */
  sightings: number;
  tags: number;
  links: number;
  openingBalances: number;
}

/** A deposit or withdrawal of an exchange's return that the chain data in the case could not match. */
export interface UnmatchedMovement {
  /** The customer account, `exchange:NAME:ACCOUNT` as the trace names accounts (`rail:ident`). */
  account: string;
  direction: 'deposit' | 'withdrawal';
  asset: string;
  /** Decimal strings in the asset's units. */
  amount: string;
  fee: string;
  network: string | null;
  txid: string | null;
  /** ISO 8601 UTC. */
  time: string;
  reason: string;
  source: { path: string; line: number };
}

export interface CaseNames {
  /** By "rail:ident". */
  accounts: Record<string, AccountName>;
  /** By "path\u0000sha256", as the trace result lists its sources. */
  sources: Record<string, SourceStored>;
  /** Investigators' notes on transfers, by transfer id, oldest first. */
  transferNotes?: Record<string, CaseAnnotation[]>;
  /** Rows of the exchange returns of the customer accounts named, not matched on chain, in time order per account. */
  unmatchedMovements: UnmatchedMovement[];
  /**
   * When the names were read from a later state of the trace's case than the trace (sources or
   * tags added since): that state's audit log head, and how many entries it is past the trace's.
   */
  readAt?: { logHead: string; laterEntries: number };
}

export const sourceKey = (path: string, sha256: string): string => `${path}\u0000${sha256}`;
