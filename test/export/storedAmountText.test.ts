import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../src/model/amount.js';
import { storedAmountText } from '../../src/store/graphQueries.js';

describe('storedAmountText', () => {
  it('puts the point into stored decimal digits as formatAmount does', () => {
    expect(storedAmountText('0', 6)).toBe('0.000000');
    expect(storedAmountText('5', 6)).toBe('0.000005');
    expect(storedAmountText('123456', 6)).toBe('0.123456');
    expect(storedAmountText('1234567', 6)).toBe('1.234567');
    expect(storedAmountText('1200000000', 2)).toBe('12000000.00');
    expect(storedAmountText('42', 0)).toBe('42');
  });

  it('reads amounts stored as 0x text past 64 bits through the bigint', () => {
    expect(storedAmountText('0x8ac7230489e80000', 6)).toBe('10000000000000.000000');
    expect(storedAmountText('0x1000000000000000000000000', 18)).toBe('79228162514.264337593543950336');
  });

  it('equals formatAmount(BigInt(stored), decimals) for every amount and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), fc.integer({ min: 0, max: 24 }), fc.boolean(), (units, decimals, hex) => {
        const stored = hex ? `0x${units.toString(16)}` : units.toString();
        expect(storedAmountText(stored, decimals)).toBe(formatAmount(units, decimals));
      }),
      { numRuns: 2000 },
    );
  });
});
