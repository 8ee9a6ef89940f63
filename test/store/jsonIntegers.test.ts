import { describe, expect, it } from 'vitest';
import { parseBigIntegers, parseIntegers } from '../../src/store/jsonIntegers.js';

describe('parseIntegers', () => {
  it('writes the integers of a JSON array into the typed array and counts them', () => {
    const out = new Float64Array(6);
    expect(parseIntegers('[0,7,-12,1700000000000,9007199254740991,-9007199254740991]', out)).toBe(6);
    expect([...out]).toEqual([0, 7, -12, 1_700_000_000_000, 9_007_199_254_740_991, -9_007_199_254_740_991]);
    expect(parseIntegers('[]', out)).toBe(0);
    expect(parseIntegers('[42]', out)).toBe(1);
    expect(out[0]).toBe(42);
  });

  it('gives -1 for anything that is not an array of safe integers, or more values than fit', () => {
    const out = new Float64Array(2);
    for (const text of ['[1.5]', '[1e+20]', '[null]', '["7"]', '[9007199254740992]', '[1,]', '[,1]', '[1,,2]', '[-]', '[1 ,2]', '', '[', '1,2', '[1,2,3]'])
      expect(parseIntegers(text, out), text).toBe(-1);
  });
});

describe('parseBigIntegers', () => {
  it('writes every signed 64-bit integer exactly, short ones by halves and long ones through BigInt', () => {
    const values = [
      0n,
      5n,
      -1n,
      -4_294_967_296n,
      4_294_967_297n,
      2n ** 53n - 1n,
      -(2n ** 53n) + 1n,
      2n ** 53n + 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      -(2n ** 53n) - 1n,
    ];
    const out = new BigInt64Array(values.length);
    expect(parseBigIntegers(`[${values.join(',')}]`, out)).toBe(values.length);
    expect([...out]).toEqual(values);
  });

  it('gives -1 beyond 64 bits and for what is not an array of integers', () => {
    const out = new BigInt64Array(2);
    for (const text of [`[${2n ** 63n}]`, `[${-(2n ** 63n) - 1n}]`, '[1.5]', '["5"]', '[null]', '[1,]', '[1,2,3]', '[-]'])
      expect(parseBigIntegers(text, out), text).toBe(-1);
    expect(parseBigIntegers('[]', out)).toBe(0);
  });
});
