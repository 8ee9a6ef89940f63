import { describe, expect, it } from 'vitest';
import { targetLine, targetMet, targetTable } from '../../bench/targets.js';

// `npm run bench` ends with one table of the performance targets (docs/performance.md): each
// bench prints a TARGET line per target, bench/run.ts gathers them.
describe('bench targets', () => {
  it('a target is met at its bound and not past it', () => {
    expect(targetMet({ name: 'r', measured: 0.7, atLeast: 0.7 })).toBe(true);
    expect(targetMet({ name: 'r', measured: 0.69, atLeast: 0.7 })).toBe(false);
    expect(targetMet({ name: 't', measured: 15, atMost: 15 })).toBe(true);
    expect(targetMet({ name: 't', measured: 15.01, atMost: 15 })).toBe(false);
    expect(targetMet({ name: 'both', measured: 9, atLeast: 1, atMost: 8 })).toBe(false);
  });

  it('prints each target as a tab-separated line, then one aligned table with the count met', () => {
    const lines = [
      targetLine({ name: 'USDT ingest, Etherscan 300,000 rows: CPU ratio', measured: 0.7349, atLeast: 0.7 }),
      targetLine({ name: 'cluster, 1M addresses: CPU', measured: 15.3, atMost: 15, unit: 's' }),
    ];
    expect(lines).toEqual([
      'TARGET\tUSDT ingest, Etherscan 300,000 rows: CPU ratio\t0.73\t≥ 0.7\tmet',
      'TARGET\tcluster, 1M addresses: CPU\t15.30 s\t≤ 15 s\tNOT met',
    ]);
    expect(targetTable(lines)).toBe(
      '\ntargets (1 of 2 met):\n' +
        '  USDT ingest, Etherscan 300,000 rows: CPU ratio  0.73     ≥ 0.7   met\n' +
        '  cluster, 1M addresses: CPU                      15.30 s  ≤ 15 s  NOT met\n',
    );
    expect(targetTable([])).toBe('');
  });
});
