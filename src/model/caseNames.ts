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

export interface CaseNames {
  /** By "rail:ident". */
  accounts: Record<string, AccountName>;
  /** By "path\u0000sha256", as the trace result lists its sources. */
  sources: Record<string, SourceStored>;
  /** Investigators' notes on transfers, by transfer id, oldest first. */
  transferNotes?: Record<string, CaseAnnotation[]>;
}

export const sourceKey = (path: string, sha256: string): string => `${path}\u0000${sha256}`;
