import { describe, expect, it } from 'vitest';
import { findingsJsonBatches } from '../../src/cli/findingsJson.js';
import type { StoredFinding } from '../../src/store/findings.js';
import { prng } from '../support/prng.js';

/** Texts that look like the slot the params are spliced into, or break lines, or need escapes. */
const AWKWARD = ['TQ1', '\n    "params": 0,\n', '"params": 0,', 'line one\nline "two" — ü', '\\', '\u0000\u001f\u2028', '🦊', ''];

function randomFindings(seed: number, count: number): StoredFinding[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Runs of findings share one params object, as a page of stored findings does.
  const runs: Record<string, unknown>[] = [
    { windowMs: 604_800_000, minAmount: '0', dustFloor: { USDT: '1', ETH: '0.0001' }, victims: [], fanK: 5 },
    { windowMs: 3_600_000, minAmount: '12.5', dustFloor: {}, victims: ['TV1', '\n    "params": 0,\n'], nested: { deeper: [[], [1, { a: null }]] } },
    {},
  ];
  let params = pick(runs);
  return Array.from({ length: count }, () => {
    if (random() < 0.1) params = random() < 0.5 ? pick(runs) : { ...pick(runs) };
    return {
      typology: pick(['pass-through', 'fan-in', 'cycle', pick(AWKWARD)]),
      accounts: Array.from({ length: Math.floor(random() * 4) }, () => ({
        rail: pick(['tron', 'ethereum', 'bank'] as const),
        ident: pick(AWKWARD),
        ...(random() < 0.3 ? { holder: pick(AWKWARD) } : {}),
        tags: Array.from({ length: Math.floor(random() * 3) }, () => ({ category: pick(['victim', 'mule']), label: pick(AWKWARD) })),
      })),
      params,
      evidence: Array.from({ length: Math.floor(random() * 5) }, () => pick(AWKWARD)),
      score: pick([0, 0.921, 1, 0.5, 1e-7]),
    };
  });
}

describe('findingsJsonBatches', () => {
  it('writes exactly what JSON.stringify(findings, null, 2) writes, each run of params stringified once', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const count of [0, 1, 2, 3, 17, 300]) {
        const findings = randomFindings(seed, count);
        for (const batch of [1, 2, 3, 256]) {
          const text = [...findingsJsonBatches(findings, batch)].join('');
          expect(text, `seed ${seed}, ${count} findings, batch ${batch}`).toBe(JSON.stringify(findings, null, 2));
        }
      }
    }
  });

  it('takes the findings one batch at a time', () => {
    let taken = 0;
    function* counted(): Generator<StoredFinding> {
      for (const finding of randomFindings(7, 600)) {
        taken++;
        yield finding;
      }
    }
    const batches = findingsJsonBatches(counted(), 256);
    batches.next();
    expect(taken).toBe(256);
  });
});
