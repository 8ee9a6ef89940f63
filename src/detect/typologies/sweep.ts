/**
 * Sweep: many wallets emptying themselves into one collector (the collection side of a scam
 * operation). The same evidence as the clustering heuristic (src/cluster/heuristics/sweep.ts),
 * reported as a pattern on the collector.
 */
import { sweepHeuristic } from '../../cluster/heuristics/sweep.js';
import { TransferColumns } from '../../cluster/transferColumns.js';
import { DEFAULT_CLUSTER_PARAMS } from '../../cluster/types.js';
import { unitScore, type Finding, type Typology } from '../types.js';

export const sweepTypology: Typology = (data, params) => {
  const merges = sweepHeuristic(
    { accounts: data.accounts, transfers: data.columns ?? TransferColumns.of(data.transfers) },
    { ...DEFAULT_CLUSTER_PARAMS, sweepShare: params.sweepShare, sweepMinWallets: params.sweepMinWallets, sweepWindowHours: params.windowMs / 3_600_000 },
  );
  const byCollector = new Map<number, { wallets: number[]; evidence: number[] }>();
  for (const m of merges) {
    const entry = byCollector.get(m.a) ?? { wallets: [], evidence: [] };
    entry.wallets.push(m.b);
    entry.evidence.push(...m.evidence);
    byCollector.set(m.a, entry);
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
