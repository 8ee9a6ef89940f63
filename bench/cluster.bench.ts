/**
 * Clustering (issue 7): pairwise precision and recall of each heuristic on generated ground-truth
 * scenarios (test/cluster/scenario.ts), then a scale run over a large generated case, with time
 * and peak RSS.   npx tsx bench/cluster.bench.ts [--scale N]   (N multiplies the scenario size)
 */
import { clusterAccounts } from '../src/cluster/clusterAccounts.js';
import { DEFAULT_CLUSTER_PARAMS, type HeuristicName } from '../src/cluster/types.js';
import { generateScenario, pairwiseScores } from '../test/cluster/scenario.js';

const seeds = [101, 202, 303, 404, 505, 606, 707, 808];
for (const heuristics of [['funder'], ['sweep'], ['deposit'], ['deposit', 'funder', 'sweep']] as HeuristicName[][]) {
  const scores = seeds.map((seed) => {
    const { data, owner } = generateScenario(seed);
    return pairwiseScores(clusterAccounts({ data, params: DEFAULT_CLUSTER_PARAMS, heuristics }).components, owner);
  });
  const mean = (f: (s: (typeof scores)[number]) => number): string => (scores.reduce((a, s) => a + f(s), 0) / scores.length).toFixed(3);
  console.log(`${heuristics.join('+').padEnd(20)} precision min ${Math.min(...scores.map((s) => s.precision)).toFixed(3)} mean ${mean((s) => s.precision)}   recall min ${Math.min(...scores.map((s) => s.recall)).toFixed(3)} mean ${mean((s) => s.recall)}`);
}

const at = process.argv.indexOf('--scale');
const scale = at >= 0 ? Number(process.argv[at + 1]) : 2000;
const generated = Date.now();
const { data } = generateScenario(9, { operators: 6 * scale, customers: 25 * scale, users: 120 * scale });
const built = Date.now();
const result = clusterAccounts({ data, params: DEFAULT_CLUSTER_PARAMS, heuristics: ['deposit', 'funder', 'sweep'] });
const clustered = Date.now();
console.log(
  `scale: ${data.accounts.size.toLocaleString('en')} addresses, ${data.transfers.length.toLocaleString('en')} transfers generated in ${((built - generated) / 1000).toFixed(1)} s; ` +
    `clustered in ${((clustered - built) / 1000).toFixed(1)} s (${result.components.length.toLocaleString('en')} clusters, ${result.merges.length.toLocaleString('en')} merges); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
