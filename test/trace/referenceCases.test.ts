import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEEDS, runDemo } from '../../src/demo/runDemo.js';
import type { TraceResult } from '../../src/model/trace.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { selectCaseAssets } from '../../src/store/traceLedger.js';
import { resolveTransferIds } from '../../src/store/transferRefs.js';
import { compareTraces, type RuleComparison } from '../../src/trace/compare.js';
import { parseMinAmount } from '../../src/trace/minAmount.js';
import { traceCase } from '../../src/trace/traceCase.js';
import { referenceOverCase, resultAsReference } from '../support/caseReference.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { launderingCase } from '../support/launderingCase.js';
import type { ReferenceResult, ReferenceRule } from '../support/referenceTracer.js';
import { sqliteCopy } from '../support/sqliteCopy.js';

/**
 * "Done when" of the tracer's semantics (docs/tracing.md): on the demo case and on generated
 * laundering cases, every figure of `trace` — endpoints, held, beyond the hop limit, below the
 * threshold, traced per victim payment — under each rule and with limits set, and every figure of
 * `compare`, is what the independent reference replay (test/support/referenceTracer.ts) gives.
 */
const RULES: ReferenceRule[] = ['fifo', 'lifo', 'libr', 'pro-rata'];
const LIMITS: { maxHops?: number; minAmount?: string; stopAtDegree?: number; until?: number }[] = [
  {},
  { maxHops: 4, minAmount: 'EUR=500,USDT=600' },
  { maxHops: 2, minAmount: '100' },
  { maxHops: 6, stopAtDegree: 12 },
];

function accountIds(db: Db): (rail: string, ident: string) => number {
  const select = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck();
  return (rail, ident) => Number(select.get(rail, ident));
}

function traceBoth(db: Db, seeds: string[], rule: ReferenceRule, limits: (typeof LIMITS)[number]): { engine: TraceResult; reference: ReferenceResult } {
  const minAmount = limits.minAmount === undefined ? undefined : parseMinAmount(limits.minAmount, selectCaseAssets(db));
  const options = {
    rule,
    ...(limits.maxHops ? { maxHops: limits.maxHops } : {}),
    ...(limits.stopAtDegree ? { stopAtDegree: limits.stopAtDegree } : {}),
    ...(limits.until ? { until: limits.until } : {}),
    ...(minAmount ? { minAmount } : {}),
  };
  const engine = traceCase({ db, casePath: null, seeds, options });
  const seedIds = seeds.flatMap((s) => resolveTransferIds(db, s));
  const reference = referenceOverCase(db, seedIds, rule, {
    ...(limits.maxHops ? { maxHops: limits.maxHops } : {}),
    ...(limits.stopAtDegree ? { stopAtDegree: limits.stopAtDegree } : {}),
    ...(limits.until ? { until: limits.until } : {}),
    ...(minAmount ? { minAmount: Object.fromEntries(Object.entries(minAmount).map(([asset, t]) => [asset, t.amount])) } : {}),
  });
  return { engine, reference };
}

/** The comparison's figures from the reference traces: per victim and endpoint, per asset, in minor units. */
function comparisonFromReference(db: Db, seedIds: number[], references: Map<string, ReferenceResult>) {
  const seedRows = seedIds.map(
    (id) =>
      db.prepare('SELECT t.time, t.id, t.rail, a.ident FROM transfers t JOIN accounts a ON a.id = t.from_id WHERE t.id = ?').get(id) as {
        time: bigint;
        id: bigint;
        rail: string;
        ident: string;
      },
  );
  // Seed index = trace order (time, then id: these cases have no blocks at equal times).
  const ordered = [...seedRows].sort((a, b) => Number(a.time - b.time) || Number(a.id - b.id));
  // Native coins (TRX, ETH for fees) never carry traced money: the account's traced asset is the other.
  const assetOf = db.prepare("SELECT DISTINCT asset FROM transfers WHERE to_id = ? AND asset NOT IN ('TRX', 'ETH')").pluck();
  const ident = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?');
  const victims: Record<string, Record<string, Record<string, Record<string, bigint>>>> = {};
  const endpoints: Record<string, Record<string, bigint>> = {};
  for (const [rule, ref] of references) {
    const fields: [string, Map<number, Map<number, bigint>>][] = [
      ['atEndpoints', ref.endpoints],
      ['held', ref.held],
      ['beyondHopLimit', ref.beyond],
      ['belowThreshold', ref.below],
    ];
    for (const row of ordered) (victims[`${row.rail}:${row.ident}`] ??= {})[rule] = { atEndpoints: {}, held: {}, beyondHopLimit: {}, belowThreshold: {} };
    for (const [field, map] of fields) {
      for (const [account, bySeed] of map) {
        const assets = assetOf.all(account) as string[];
        expect(assets).toHaveLength(1);
        for (const [seed, amount] of bySeed) {
          const v = ordered[seed]!;
          const target = victims[`${v.rail}:${v.ident}`]![rule]![field]!;
          target[assets[0]!] = (target[assets[0]!] ?? 0n) + amount;
        }
        if (field === 'atEndpoints') {
          const a = ident.get(account) as { rail: string; ident: string };
          const total = [...bySeed.values()].reduce((s, x) => s + x, 0n);
          if (total !== 0n) (endpoints[`${a.rail}:${a.ident}:${assets[0]}`] ??= {})[rule] = total;
        }
      }
    }
  }
  return { victims, endpoints };
}

