/**
 * The graph every format writes: accounts (or clusters) as nodes, transfers as edges, and one
 * conversion edge per link (fiat payment's recipient → crypto transfer's sender), so the bank side
 * and the chain side of a case are one connected graph (docs/exports.md, "Conversion edges").
 */
export interface GraphNode {
  key: string;
  rail: string;
  ident: string;
  label: string;
  labels: string[];
  categories: string[];
  cluster: number | null;
  /** Accounts in a cluster node (cluster level); 1 for an account. */
  size: number;
  /** Traced money received, per asset, as decimal strings (trace exports). */
  tracedIn: Record<string, string>;
}

export interface GraphEdge {
  key: string;
  source: string;
  target: string;
  ref: string;
  seq: number;
  time: string;
  asset: string;
  amount: string;
  traced: string | null;
  hop: number | null;
  /** Transfers an aggregated (cluster-level) edge stands for; 1 otherwise. */
  count: number;
  /** `transfer`, or `conversion` for a link (then `conversion` holds both sides). */
  kind: 'transfer' | 'conversion';
  conversion?: ConversionAttributes;
}

/** Both sides of a link. A conversion edge's own ref/amount/asset/time/traced are the crypto side's. */
export interface ConversionAttributes {
  fiatRef: string;
  fiatTime: string;
  fiatAmount: string;
  fiatAsset: string;
  cryptoRef: string;
  cryptoTime: string;
  cryptoAmount: string;
  cryptoAsset: string;
  /** Crypto per unit of fiat, a decimal string (exact when it terminates within 12 decimals). */
  rate: string;
  /** The rate as an exact reduced fraction, "27/25". */
  rateFraction: string;
  /** Traced fiat money the payment carried (trace exports), else null. */
  fiatTraced: string | null;
  /** Traced money carried into the crypto transfer, per victim payment (seed id) and per victim account (trace exports). */
  tracedBySeed: Record<string, string> | null;
  tracedByVictim: Record<string, string> | null;
}

/** The flat attribute names of a conversion edge, in the order XML formats declare them. */
export const CONVERSION_KEYS = [
  'fiatRef',
  'fiatTime',
  'fiatAmount',
  'fiatAsset',
  'cryptoRef',
  'cryptoTime',
  'cryptoAmount',
  'cryptoAsset',
  'rate',
  'rateFraction',
  'fiatTraced',
  'tracedBySeed',
  'tracedByVictim',
] as const;

/** A conversion's attributes as flat strings (maps as JSON), nulls left out. */
export function flatConversion(c: ConversionAttributes | undefined): Record<string, string> {
  if (!c) return {};
  const out: Record<string, string> = {};
  for (const key of CONVERSION_KEYS) {
    const value = c[key];
    if (value === null) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/** A writer receives the nodes first, then the edges one by one, and never needs them all at once. */
export interface GraphWriter {
  begin(meta: { title: string; created: string }): void;
  node(node: GraphNode): void;
  startEdges(): void;
  edge(edge: GraphEdge): void;
  end(): void;
}

export function nodeKey(rail: string, ident: string): string {
  return `${rail}:${ident}`;
}
