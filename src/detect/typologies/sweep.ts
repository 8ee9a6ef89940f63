/**
 * Sweep: many wallets emptying themselves into one collector (the collection side of a scam
 * operation). The same evidence as the clustering heuristic (src/cluster/heuristics/sweep.ts),
 * reported as a pattern on the collector.
 */
import { sweepHeuristic } from '../../cluster/heuristics/sweep.js';
import { Proposals } from '../../cluster/proposals.js';
import { DEFAULT_CLUSTER_PARAMS } from '../../cluster/types.js';
import { unitScore, type Finding, type Typology } from '../types.js';

export const sweepTypology: Typology = (data, params) => {
  const merges = new Proposals();
  sweepHeuristic(
    { accounts: data.accounts, transfers: data.transfers },
    { ...DEFAULT_CLUSTER_PARAMS, sweepShare: params.sweepShare, sweepMinWallets: params.sweepMinWallets, sweepWindowHours: params.windowMs / 3_600_000 },
    merges,
  );
  const byCollector = new Map<number, { wallets: number[]; evidence: number[] }>();
  for (let i = 0; i < merges.length; i++) {
    const collector = merges.a[i]!;
    const entry = byCollector.get(collector) ?? { wallets: [], evidence: [] };
    entry.wallets.push(merges.b[i]!);
    entry.evidence.push(...merges.evidence(i));
    byCollector.set(collector, entry);
  }
  return [...byCollector].map(
    ([collector, e]): Finding => ({
      typology: 'sweep',
      accounts: [collector, ...e.wallets],
      evidence: e.evidence,
      score: unitScore(e.wallets.length / (2 * params.sweepMinWallets)),
    }),
  );
};
