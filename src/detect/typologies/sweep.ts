/**
 * Sweep: many wallets emptying themselves into one collector (the collection side of a scam
 * operation). The same evidence as the clustering heuristic (src/cluster/heuristics/sweep.ts),
 * reported as a pattern on the collector.
 */
import { sweepHeuristic } from '../../cluster/heuristics/sweep.js';
import { Proposals } from '../../cluster/proposals.js';
import { DEFAULT_CLUSTER_PARAMS } from '../../cluster/types.js';
import { unitScore, type DetectData, type DetectParams, type Finding, type Typology } from '../types.js';

type Collected = Map<number, { wallets: number[]; evidence: number[] }>;

/**
 * Each collector's swept wallets and evidence, in the order the heuristic proposed them. The
 * heuristic's proposals are let go on return: sweep was the peak of `detect` on a large case
 * (docs/performance.md, `detect`), with its proposals, these lists and every finding built at once.
 */
function collectors(data: DetectData, params: DetectParams): Collected {
  const merges = new Proposals();
  sweepHeuristic(
    { accounts: data.accounts, transfers: data.transfers },
    { ...DEFAULT_CLUSTER_PARAMS, sweepShare: params.sweepShare, sweepMinWallets: params.sweepMinWallets, sweepWindowHours: params.windowMs / 3_600_000 },
    merges,
  );
  const byCollector: Collected = new Map();
  for (let i = 0; i < merges.length; i++) {
    const collector = merges.a[i]!;
    const entry = byCollector.get(collector) ?? { wallets: [], evidence: [] };
    entry.wallets.push(merges.b[i]!);
    entry.evidence.push(...merges.evidence(i));
    byCollector.set(collector, entry);
  }
  return byCollector;
}

/** A finding per collector, given one at a time and each collector's lists let go once given. */
export const sweepTypology: Typology = function* (data, params) {
  const byCollector = collectors(data, params);
  for (const [collector, e] of byCollector) {
    byCollector.delete(collector);
    const finding: Finding = {
      typology: 'sweep',
      accounts: [collector, ...e.wallets],
      evidence: e.evidence,
      score: unitScore(e.wallets.length / (2 * params.sweepMinWallets)),
    };
    yield finding;
  }
};
