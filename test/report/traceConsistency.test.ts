import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type TraceOptions, type TraceResult } from '../../src/model/trace.js';
import { traceResultProblems } from '../../src/report/validateTrace.js';
import { traceCase } from '../../src/trace/traceCase.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { launderingCase } from '../support/launderingCase.js';
import type { MemoryLedger } from '../support/memoryLedger.js';
import { randomCase } from '../support/randomLedger.js';
import { sqliteCopy } from '../support/sqliteCopy.js';

/** The result hoptrace writes for a generated case, as a file gives it back (JSON). */
function written(ledger: MemoryLedger, seeds: readonly LedgerTransfer[], options: TraceOptions): TraceResult {
  const { db } = sqliteCopy(ledger);
  try {
    const result = traceCase({ db, casePath: null, seeds: seeds.map((s) => `transfer:${s.id}`), options });
    return JSON.parse(JSON.stringify(result)) as TraceResult;
  } finally {
    db.close();
  }
}

describe('the figures of a trace result agree with each other', () => {
  it('in every result hoptrace writes: 150 random ledgers and 40 laundering cases, under every rule', () => {
    let edges = 0;
    const problems: string[] = [];
    const check = (label: string, result: TraceResult): void => {
      edges += result.edges.length;
      for (const problem of traceResultProblems(result)) problems.push(`${label}: ${problem}`);
    };
    for (const rule of RULE_NAMES) {
      for (let n = 0; n < 150; n++) {
        const { ledger, seeds, options } = randomCase(7000 + n);
        if (seeds.length > 0) check(`random ${7000 + n} ${rule}`, written(ledger, seeds, { rule, ...options }));
      }
      for (let n = 0; n < 40; n++) {
        const { ledger, seeds } = launderingCase(300 + n);
        check(`laundering ${300 + n} ${rule}`, written(ledger, seeds, { rule, maxHops: 4 + (n % 5) }));
      }
    }
    expect(problems).toEqual([]);
    expect(edges).toBeGreaterThan(10_000);
  }, 120_000);

  describe('a file edited by hand is refused, naming what no longer agrees', () => {
    const { ledger, seeds } = launderingCase(11);
    const base = written(ledger, seeds, { rule: 'fifo' });
    const edited = (edit: (result: TraceResult) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(base)) as TraceResult;
      edit(copy);
      return traceResultProblems(copy);
    };
    const carried = base.edges.findIndex((e) => e.outcome === 'carried' && Object.keys(e.bySeed).length === 1);
    const edge = base.edges[carried]!;
    const seed = Object.keys(edge.bySeed)[0]!;
    const usdt = base.totals.byAsset.findIndex((t) => t.asset === 'USDT');

    it('an amount with more decimals than its asset has (which the report would cut short)', () => {
      const more = `${edge.traced}1`;
      expect(
        edited((r) => {
          r.edges[carried]!.traced = more;
          r.edges[carried]!.bySeed[seed] = more;
        }),
      ).toEqual([
        `edges[${carried}] has ${JSON.stringify(more)} beside ${JSON.stringify(edge.amount)}: not one asset's decimals`,
        // This edge carried the whole transfer: one more digit is more than it.
        `edges[${carried}].traced ${more} is more than the transfer's amount ${edge.amount}`,
      ]);
      expect(edge.traced).toBe(edge.amount);
    });

    it('an edge taken out, or traced money raised past the transfer', () => {
      expect(edited((r) => r.edges.splice(carried, 1))).toEqual([
        `totals.edges says ${base.edges.length}, but the file lists ${base.edges.length - 1} edges: edges were added or removed`,
      ]);
      expect(
        edited((r) => {
          r.edges[carried]!.traced = r.edges[carried]!.amount.replace(/^\d/, (d) => String(Number(d) + 1));
        }),
      ).toContain(`edges[${carried}].traced ${edge.amount.replace(/^\d/, (d) => String(Number(d) + 1))} is not the sum of its bySeed`);
    });

    it('a total changed, or the conservation flag turned', () => {
      const t = base.totals.byAsset[usdt]!;
      expect(
        edited((r) => {
          r.totals.byAsset[usdt]!.atEndpoints = '0.000000';
        }),
      ).toEqual([
        `totals.byAsset[${usdt}].atEndpoints 0.000000 USDT is not the sum of its endpoints`,
        `totals.byAsset[${usdt}]: seeded + linkedIn − convertedOut is not atEndpoints + held + beyondHopLimit + belowThreshold + unaccounted`,
      ]);
      expect(t.atEndpoints).not.toBe('0.000000');
      expect(
        edited((r) => {
          r.totals.conserved = !r.totals.conserved;
        }),
      ).toEqual([`totals.conserved is ${!base.totals.conserved}, but the unaccounted amounts say ${base.totals.conserved}`]);
    });
  });
});
