import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type TraceOptions, type TraceResult } from '../../src/model/trace.js';
import { traceConsistencyProblems } from '../../src/report/traceConsistency.js';
import { traceResultProblems } from '../../src/report/validateTrace.js';
import { traceCase } from '../../src/trace/traceCase.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { launderingCase } from '../support/launderingCase.js';
import { MemoryLedger } from '../support/memoryLedger.js';
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

  // A payout linked to a fiat payment (DESIGN rule 7) from a wallet that already holds another
  // seed's traced USDT carries both: 2,000.000000 traced on a 1,000.000000 transfer, each seed's
  // balance sheet whole. The engine writes it so; the check does not refuse it (the overlap is a
  // question about the rule, not a damaged file).
  it.each(RULE_NAMES)('%s: a linked payout from a wallet holding traced money passes, its traced amount above the transfer', (rule) => {
    const ledger = new MemoryLedger();
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    const usdtSeed = ledger.add('v1', 'otc-wallet', 1000_000000n, 1);
    const eurSeed = ledger.add('v2', 'bank-mule', 1000_00n, 2, 'EUR', 2);
    const fiat = ledger.add('bank-mule', 'otc-bank', 1000_00n, 3, 'EUR', 2);
    const payout = ledger.add('otc-wallet', 'm1', 1000_000000n, 4);
    ledger.link(fiat, payout);
    const result = written(ledger, [usdtSeed, eurSeed], { rule });
    const edge = result.edges.find((e) => e.transfer === payout.id)!;
    expect([edge.amount, edge.traced]).toEqual(['1000.000000', '2000.000000']);
    expect(traceResultProblems(result)).toEqual([]);
  });

  it('checks 200,000 amounts of one list in one pass (before: a stack overflow past about 100,000)', () => {
    const count = 200_000;
    const total = `${count}.000000`;
    const zero = '0.000000';
    const held = Array.from({ length: count }, (_, i) => ({
      rail: 'tron' as const,
      ident: `T${i}`,
      asset: 'USDT',
      amount: '1.000000',
      bySeed: { '1': '1.000000' },
      history: { class: 'last-seen' as const, lastSeen: '2024-01-01T00:00:00.000Z' },
    }));
    const result = {
      seeds: [{ id: '1', asset: 'USDT', amount: total, paid: total, traced: total }],
      endpoints: [],
      held,
      beyondHopLimit: [],
      belowThreshold: [],
      edges: [],
      totals: {
        edges: 0,
        accountsReached: count,
        conserved: true,
        byAsset: [
          {
            asset: 'USDT',
            seeded: total,
            linkedIn: zero,
            convertedOut: zero,
            atEndpoints: zero,
            held: total,
            beyondHopLimit: zero,
            belowThreshold: zero,
            unknownSourceDrawn: zero,
            unaccounted: zero,
          },
        ],
      },
    } as unknown as TraceResult;
    expect(traceConsistencyProblems(result)).toEqual([]);
    result.held[0]!.amount = '2.000000';
    expect(traceConsistencyProblems(result)).toEqual([`totals.byAsset[0].held ${total} USDT is not the sum of its held amounts`]);
  });

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
      ).toEqual([`edges[${carried}] has ${JSON.stringify(more)} beside ${JSON.stringify(edge.amount)}: not one asset's decimals`]);
    });

    it('an edge taken out, or its traced amount changed', () => {
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
