/**
 * FIFO — first in, first out: an outflow is cut from the oldest lots first.
 * Source: Devaynes v Noble (Clayton's Case) (1816) 1 Mer 572: in a running account, payments out
 * are appropriated to the earliest payments in. Lossless here: each cut piece keeps its seed.
 */
import { LotQueue } from './lotQueue.js';
import type { PoolFactory } from './pool.js';

export const fifoRule: PoolFactory = () => new LotQueue(false);
