import type { ClusterHeuristic, HeuristicName } from '../types.js';
import { bankHolderHeuristic } from './bankHolder.js';
import { depositHeuristic } from './deposit.js';
import { funderHeuristic } from './funder.js';
import { sweepHeuristic } from './sweep.js';

/** Data-driven heuristics; `manual` assertions come from a file instead (see clusterAccounts). */
export const clusterHeuristics: Record<Exclude<HeuristicName, 'manual'>, ClusterHeuristic> = {
  deposit: depositHeuristic,
  funder: funderHeuristic,
  sweep: sweepHeuristic,
  'bank-holder': bankHolderHeuristic,
};
