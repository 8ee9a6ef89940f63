import type { RuleName } from '../../model/trace.js';
import { fifoRule } from './fifo.js';
import { librRule } from './libr.js';
import { lifoRule } from './lifo.js';
import { poisonRule } from './poison.js';
import type { PoolFactory } from './pool.js';
import { proRataRule } from './proRata.js';

export const traceRules: Record<RuleName, PoolFactory> = {
  fifo: fifoRule,
  lifo: lifoRule,
  'pro-rata': proRataRule,
  libr: librRule,
  poison: poisonRule,
};
