import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/trace/heap.js';

describe('MinHeap', () => {
  it('pops in key order, and equal keys in the order its layout gives them (the engine relies on it)', () => {
    // The order below is the one the heap gave before it sifted by moving a hole: a trace whose
    // queue holds one transfer twice (from its sender's and its recipient's cursor) stays byte-identical.
    const keys = [3, 1, 3, 2, 1, 3, 0, 2, 2, 1, 3, 0, 1, 2, 3, 1];
    const heap = new MinHeap<string>(() => false);
    const out: string[] = [];
    keys.forEach((key, i) => {
      heap.push(key, `${key}${String.fromCharCode(97 + i)}`);
      if (i % 4 === 3) out.push(heap.pop()!);
    });
    expect(heap.size).toBe(12);
    for (let item = heap.pop(); item; item = heap.pop()) out.push(item);
    expect(out).toEqual(['1b', '0g', '0l', '1e', '1j', '1m', '1p', '2d', '2n', '2h', '2i', '3c', '3f', '3o', '3a', '3k']);
    expect(heap.pop()).toBeUndefined();
  });

  it('orders equal keys by its tie comparison, and keeps keys past its first 64 slots', () => {
    // 200 items, keys 0..4 by i % 5, ties broken by the larger item first.
    const heap = new MinHeap<number>((a, b) => a > b);
    for (let i = 0; i < 200; i++) heap.push(i % 5, i);
    const out: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
    expect(out.slice(0, 4)).toEqual([195, 190, 185, 180]);
    expect(out.slice(38, 42)).toEqual([5, 0, 196, 191]);
    expect(out.slice(-3)).toEqual([14, 9, 4]);
    expect(out).toHaveLength(200);
  });

  it('compares fractional and negative keys as numbers', () => {
    const heap = new MinHeap<string>(() => false);
    for (const [key, item] of [
      [1.5, 'c'],
      [-2, 'a'],
      [1.25, 'b'],
      [1e15, 'e'],
      [2 ** 53, 'f'],
      [1e12, 'd'],
    ] as const)
      heap.push(key, item);
    const out: string[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
