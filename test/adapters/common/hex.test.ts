import { describe, expect, it } from 'vitest';
import { isLowerHex } from '../../../adapters/common/hex.js';

describe('isLowerHex', () => {
  it('answers what /^[0-9a-f]{n}$/ answers for the text from `start` on', () => {
    const id = 'bb534989e0a17f5bc81dc9336cd59424ac5df80aea0f203101f073a2fd3b7759';
    expect(isLowerHex(id, 0, 64)).toBe(true);
    expect(isLowerHex(`0x${id}`, 2, 64)).toBe(true);
    expect(isLowerHex('0123456789abcdef', 0, 16)).toBe(true);
    expect(isLowerHex('', 0, 0)).toBe(true);
    // Too short, too long, upper case, letters past f, the characters either side of the digits' and letters' ranges.
    expect(isLowerHex(id.slice(1), 0, 64)).toBe(false);
    expect(isLowerHex(`${id}0`, 0, 64)).toBe(false);
    expect(isLowerHex(id.toUpperCase(), 0, 64)).toBe(false);
    for (const c of ['g', 'A', 'F', '/', ':', '`', ' ', '\u0663']) {
      expect(isLowerHex(`${id.slice(0, 63)}${c}`, 0, 64), c).toBe(false);
      expect(isLowerHex(`${id.slice(0, 63)}${c}`, 0, 64)).toBe(/^[0-9a-f]{64}$/.test(`${id.slice(0, 63)}${c}`));
    }
    expect(isLowerHex(`0x${id}`, 0, 64)).toBe(false);
  });
});
