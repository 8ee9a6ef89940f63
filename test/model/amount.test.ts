import { describe, expect, it } from 'vitest';
import { formatAmount, mulDivFloor, parseAmount, parseUnits, unitsFromDigits } from '../../src/model/amount.js';

describe('parseAmount', () => {
  it('parses decimal strings exactly into minor units', () => {
    expect(parseAmount('1250.5', 6)).toBe(1_250_500_000n);
    expect(parseAmount('0.000001', 6)).toBe(1n);
    expect(parseAmount('12,500.5', 6)).toBe(12_500_500_000n);
    expect(parseAmount('1,000', 6)).toBe(1_000_000_000n);
    expect(parseAmount('92233720368547.758071', 6)).toBe(92_233_720_368_547_758_071n);
    expect(parseAmount('.5', 2)).toBe(50n);
  });

  it('reads decimal commas with dot, space or apostrophe thousands', () => {
    expect(parseAmount('1.234,56', 2, { decimalSeparator: ',' })).toBe(123_456n);
    expect(parseAmount("1'234,50", 2, { decimalSeparator: ',' })).toBe(123_450n);
    expect(parseAmount('-2 500,00', 2, { decimalSeparator: ',', allowNegative: true })).toBe(-250_000n);
  });

  it('rejects what would change a figure', () => {
    expect(() => parseAmount('1e6', 6)).toThrow(/scientific notation/);
    // Text with an e that is no number is not called scientific notation.
    expect(() => parseAmount('EUR=5', 2)).toThrow('amount "EUR=5": not a number');
    expect(() => parseAmount('-5', 6)).toThrow(/negative/);
    expect(() => parseAmount('abc', 6)).toThrow(/not a number/);
    expect(() => parseAmount('1,2.5', 6)).toThrow(/misplaced thousands separator/);
    expect(() => parseAmount('1.0000001', 6)).toThrow(/more than 6 decimal places/);
    expect(() => parseAmount('', 6)).toThrow(/empty/);
    expect(() => parseAmount('12.', 6)).toThrow(/not a number/);
    expect(parseAmount('1.0000000', 6)).toBe(1_000_000n);
    expect(parseAmount('1.0000009', 6, { excessPrecision: 'truncate' })).toBe(1_000_000n);
  });
});

describe('parseUnits and formatAmount', () => {
  it('reads integer base units, decimal or hex', () => {
    expect(parseUnits('65290000')).toBe(65_290_000n);
    expect(parseUnits('13409316000000000000')).toBe(13_409_316_000_000_000_000n);
    expect(parseUnits('0x01c9c380')).toBe(30_000_000n);
    expect(() => parseUnits('-1')).toThrow(/negative/);
    expect(() => parseUnits('1.5')).toThrow(/not an integer/);
    expect(() => parseUnits('1e18')).toThrow(/scientific/);
  });

  it('unitsFromDigits reads up to 15 plain digits as parseUnits does, and leaves every other text to it', () => {
    expect(unitsFromDigits('65290000')).toBe(65_290_000n);
    expect(unitsFromDigits('0')).toBe(0n);
    expect(unitsFromDigits('000123')).toBe(123n);
    expect(unitsFromDigits('999999999999999')).toBe(999_999_999_999_999n);
    // 16 digits and more (past 2^53 from 9007199254740993 on), signs, spaces, hex, fractions: parseUnits' to read or reject.
    for (const text of ['1000000000000000', '9007199254740993', '18446744073709551616', '', ' 12', '12 ', '-5', '+5', '0x1f', '1.5', '1e6', '٣', '12a']) {
      expect(unitsFromDigits(text), text).toBeUndefined();
    }
    expect(parseUnits('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(parseUnits('18446744073709551616')).toBe(18_446_744_073_709_551_616n);
    expect(parseUnits(' 12')).toBe(12n);
  });

  it('formats with exactly the asset decimals', () => {
    expect(formatAmount(1_250_500_000n, 6)).toBe('1250.500000');
    expect(formatAmount(1n, 6)).toBe('0.000001');
    expect(formatAmount(0n, 6)).toBe('0.000000');
    expect(formatAmount(-160_72n, 2)).toBe('-160.72');
    expect(formatAmount(42n, 0)).toBe('42');
  });

  it('divides proportionally rounding down', () => {
    expect(mulDivFloor(3_000n, 2_500n, 3_500n)).toBe(2_142n);
    expect(mulDivFloor(5n, 1n, 0n)).toBe(0n);
  });
});
