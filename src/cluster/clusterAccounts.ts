import { collectGarbage } from './collectGarbage.js';
import { clusterHeuristics } from './heuristics/index.js';
import { accountIdBound } from './heuristics/soleRecipient.js';
import { Proposals } from './proposals.js';
import type { AccountColumns } from './accountColumns.js';
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
  /** The proposals applied, in the order applied. */
  merges: Proposals;
  conflicts: Conflict[];
}

export interface ClusterInput {
  data: ClusterData;
  params: ClusterParams;
  heuristics: readonly HeuristicName[];
  manual?: MergeProposal[];
  neverMerge?: [number, number][];
}

/** What the heuristics propose, with the bound of the account ids the data names (for applyMerges). */
export interface ProposedMerges {
  proposals: Proposals;
  bound: number;
}

/**
 * Applies the heuristics' proposals through union-find, strongest evidence first. No merge passes
 * through a tagged service (hubs would swallow the graph), and a merge that would join two
 * differently labelled entities, or a pair asserted never to merge, is reported as a conflict.
 */
export function clusterAccounts(input: ClusterInput): ClusteringResult {
  return applyMerges(input.data.accounts, proposeMerges(input), input.neverMerge ?? []);
}

/** The heuristics' proposals and the manual ones, in the order of `input.heuristics`. */
export function proposeMerges(input: ClusterInput): ProposedMerges {
  const { data, params } = input;
  const proposals = new Proposals();
  for (const name of input.heuristics) {
    if (name === 'manual') for (const p of input.manual ?? []) proposals.push(p.a, p.b, p.heuristic, p.confidence, p.evidence, p.reason);
    else clusterHeuristics[name](data, params, proposals);
    // Each heuristic's working arrays (tens of MB at 1,000,000 accounts) are garbage once it
    // returns; collected here, they are not still held while the next one builds its own.
    collectGarbage();
  }
  return { proposals, bound: accountIdBound(data) };
}

/**
 * The union-find half of clusterAccounts. It reads no transfer: `hoptrace cluster` lets the
 * transfer columns go before it (src/cluster/clusterCase.ts), as its sort and copies of 640,000
 * proposals beside them made the command's peak.
 */
export function applyMerges(accounts: AccountColumns, proposed: ProposedMerges, never: readonly (readonly [number, number])[]): ClusteringResult {
  const { proposals } = proposed;
  const order = proposals.strengthOrder();
  const uf = new UnionFind(proposed.bound);
  for (const id of accounts.labelled()) uf.labels.set(uf.find(id), new Set(accounts.labels(id)));
  const merges = new Proposals();
  const conflicts: Conflict[] = [];
  for (const p of order) {
    const a = proposals.a[p]!;
    const b = proposals.b[p]!;
    if (!accounts.has(a) || !accounts.has(b) || a === b || accounts.isService(a) || accounts.isService(b)) continue;
    const ra = uf.find(a);
    const rb = uf.find(b);
    if (ra === rb) continue;
    const la = uf.labels.get(ra);
    const lb = uf.labels.get(rb);
    if (la && lb && la.size > 0 && lb.size > 0 && ![...la].some((l) => lb.has(l))) {
      conflicts.push({
        a,
        b,
        heuristic: proposals.heuristicOf(p),
        reason: `would join differently labelled entities: ${[...la].join('; ')} / ${[...lb].join('; ')}`,
      });
      continue;
    }
    if (never.length > 0 && never.some(([x, y]) => (uf.find(x) === ra && uf.find(y) === rb) || (uf.find(x) === rb && uf.find(y) === ra))) {
      conflicts.push({ a, b, heuristic: proposals.heuristicOf(p), reason: 'asserted never to merge (manual "not")' });
      continue;
    }
    uf.union(a, b);
    merges.copy(proposals, p);
  }
  return { components: uf.components(), merges, conflicts };
}
