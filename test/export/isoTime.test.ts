import { describe, expect, it } from 'vitest';
import { IsoTimes } from '../../src/export/graph/isoTime.js';

describe('IsoTimes', () => {
  it('formats exactly as Date#toISOString, across days, before 1970, past 9999 and at its limits', () => {
    const times = new IsoTimes();
    const samples = [
      1_700_000_000_123, 1_700_000_000_999, 1_700_086_400_000, 1_700_000_000_000, 0, -1, -86_400_001, -62_167_219_200_001, 253_402_300_800_000, 8.64e15,
      -8.64e15, 1_500_000_000_000.7, -0.5,
    ];
    expect(samples.map((ms) => times.format(ms))).toEqual(samples.map((ms) => new Date(ms).toISOString()));
    expect(times.format(1_700_000_000_123)).toBe('2023-11-14T22:13:20.123Z');
    expect(times.format(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(times.format(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('throws the RangeError toISOString throws beyond the range of a Date', () => {
    const times = new IsoTimes();
    expect(() => times.format(8.64e15 + 1)).toThrow(RangeError);
    expect(() => times.format(Number.NaN)).toThrow(RangeError);
  });
});