function comparisonInUnits(comparison: RuleComparison) {
  const units = (a: string): bigint => BigInt(a.replace('.', ''));
  const victims: Record<string, Record<string, Record<string, Record<string, bigint>>>> = {};
  for (const v of comparison.victims) {
    victims[`${v.rail}:${v.ident}`] = Object.fromEntries(
      Object.entries(v.byRule).map(([rule, outcome]) => [
        rule,
        Object.fromEntries(
          Object.entries(outcome).map(([field, amounts]) => [
            field,
            Object.fromEntries(Object.entries(amounts as Record<string, string>).map(([asset, a]) => [asset, units(a)])),
          ]),
        ),
      ]),
    );
  }
  const endpoints: Record<string, Record<string, bigint>> = {};
  for (const e of comparison.endpoints) {
    const byRule = Object.fromEntries(
      Object.entries(e.byRule)
        .filter(([, a]) => units(a) !== 0n)
        .map(([rule, a]) => [rule, units(a)]),
    );
    endpoints[`${e.rail}:${e.ident}:${e.asset}`] = byRule;
  }
  return { victims, endpoints };
}

describe('the demo case against the reference replay', () => {
  let db: Db;
  let caseFile: string;
  beforeAll(async () => {
    const out = join(tempDir(), 'demo');
    caseFile = (await runDemo({ out, timestamp: false })).caseFile;
    db = openCaseDb(caseFile);
  });
  afterAll(() => db.close());

  it.each(RULES.flatMap((rule) => LIMITS.map((limits) => [rule, JSON.stringify(limits), limits] as const)))(
    '%s %s: every figure agrees',
    (rule, _label, limits) => {
      const { engine, reference } = traceBoth(db, DEMO_SEEDS, rule, limits);
      expect(resultAsReference(engine, accountIds(db))).toEqual(reference);
      expect(engine.totals.conserved).toBe(true);
    },
  );

  it('compare --json gives, per victim and endpoint, the reference figures under each rule', () => {
    const run = hoptrace(['--db', caseFile, 'compare', ...DEMO_SEEDS, '--max-hops', '5', '--min-amount', 'EUR=500,USDT=600', '--json']);
    expect(run.stderr).toBe('');
    const comparison = JSON.parse(run.stdout) as RuleComparison;
    expect(Object.keys(comparison)).toEqual(['rules', 'victims', 'endpoints']);
    expect(comparison.rules).toEqual(['fifo', 'lifo', 'libr', 'pro-rata']);
    expect(Object.keys(comparison.victims[0]!)).toEqual(['rail', 'ident', 'paid', 'byRule']);
    expect(Object.keys(comparison.victims[0]!.byRule.fifo!)).toEqual(['atEndpoints', 'held', 'beyondHopLimit', 'belowThreshold']);
    expect(Object.keys(comparison.endpoints[0]!)).toEqual(['rail', 'ident', 'category', 'labels', 'asset', 'byRule']);
    // The victims' bank payments: Anna 33,500 (the demo's story figures).
    expect(comparison.victims.find((v) => v.ident === 'DE68500105174417320965')!.paid).toEqual({ EUR: '33500.00' });
    const seedIds = DEMO_SEEDS.flatMap((s) => resolveTransferIds(db, s));
    const minAmount = { EUR: 50_000n, USDT: 600_000_000n };
    const references = new Map(RULES.map((rule) => [rule, referenceOverCase(db, seedIds, rule, { maxHops: 5, minAmount })]));
    expect(comparisonInUnits(comparison)).toEqual(comparisonFromReference(db, seedIds, references));
  });
});

describe.each([31, 32, 33, 34, 35])('generated laundering case %i against the reference replay', (n) => {
  const { ledger, seeds } = launderingCase(n);
  const { db } = sqliteCopy(ledger);
  const seedArgs = seeds.map((s) => `transfer:${s.id}`);

  it.each(RULES.flatMap((rule) => LIMITS.map((limits) => [rule, JSON.stringify(limits), limits] as const)))(
    '%s %s: every figure agrees',
    (rule, _label, limits) => {
      const { engine, reference } = traceBoth(db, seedArgs, rule, limits);
      expect(resultAsReference(engine, accountIds(db))).toEqual(reference);
      expect(engine.totals.conserved).toBe(true);
      // Not vacuous: the victims' money reaches the services, through the desk's links.
      if (rule === 'fifo' && Object.keys(limits).length === 0)
        expect([engine.endpoints.length > 0, engine.totals.byAsset.find((t) => t.asset === 'USDT')!.linkedIn !== '0.000000']).toEqual([true, true]);
    },
  );

  it('compare agrees with the reference under each rule, with --max-hops 3 and --min-amount 200', () => {
    const minAmount = parseMinAmount('200', selectCaseAssets(db));
    const comparison = compareTraces(RULES.map((rule) => traceCase({ db, casePath: null, seeds: seedArgs, options: { rule, maxHops: 3, minAmount } })));
    const references = new Map(
      RULES.map((rule) => [
        rule,
        referenceOverCase(
          db,
          seeds.map((s) => s.id),
          rule,
          { maxHops: 3, minAmount: { EUR: 20_000n, USDT: 200_000_000n } },
        ),
      ]),
    );
    expect(comparisonInUnits(comparison)).toEqual(
      comparisonFromReference(
        db,
        seeds.map((s) => s.id),
        references,
      ),
    );
  });
});
