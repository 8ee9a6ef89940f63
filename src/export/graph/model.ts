/** The graph every format writes: accounts (or clusters) as nodes, transfers as edges. */
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
