import { HoptraceError } from '../model/errors.js';
import { readClusterAssertions } from '../../adapters/manual/clusterAssertions.js';
import type { Db } from '../store/caseStore.js';
import { selectStoredAssertions } from '../store/clusterAssertions.js';
import { saveClusters, selectClusterData, selectTransferRefs } from '../store/clusters.js';
import { selectTagsOf } from '../store/tags.js';
import { inReadSnapshot } from '../store/readSnapshot.js';
import { caseBasis } from '../store/staleness.js';
import { resolveAccountIdent } from '../store/transferRefs.js';
import type { AccountColumns } from './accountColumns.js';
import { applyMerges, proposeMerges, type ProposedMerges } from './clusterAccounts.js';
import { collectGarbage } from './collectGarbage.js';
import { DEFAULT_CLUSTER_PARAMS, HEURISTIC_NAMES, type ClusterParams, type HeuristicName, type MergeProposal } from './types.js';

export interface ClusterCaseOptions {
  heuristics?: readonly HeuristicName[];
  params?: Partial<ClusterParams>;
  manualFile?: string;
}

export interface ClusterCaseResult {
  params: ClusterParams & { heuristics: HeuristicName[] };
  clusters: { id: number; size: number; labels: string[]; categories: string[]; accounts: { rail: string; ident: string }[] }[];
  merges: { a: string; b: string; heuristic: string; confidence: number; evidence: string[]; reason: string }[];
  conflicts: { a: string; b: string; heuristic: string; reason: string }[];
}

/**
 * The case's accounts and transfers, and the heuristics' proposals over them. A function of its
 * own so that nothing holds the transfers once it returns: cleared in the async caller, they
 * stayed reachable from its frame until its end (a collection there freed 20 of their 173 MB).
 *
 * The assertions stored in the case, the accounts, the transfers and the case's basis are read in
 * one read snapshot (src/store/caseCitation.ts), so that the clusters are stored with the basis of
 * what they were computed from: a source another process adds meanwhile leaves them stale.
 */
function loadAndPropose(db: Db, input: Asserted & { params: ClusterParams }): { accounts: AccountColumns; proposed: ProposedMerges; basis: string } {
  const { data, basis } = inReadSnapshot(db, () => {
    addStoredAssertions(db, input);
    // Idents are read for the accounts the output names only (AccountColumns.loadIdents).
    return { data: selectClusterData(db, { deferIdents: true }), basis: caseBasis(db, 'clusters') };
  });
  // The load leaves its sort scratch (12 bytes a transfer) behind.
  collectGarbage();
  return { accounts: data.accounts, proposed: proposeMerges({ ...input, data }), basis };
}

/** The heuristics to run and the investigators' assertions, which the stored ones join. */
interface Asserted {
  heuristics: HeuristicName[];
  manual: MergeProposal[];
  neverMerge: [number, number][];
}

/** Assertions made in the workbench count as a --manual file that is always given. */
function addStoredAssertions(db: Db, { heuristics, manual, neverMerge }: Asserted): void {
  const stored = selectStoredAssertions(db);
  for (const s of stored) {
    if (s.same)
      manual.push({
        a: s.aId,
        b: s.bId,
        heuristic: 'manual',
        confidence: 100,
        evidence: [],
        reason: `asserted in the workbench on ${s.createdAt.slice(0, 10)}: ${s.reason}`,
      });
    else neverMerge.push([s.aId, s.bId]);
  }
  if (stored.length > 0 && !heuristics.includes('manual')) heuristics.push('manual');
}

/** `hoptrace cluster`: run the heuristics over the case file, store clusters and evidence, return them. */
export async function clusterCase(db: Db, options: ClusterCaseOptions = {}): Promise<ClusterCaseResult> {
  const heuristics = [...(options.heuristics ?? HEURISTIC_NAMES)];
  for (const h of heuristics)
    if (!(HEURISTIC_NAMES as readonly string[]).includes(h))
      throw new HoptraceError(`unknown heuristic ${JSON.stringify(h)}`, { hint: `use ${HEURISTIC_NAMES.join(', ')}` });
  const params: ClusterParams = { ...DEFAULT_CLUSTER_PARAMS, ...options.params };
  const manual: MergeProposal[] = [];
  const neverMerge: [number, number][] = [];
  if (options.manualFile) {
    for (const assertion of await readClusterAssertions(options.manualFile)) {
      const at = (ident: string): number => {
        const id = resolveAccountIdent(db, ident);
        if (id === undefined)
          throw new HoptraceError(`account ${JSON.stringify(ident)} is not in the case file`, { file: options.manualFile!, line: assertion.line });
        return id;
      };
      const a = at(assertion.a);
      const b = at(assertion.b);
      if (assertion.never) neverMerge.push([a, b]);
      else manual.push({ a, b, heuristic: 'manual', confidence: 100, evidence: [], reason: assertion.reason });
    }
    if (!heuristics.includes('manual')) heuristics.push('manual');
  }
  const { accounts, proposed, basis } = loadAndPropose(db, { params, heuristics, manual, neverMerge });
  // The transfer columns (33 bytes a transfer, 173 MB at 5,250,000) are not read again: let them
  // go before union-find sorts and copies the proposals (beside them, that was the command's peak).
  collectGarbage();
  const result = applyMerges(accounts, proposed, neverMerge);
  saveClusters(db, result, { ...params, heuristics }, basis);
  const ident = (id: number): string => `${accounts.rail(id)}:${accounts.ident(id)}`;
  const { merges } = result;
  const evidenceIds: number[] = [];
  for (let i = 0; i < merges.length; i++) for (const id of merges.evidence(i)) evidenceIds.push(id);
  const refs = selectTransferRefs(db, evidenceIds);
  // Tags of the clustered accounts: only tagged accounts are asked about, not all 468,000 members of a large case.
  const clustered = new Uint8Array(accounts.bound);
  for (const members of result.components) for (const id of members) clustered[id] = 1;
  const tagsOf = selectTagsOf(db, new Set(accounts.tagged().filter((id) => clustered[id] === 1)));
  // The idents the output names: every member (merged pairs are members) and the conflicts' pairs.
  accounts.loadIdents(result.components.flat());
  accounts.loadIdents(result.conflicts.flatMap((c) => [c.a, c.b]));
  // Looking up 574,000 refs leaves tens of MB behind; the output objects come next.
  collectGarbage();
  return {
    params: { ...params, heuristics },
    clusters: result.components.map((members, index) => {
      const tagRows = members.flatMap((id) => tagsOf.get(id) ?? []);
      return {
        id: index + 1,
        size: members.length,
        labels: [...new Set(tagRows.map((t) => t.label))].sort(),
        categories: [...new Set(tagRows.map((t) => t.category))].sort(),
        accounts: members.map((id) => ({ rail: accounts.rail(id), ident: accounts.ident(id) })),
      };
    }),
    merges: Array.from({ length: merges.length }, (_, i) => ({
      a: ident(merges.a[i]!),
      b: ident(merges.b[i]!),
      heuristic: merges.heuristicOf(i),
      confidence: merges.confidence[i]!,
      evidence: merges.evidence(i).map((id) => refs.get(id)!),
      reason: merges.reason(i),
    })),
    conflicts: result.conflicts.map((c) => ({ a: ident(c.a), b: ident(c.b), heuristic: c.heuristic, reason: c.reason })),
  };
}
