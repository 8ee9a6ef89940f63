import { describe, expect, it } from 'vitest';
import type { MinAmounts, TraceOptions } from '../../src/model/trace.js';
import { balanceSheets, unaccountedBySeed } from '../../src/trace/conservation.js';
import { traceLedger } from '../../src/trace/engine.js';
import { parseMinAmount } from '../../src/trace/minAmount.js';
import type { RawTrace } from '../../src/trace/rawTrace.js';
import { MemoryLedger } from '../support/memoryLedger.js';
import { LEDGER_KINDS } from '../support/sqliteCopy.js';

type Named = Record<string, Record<number, bigint>>;

function byName(ledger: MemoryLedger, list: RawTrace['held']): Named {
  const out: Named = {};
  for (const h of list) out[ledger.name(h.accountId)] = Object.fromEntries(h.bySeed);
  return out;
}

const usdt = (amount: bigint): MinAmounts => ({ USDT: { amount, decimals: 6 } });

describe.each(LEDGER_KINDS)('DESIGN rule 6–9 on the %s', (_kind, backend) => {
  function trace(ledger: MemoryLedger, seeds: ReturnType<MemoryLedger['add']>[], options: TraceOptions): RawTrace {
    const raw = traceLedger(backend(ledger), seeds, options);
    if (options.rule !== 'poison') for (const sheet of balanceSheets(raw)) expect(Object.fromEntries(unaccountedBySeed(sheet))).toEqual({});
    return raw;
  }

  it('(a) before (d): money reaching an exchange past --max-hops is beyond the hop limit, not at the endpoint', () => {
    // v → a (hop 1) → b (hop 2) → x (hop 3). With --max-hops 2 the 100 stops at x as beyond the limit.
    const ledger = new MemoryLedger();
    ledger.tag('x', { category: 'exchange', labels: ['X'] });
    const seed = ledger.add('v', 'a', 100n, 1);
    ledger.add('a', 'b', 100n, 2);
    ledger.add('b', 'x', 100n, 3);
    const raw = trace(ledger, [seed], { rule: 'fifo', maxHops: 2 });
    expect(byName(ledger, raw.endpoints)).toEqual({});
    expect(byName(ledger, raw.beyondHopLimit)).toEqual({ x: { 0: 100n } });
    expect(raw.edges.map((e) => [e.hop, e.outcome])).toEqual([
      [1, 'carried'],
      [2, 'carried'],
      [3, 'beyond-hop-limit'],
    ]);
    // With --max-hops 3 the same money reaches the exchange.
    expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo', maxHops: 3 }).endpoints)).toEqual({ x: { 0: 100n } });
  });

  it('(a) piece by piece: one transfer takes a near seed to the exchange and stops a far one at the limit', () => {
    // m holds seed 0 at hop 1 and seed 1 at hop 2; m → x carries both: seed 0 arrives at hop 2, seed 1 would be hop 3.
    const ledger = new MemoryLedger();
    ledger.tag('x', { category: 'exchange', labels: ['X'] });
    const near = ledger.add('v1', 'm', 60n, 1);
    const far = ledger.add('v2', 'a', 40n, 2);
    ledger.add('a', 'm', 40n, 3);
    ledger.add('m', 'x', 100n, 4);
    const raw = trace(ledger, [near, far], { rule: 'fifo', maxHops: 2 });
    expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 60n } });
    expect(byName(ledger, raw.beyondHopLimit)).toEqual({ x: { 1: 40n } });
    const last = raw.edges[raw.edges.length - 1]!;
    expect([last.outcome, Object.fromEntries(last.bySeed), Object.fromEntries(last.beyondHopLimit ?? [])]).toEqual([
      'endpoint',
      { 0: 60n, 1: 40n },
      { 1: 40n },
    ]);
  });

  it('(b) before (d): a transfer to an exchange carrying less traced money than --min-amount is below the threshold', () => {
    const ledger = new MemoryLedger();
    ledger.tag('x', { category: 'exchange', labels: ['X'] });
    const seed = ledger.add('v', 'm', 100n, 1);
    ledger.add('m', 'x', 5n, 2);
    ledger.add('m', 'x', 95n, 3);
    const raw = trace(ledger, [seed], { rule: 'fifo', minAmount: usdt(10n) });
    expect(byName(ledger, raw.belowThreshold)).toEqual({ x: { 0: 5n } });
    expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 95n } });
  });

  it('(b) on the whole traced part: 90 past the hop limit and 10 within, threshold 50 → the 10 goes on', () => {
    const ledger = new MemoryLedger();
    const near = ledger.add('v1', 'm', 100n, 1);
    ledger.add('m', 'q', 90n, 2);
    const far = ledger.add('v2', 'a', 90n, 3);
    ledger.add('a', 'm', 90n, 4);
    ledger.add('m', 'n', 100n, 5);
    const raw = trace(ledger, [near, far], { rule: 'fifo', maxHops: 2, minAmount: usdt(50n) });
    expect(byName(ledger, raw.held)).toEqual({ q: { 0: 90n }, n: { 0: 10n } });
    expect(byName(ledger, raw.beyondHopLimit)).toEqual({ n: { 1: 90n } });
    expect(byName(ledger, raw.belowThreshold)).toEqual({});
  });

  it("--min-amount applies in each asset's own units: 2000 is 2,000.00 EUR and 2,000.000000 USDT", () => {
    // A EUR victim payment linked to a 1,500 USDT payout: with the old reading (the first seed's
    // decimals, 200000 minor units, applied to USDT) 0.2 USDT was the bar and the payout went on.
    const ledger = new MemoryLedger();
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    const seed = ledger.add('victim', 'mule', 300_000n, 1, 'EUR', 2);
    const fiat = ledger.add('mule', 'otc-bank', 300_000n, 2, 'EUR', 2);
    const crypto = ledger.add('otc-wallet', 'wallet', 1_500_000_000n, 3);
    ledger.link(fiat, crypto);
    const minAmount = parseMinAmount('2000', [
      { asset: 'EUR', decimals: 2 },
      { asset: 'USDT', decimals: 6 },
    ]);
    expect(minAmount).toEqual({ EUR: { amount: 200_000n, decimals: 2 }, USDT: { amount: 2_000_000_000n, decimals: 6 } });
    const raw = trace(ledger, [seed], { rule: 'fifo', minAmount });
    expect(byName(ledger, raw.belowThreshold)).toEqual({ wallet: { 0: 1_500_000_000n } });
    expect(byName(ledger, raw.held)).toEqual({});
    // Per asset: EUR=500,USDT=1000 lets the 1,500 USDT through.
    const perAsset = parseMinAmount('EUR=500,USDT=1000', [
      { asset: 'EUR', decimals: 2 },
      { asset: 'USDT', decimals: 6 },
    ]);
    expect(perAsset).toEqual({ EUR: { amount: 50_000n, decimals: 2 }, USDT: { amount: 1_000_000_000n, decimals: 6 } });
    expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo', minAmount: perAsset }).held)).toEqual({ wallet: { 0: 1_500_000_000n } });
  });

  it('(c) before (d), and the threshold before the link', () => {
    const ledger = new MemoryLedger();
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    const seed = ledger.add('victim', 'mule', 30_000n, 1, 'EUR', 2);
    const fiat = ledger.add('mule', 'otc-bank', 10_000n, 2, 'EUR', 2);
    const crypto = ledger.add('otc-wallet', 'wallet', 108_000_000n, 3);
    ledger.link(fiat, crypto);
    const linked = trace(ledger, [seed], { rule: 'fifo' });
    expect(byName(ledger, linked.endpoints)).toEqual({});
    expect(byName(ledger, linked.held)).toEqual({ mule: { 0: 20_000n }, wallet: { 0: 108_000_000n } });
    // EUR 100 traced in the desk payment, threshold EUR 200: it stops below the threshold at the desk; no link.
    const below = trace(ledger, [seed], { rule: 'fifo', minAmount: { EUR: { amount: 20_000n, decimals: 2 } } });
    expect(byName(ledger, below.belowThreshold)).toEqual({ 'otc-bank': { 0: 10_000n } });
    expect(below.linkedIn).toEqual([]);
  });

  it("linked lots keep the fiat transfer's cut order: under LIFO the newest victim's money leaves the desk first", () => {
    // mule: +100 A (t1), +100 B (t2); LIFO cuts B then A into the desk payment (t3), linked to 200
    // USDT paid to W (t4). W receives B's lot, then A's; LIFO sends A's (the newest) on to X (t5).
    // Sorted by seed, as before, A then B arrived and B's money went to X.
    const ledger = new MemoryLedger();
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    ledger.tag('x', { category: 'exchange', labels: ['X'] });
    const a = ledger.add('victim-a', 'mule', 10_000n, 1, 'EUR', 2);
    const b = ledger.add('victim-b', 'mule', 10_000n, 2, 'EUR', 2);
    const fiat = ledger.add('mule', 'otc-bank', 20_000n, 3, 'EUR', 2);
    const crypto = ledger.add('otc-wallet', 'w', 200_000_000n, 4);
    ledger.link(fiat, crypto);
    ledger.add('w', 'x', 100_000_000n, 5);
    const raw = trace(ledger, [a, b], { rule: 'lifo' });
    expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 100_000_000n } });
    expect(byName(ledger, raw.held)).toEqual({ w: { 1: 100_000_000n } });
  });

  it('linked lots: per seed, crypto × traced fiat ÷ fiat rounded down; the untraced remainder last', () => {
    // Pro-rata at the mule: 333.33 of 1,000.00 traced to A, 333.33 to B (own money 333.34).
    // Desk payment 1,000.00 → 0.01 × … : A 333.33 → 1,000 × 33333 ÷ 100000 = 333.330000 USDT each.
    const ledger = new MemoryLedger();
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    ledger.add('own', 'mule', 33_334n, 1, 'EUR', 2);
    const a = ledger.add('victim-a', 'mule', 33_333n, 2, 'EUR', 2);
    const b = ledger.add('victim-b', 'mule', 33_333n, 3, 'EUR', 2);
    const fiat = ledger.add('mule', 'otc-bank', 100_000n, 4, 'EUR', 2);
    const crypto = ledger.add('otc-wallet', 'w', 1_000_000_001n, 5);
    ledger.link(fiat, crypto);
    const raw = trace(ledger, [a, b], { rule: 'pro-rata' });
    // floor(1,000,000,001 × 33,333 ÷ 100,000) = 333,330,000 (…0.33333) for each seed.
    expect(byName(ledger, raw.held)).toEqual({ w: { 0: 333_330_000n, 1: 333_330_000n } });
  });

  it('paid vs traced: a payment carrying money already traced to an earlier seed is traced as 0, paid 990', () => {
    // W pays A 1,000 (seed 0); A sends 990 back; W pays B 990 (seed 1): FIFO finds only seed 0's money.
    const ledger = new MemoryLedger();
    ledger.add('outside', 'w', 1_000_000_000n, 1);
    const s0 = ledger.add('w', 'a', 1_000_000_000n, 2);
    ledger.add('a', 'w', 990_000_000n, 3);
    const s1 = ledger.add('w', 'b', 990_000_000n, 4);
    const raw = trace(ledger, [s0, s1], { rule: 'fifo' });
    expect(raw.seeds.map((s) => [s.transfer.amount, s.seeded, Object.fromEntries(s.earlier)])).toEqual([
      [1_000_000_000n, 1_000_000_000n, {}],
      [990_000_000n, 0n, { 0: 990_000_000n }],
    ]);
  });

  it('paid does not change with the rule; traced does', () => {
    const ledger = new MemoryLedger();
    ledger.add('outside', 'w', 1_000_000_000n, 1);
    const s0 = ledger.add('w', 'a', 600_000_000n, 2);
    ledger.add('a', 'w', 600_000_000n, 3);
    const s1 = ledger.add('w', 'b', 700_000_000n, 4);
    const figures = (['fifo', 'lifo', 'pro-rata', 'libr'] as const).map((rule) => {
      const raw = trace(ledger, [s0, s1], { rule });
      return [rule, raw.seeds.map((s) => s.transfer.amount), raw.seeds.map((s) => s.seeded)];
    });
    // w before t4: 400 untraced (older), then 600 of seed 0 back. FIFO: 400 untraced + 300 seed 0 →
    // seed 1 traced 400. LIFO: 600 seed 0 + 100 untraced → 100. Pro-rata: 700 × 600 ÷ 1,000 = 420 of
    // seed 0 → 280. LIBR: 400 untraced first, then 300 seed 0 → 400.
    expect(figures).toEqual([
      ['fifo', [600_000_000n, 700_000_000n], [600_000_000n, 400_000_000n]],
      ['lifo', [600_000_000n, 700_000_000n], [600_000_000n, 100_000_000n]],
      ['pro-rata', [600_000_000n, 700_000_000n], [600_000_000n, 280_000_000n]],
      ['libr', [600_000_000n, 700_000_000n], [600_000_000n, 400_000_000n]],
    ]);
  });

  it('a zero-value seed (token spam) stops below the threshold but holds nothing', () => {
    const ledger = new MemoryLedger();
    const spam = ledger.add('v', 'm', 0n, 1);
    const raw = trace(ledger, [spam], { rule: 'fifo', minAmount: usdt(10n) });
    expect([raw.belowThreshold, raw.held, raw.seeds.map((s) => s.seeded)]).toEqual([[], [], [0n]]);
  });

  it('--until drops later payments: they are not seeds and count nowhere', () => {
    const ledger = new MemoryLedger();
    const early = ledger.add('v', 'm', 100n, 1);
    const late = ledger.add('v', 'm', 50n, 5);
    const raw = trace(ledger, [early, late], { rule: 'fifo', until: 3 });
    expect(raw.seeds.map((s) => s.transfer.id)).toEqual([early.id]);
    expect(balanceSheets(raw).map((s) => [s.asset, Object.fromEntries(s.seeded), Object.fromEntries(s.held)])).toEqual([['USDT', { 0: 100n }, { 0: 100n }]]);
  });
});

describe('parseMinAmount', () => {
  const assets = [
    { asset: 'EUR', decimals: 2 },
    { asset: 'USDT', decimals: 6 },
  ];
  it('refuses what it cannot read, naming the problem', () => {
    expect(() => parseMinAmount('EUR=500;USDT=600', assets)).toThrow(/"USDT=600" is not|not ASSET=AMOUNT|decimal|number/);
    expect(() => parseMinAmount('GBP=10', assets)).toThrow('the case has no asset "GBP"');
    expect(() => parseMinAmount('EUR=0.001', assets)).toThrow('more than 2 decimal places');
    expect(() => parseMinAmount('2,000', assets)).toThrow('not a number');
    expect(() => parseMinAmount('EUR=1,EUR=2', assets)).toThrow('EUR is given twice');
  });
  it('leaves assets not named without a threshold', () => {
    expect(parseMinAmount('USDT=600.5', assets)).toEqual({ USDT: { amount: 600_500_000n, decimals: 6 } });
  });
});
