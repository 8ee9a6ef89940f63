/**
 * LIFO — last in, first out: an outflow is cut from the newest lots first. Used by some courts
 * and by investigators as the bound opposite to FIFO; it tends to carry fresh victim money on.
 */
import { LotQueue } from './lotQueue.js';
import type { PoolFactory } from './pool.js';

export const lifoRule: PoolFactory = () => new LotQueue(true);
