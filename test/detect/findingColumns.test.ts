import { describe, expect, it } from 'vitest';
import { FindingColumns } from '../../src/detect/findingColumns.js';
import type { Finding } from '../../src/detect/types.js';

describe('FindingColumns', () => {
  it('gives back each finding as pushed, in order, past the first growth of every column', () => {
    const findings: Finding[] = [
      { typology: 'cycle', accounts: [3, 1, 2], evidence: [10, 11, 12], score: 0.875 },
      { typology: 'pass-through', accounts: [], evidence: [], score: 0 },
      { typology: 'inducement', accounts: [2 ** 40 + 1], evidence: [2 ** 52, 5], score: 1 },
      ...Array.from({ length: 1500 }, (_, i): Finding => ({ typology: 'sweep', accounts: [i, i + 1], evidence: [i * 3], score: (i % 1000) / 1000 })),
    ];
    const columns = new FindingColumns();
    for (const f of findings) columns.push(f);
    expect(columns.length).toBe(1503);
    expect(columns.get(2)).toEqual({ typology: 'inducement', accounts: [1099511627777], evidence: [4503599627370496, 5], score: 1 });
    expect(columns.get(1502)).toEqual({ typology: 'sweep', accounts: [1499, 1500], evidence: [4497], score: 0.499 });
    expect([...columns]).toEqual(findings);
  });
});
