import { describe, expect, it } from 'vitest';
import { IdSums } from '../../src/store/idSums.js';
import { prng } from '../support/prng.js';

type Sums = [number, number, number, number];

function held(sums: IdSums): [number, ...Sums][] {
  const out: [number, ...Sums][] = [];
  sums.forEachById((id, count, hi, lo, text) => out.push([id, count, hi, lo, text]));
  return out;
}

describe('IdSums: sums per account id in typed arrays', () => {
  it('adds to each id, tells a new id from a held one, and hands them out in ascending order', () => {
    const sums = new IdSums();
    expect(sums.add(7, 1, 2, 500_000_001, 0)).toBe(true);
    expect(sums.add(3, 1, 0, 9, 1)).toBe(true);
    expect(sums.add(7, 1, 1, -1, 0)).toBe(false);
    expect(sums.add(2 ** 40 + 3, -1, -4, 0, 0)).toBe(true);
    expect(sums.add(3, -1, 0, -9, -1)).toBe(false);
    expect(sums.size).toBe(3);
    expect(held(sums)).toEqual([
      [3, 0, 0, 0, 0],
      [7, 2, 3, 500_000_000, 0],
      [2 ** 40 + 3, -1, -4, 0, 0],
    ]);
    expect(sums.inexact).toBe(false);
  });

  it('holds what a Map of the same adds holds, across its growth, for ids up to 2^53 that share their low bits', () => {
    const random = prng(7);
    const sums = new IdSums();
    const expected = new Map<number, Sums>();
    let misjudged = 0;
    for (let i = 0; i < 60_000; i++) {
      // Ids that agree in their low 32 bits and differ above, small dense ones, and the largest.
      const pick = random();
      const id =
        pick < 0.3
          ? 1 + Math.floor(random() * 20_000)
          : pick < 0.6
            ? (1 + Math.floor(random() * 5_000)) * 2 ** 32 + 17
            : pick < 0.99
              ? 1 + Math.floor(random() * 2 ** 53 - 2)
              : 2 ** 53 - 1;
      const add: Sums = [random() < 0.9 ? 1 : -1, Math.floor(random() * 1000), Math.floor(random() * 1e9), random() < 0.01 ? 1 : 0];
      const before = expected.get(id);
      if (sums.add(id, ...add) !== (before === undefined)) misjudged++;
      expected.set(id, before ? [before[0] + add[0], before[1] + add[1], before[2] + add[2], before[3] + add[3]] : add);
    }
    expect(misjudged).toBe(0);
    expect(sums.size).toBe(expected.size);
    expect(held(sums)).toEqual([...expected].sort((a, b) => a[0] - b[0]).map(([id, s]) => [id, ...s]));
  });

  it('says when a sum is past what a double holds exactly', () => {
    const sums = new IdSums();
    sums.add(1, 1, Number.MAX_SAFE_INTEGER, 0, 0);
    expect(sums.inexact).toBe(false);
    sums.add(1, 1, 1, 0, 0);
    expect(sums.inexact).toBe(true);
    const low = new IdSums();
    low.add(2, 1, 0, -Number.MAX_SAFE_INTEGER, 0);
    low.add(2, 1, 0, -1, 0);
    expect(low.inexact).toBe(true);
  });
});
