import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/trace/heap.js';

describe('MinHeap', () => {
  it('pops in key order, and equal keys in the order its layout gives them (the engine relies on it)', () => {
    // The order below is the one the heap gave before it sifted by moving a hole: a trace whose
    // queue holds one transfer twice (from its sender's and its recipient's cursor) stays byte-identical.
    const keys = [3, 1, 3, 2, 1, 3, 0, 2, 2, 1, 3, 0, 1, 2, 3, 1];
    const heap = new MinHeap<[number, string]>((a, b) => a[0] < b[0]);
    const out: string[] = [];
    keys.forEach((key, i) => {
      heap.push([key, `${key}${String.fromCharCode(97 + i)}`]);
      if (i % 4 === 3) out.push(heap.pop()![1]);
    });
    expect(heap.size).toBe(12);
    for (let item = heap.pop(); item; item = heap.pop()) out.push(item[1]);
    expect(out).toEqual(['1b', '0g', '0l', '1e', '1j', '1m', '1p', '2d', '2n', '2h', '2i', '3c', '3f', '3o', '3a', '3k']);
    expect(heap.pop()).toBeUndefined();
  });
});
