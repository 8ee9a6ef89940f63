import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/model/numberText.js';

const oldSpaceUsed = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_used_size;

describe('the text of a number an export writes per row', () => {
  it('is what String gives, for every kind of number', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      7,
      59,
      999,
      2 ** 31,
      2 ** 32 + 1,
      2 ** 40 + 3,
      2 ** 48 - 1,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      2 ** 60,
      1.5,
      -0.25,
      1e21,
      123456789012345680000,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    expect(values.map(numberText)).toEqual(values.map(String));
    expect(numberText(281_474_976_710_655)).toBe('281474976710655');
    expect(numberText(2 ** 53)).toBe('9007199254740992');
  });

  it("leaves no garbage in V8's old generation for distinct numbers, as String does through its number-string cache", () => {
    // 200,000 distinct 48-bit numbers (transfer seqs are 48-bit fingerprints): through String, each
    // text was cached and allocated in the old generation (6.4-6.9 MB here); a full collection in
    // between can only lower the figure.
    let length = 0;
    const before = oldSpaceUsed();
    for (let i = 0; i < 200_000; i++) length += numberText(2 ** 40 + i * 7).length;
    const grown = oldSpaceUsed() - before;
    expect(length).toBe(2_600_000);
    expect(grown).toBeLessThan(1_000_000);
  });
});
