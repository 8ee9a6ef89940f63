// The shapes the API answers (src/model/explore.ts and src/model/trace.ts), as the page reads them.
export interface AccountRef {
  rail: string;
  ident: string;
  holder?: string | null;
}
export interface TransferRow {
  id: number;
  rail: string;
  ref: string;
  time: string;
  asset: string;
  amount: string;
  from: AccountRef;
  to: AccountRef;
  description: string | null;
  source: { path: string; line: number };
}
export interface TransferPage {
  transfers: TransferRow[];
  next: string | null;
}
export interface AccountSummary {
  rail: string;
  ident: string;
  holder: string | null;
  bank: string | null;
  balances: { asset: string; opening: string; received: string; sent: string; balance: string; transfersIn: number; transfersOut: number }[];
  transfers: { in: number; out: number; counterparties: number; counterpartiesInLatest?: number };
  first: string | null;
  last: string | null;
  tags: { category: string; label: string; confidence: number; origin: string; sourcePath: string | null }[];
  cluster: { id: number; size: number } | null;
  findings: { typology: string; score: number; accounts: AccountRef[]; evidence: string[] }[];
  notes: { id: number; text: string; createdAt: string }[];
  assertions: CaseAssertion[];
}
export interface CaseAssertion {
  id: number;
  a: string;
  b: string;
  same: boolean;
  reason: string;
  createdAt: string;
}
export interface Flow {
  asset: string;
  count: number;
  amount: string;
  first: string;
  last: string;
}
export interface Neighbours {
  account: AccountRef;
  neighbours: { rail: string; ident: string; holder: string | null; categories: string[]; cluster: number | null; sent: Flow[]; received: Flow[] }[];
  omitted: number;
  conversions: { fiatTo: AccountRef; cryptoFrom: AccountRef; links: number }[];
}
export interface SearchResult {
  query: string;
  accounts: { rail: string; ident: string; holder: string | null; matched: string; label?: string }[];
  transfers: TransferRow[];
}
export interface ClusterDetails {
  id: number;
  accounts: AccountRef[];
  merges: { a: string; b: string; heuristic: string; confidence: number; reason: string; transfers: string[] }[];
  assertions: CaseAssertion[];
}
export interface TraceEdge {
  transfer: number;
  rail: string;
  ref: string;
  from: string;
  to: string;
  asset: string;
  amount: string;
  traced: string;
  hop: number;
  time: string;
  viaLink?: number;
  outcome: string;
}
export interface TraceHolding {
  rail: string;
  ident: string;
  asset: string;
  amount: string;
  category?: string;
  labels?: string[];
}
export interface TraceResult {
  rule: string;
  seeds: { id: string; ref: string; rail: string; asset: string; amount: string; from: string; to: string }[];
  endpoints: TraceHolding[];
  held: TraceHolding[];
  beyondHopLimit: TraceHolding[];
  belowThreshold: TraceHolding[];
  edges: TraceEdge[];
  totals: {
    byAsset: { asset: string; seeded: string; atEndpoints: string; held: string; linkedIn: string; convertedOut: string }[];
    edges: number;
    accountsReached: number;
    conserved: boolean;
  };
}
