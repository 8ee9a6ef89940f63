import { describe, expect, it } from 'vitest';
import { timeOrder } from '../../src/cluster/timeOrder.js';
import { prng } from '../support/prng.js';

/** The reference: every row index, sorted by (time, id) with a plain comparator. */
function referenceOrder(time: Float64Array, ids: Float64Array): number[] {
  return Array.from({ length: time.length }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || ids[a]! - ids[b]!);
}

describe('timeOrder', () => {
  it('returns null for rows already in (time, id) order, including equal times', () => {
    expect(timeOrder(new Float64Array([1, 2, 2, 5]), new Float64Array([9, 3, 4, 1]), 4)).toBeNull();
    expect(timeOrder(new Float64Array([]), new Float64Array([]), 0)).toBeNull();
  });

  it('orders interleaved imports, random rows and ties exactly as a plain sort does', () => {
    const random = prng(7);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(random() * 400);
      const runs = 1 + Math.floor(random() * 12);
      // `runs` chronological imports of a shuffled id range, concatenated; times drawn from few values so ties are common.
      const time = new Float64Array(n);
      const ids = new Float64Array(n);
      const shuffled = Array.from({ length: n }, (_, i) => i + 1).sort(() => random() - 0.5);
      for (let i = 0; i < n; i++) {
        ids[i] = shuffled[i]!;
        time[i] = Math.floor(random() * 50);
      }
      const size = Math.ceil(n / runs);
      for (let start = 0; start < n; start += size) {
        const run = Array.from({ length: Math.min(size, n - start) }, (_, k) => start + k).sort((a, b) => time[a]! - time[b]! || ids[a]! - ids[b]!);
        const t = run.map((i) => time[i]!);
        const d = run.map((i) => ids[i]!);
        run.forEach((_, k) => {
          time[start + k] = t[k]!;
          ids[start + k] = d[k]!;
        });
      }
      if (round % 4 === 0) for (let i = 0; i < n; i++) time[i] = Math.floor(random() * 50); // fully random
      const expected = referenceOrder(time, ids);
      const order = timeOrder(time, ids, n);
      expect(order === null ? Array.from({ length: n }, (_, i) => i) : [...order]).toEqual(expected);
    }
  });

  it('orders by id when times are equal, and by time before id', () => {
    expect([...timeOrder(new Float64Array([10, 10, 5]), new Float64Array([2, 1, 3]), 3)!]).toEqual([2, 1, 0]);
  });
});
