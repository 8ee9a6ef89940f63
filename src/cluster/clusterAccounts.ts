import { clusterHeuristics } from './heuristics/index.js';
import type { ClusterData, ClusterParams, HeuristicName, MergeProposal } from './types.js';
import { UnionFind } from './unionFind.js';

export interface Conflict {
  a: number;
  b: number;
  heuristic: HeuristicName;
  reason: string;
}

export interface ClusteringResult {
  /** Components of two or more accounts, each sorted by account id, ordered by their first id. */
  components: number[][];
  merges: MergeProposal[];
  conflicts: Conflict[];
}

export interface ClusterInput {
  data: ClusterData;
  params: ClusterParams;
  heuristics: readonly HeuristicName[];
  manual?: MergeProposal[];
  neverMerge?: [number, number][];
}

/**
 * Applies the heuristics' proposals through union-find, strongest evidence first. No merge passes
 * through a tagged service (hubs would swallow the graph), and a merge that would join two
 * differently labelled entities, or a pair asserted never to merge, is reported as a conflict.
 */
export function clusterAccounts(input: ClusterInput): ClusteringResult {
  const { data, params } = input;
  const proposals: MergeProposal[] = [];
  for (const name of input.heuristics) {
    // Appended one by one: a spread of millions of proposals would overflow the call stack.
    for (const p of name === 'manual' ? (input.manual ?? []) : clusterHeuristics[name](data, params)) proposals.push(p);
  }
  proposals.sort((x, y) => y.confidence - x.confidence || Math.min(x.a, x.b) - Math.min(y.a, y.b) || Math.max(x.a, x.b) - Math.max(y.a, y.b));
  const uf = new UnionFind();
  for (const account of data.accounts.values()) if (account.labels.length > 0) uf.labels.set(uf.find(account.id), new Set(account.labels));
  const never = input.neverMerge ?? [];
  const merges: MergeProposal[] = [];
  const conflicts: Conflict[] = [];
  for (const p of proposals) {
    const a = data.accounts.get(p.a);
    const b = data.accounts.get(p.b);
    if (!a || !b || p.a === p.b || a.service || b.service) continue;
    const ra = uf.find(p.a);
    const rb = uf.find(p.b);
    if (ra === rb) continue;
    const la = uf.labels.get(ra);
    const lb = uf.labels.get(rb);
    if (la && lb && la.size > 0 && lb.size > 0 && ![...la].some((l) => lb.has(l))) {
      conflicts.push({
        a: p.a,
        b: p.b,
        heuristic: p.heuristic,
        reason: `would join differently labelled entities: ${[...la].join('; ')} / ${[...lb].join('; ')}`,
      });
      continue;
    }
    if (never.length > 0 && never.some(([x, y]) => (uf.find(x) === ra && uf.find(y) === rb) || (uf.find(x) === rb && uf.find(y) === ra))) {
      conflicts.push({ a: p.a, b: p.b, heuristic: p.heuristic, reason: 'asserted never to merge (manual "not")' });
      continue;
    }
    uf.union(p.a, p.b);
    merges.push(p);
  }
  const components = [...uf.members().values()]
    .filter((members) => members.length >= 2)
    .map((members) => members.sort((x, y) => x - y))
    .sort((x, y) => x[0]! - y[0]!);
  return { components, merges, conflicts };
}
