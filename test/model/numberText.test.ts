import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/model/numberText.js';

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
    // text is cached and allocated in the old generation (6.3-6.4 MB here). Measured in a fresh
    // process after a full collection: in the test runner's own heap, other tests' survivors
    // promoted meanwhile moved the figure by over 1 MB on a loaded machine.
    const through = oldSpaceGrowth('numberText');
    const control = oldSpaceGrowth('String');
    expect(through.length).toBe(2_600_000);
    expect(control.length).toBe(2_600_000);
    expect(control.grown).toBeGreaterThan(5_000_000);
    expect(through.grown).toBeLessThan(1_000_000);
  });
});

/** Old-space bytes gained while writing the texts, in a child started with --expose-gc. */
function oldSpaceGrowth(how: 'numberText' | 'String'): { length: number; grown: number } {
  const source = new URL('../../src/model/numberText.ts', import.meta.url).href;
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { numberText } from ${JSON.stringify(source)};
    const text = ${how};
    const oldSpaceUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_used_size;
    globalThis.gc();
    let length = 0;
    const before = oldSpaceUsed();
    for (let i = 0; i < 200_000; i++) length += text(2 ** 40 + i * 7).length;
    process.stdout.write(JSON.stringify({ length, grown: oldSpaceUsed() - before }));
  `;
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { length: number; grown: number };
}
