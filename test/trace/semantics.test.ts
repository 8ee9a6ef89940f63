import { describe, expect, it } from 'vitest';
import type { TraceOptions } from '../../src/model/trace.js';
import { balanceSheets, unaccountedBySeed } from '../../src/trace/conservation.js';
import { traceLedger } from '../../src/trace/engine.js';
import type { RawTrace } from '../../src/trace/rawTrace.js';
import { MemoryLedger } from '../support/memoryLedger.js';
import { LEDGER_KINDS } from '../support/sqliteCopy.js';

type Named = Record<string, Record<number, bigint>>;

/** Holdings by account name and seed index, for exact comparison. */
function byName(ledger: MemoryLedger, list: RawTrace['held']): Named {
  const out: Named = {};
  for (const h of list) out[ledger.name(h.accountId)] = Object.fromEntries(h.bySeed);
  return out;
}

describe.each(LEDGER_KINDS)('on the %s', (_kind, backend) => {
  function trace(ledger: MemoryLedger, seeds: ReturnType<MemoryLedger['add']>[], options: TraceOptions): RawTrace {
    const raw = traceLedger(backend(ledger), seeds, options);
    if (options.rule !== 'poison') for (const sheet of balanceSheets(raw)) expect(Object.fromEntries(unaccountedBySeed(sheet))).toEqual({});
    return raw;
  }

  describe('tracing semantics', () => {
    it('keeps each victim apart: FIFO cuts the older seed first', () => {
      const ledger = new MemoryLedger();
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const v1 = ledger.add('v1', 'mule', 100n, 1);
      const v2 = ledger.add('v2', 'mule', 200n, 2);
      ledger.add('mule', 'x', 150n, 3);
      const raw = trace(ledger, [v1, v2], { rule: 'fifo' });
      expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 100n, 1: 50n } });
      expect(byName(ledger, raw.held)).toEqual({ mule: { 1: 150n } });
    });

    it('splits a poisoned outflow across seeds in proportion, the whole outflow traced', () => {
      const ledger = new MemoryLedger();
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const v1 = ledger.add('v1', 'a', 300n, 1);
      const v2 = ledger.add('v2', 'a', 100n, 2);
      ledger.add('own', 'a', 600n, 3);
      ledger.add('a', 'x', 200n, 4);
      ledger.add('a', 'x', 700n, 5);
      const raw = traceLedger(backend(ledger), [v1, v2], { rule: 'poison' });
      expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 150n + 525n, 1: 50n + 175n } });
    });

    it('draws an outflow beyond the known balance from an unknown source, and counts it', () => {
      const ledger = new MemoryLedger();
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const seed = ledger.add('v', 'mule', 100n, 1);
      ledger.add('mule', 'x', 150n, 2);
      const raw = trace(ledger, [seed], { rule: 'fifo' });
      expect(byName(ledger, raw.endpoints)).toEqual({ x: { 0: 100n } });
      expect(raw.unknownSourceDraws.map((d) => [ledger.name(d.accountId), d.amount, d.transfers])).toEqual([['mule', 50n, 1]]);
      expect(raw.edges[1]!.allocation).toEqual({ balanceBefore: 100n, tracedBefore: 100n, tracedCarried: 100n, tracedLeft: 0n, unknownDrawn: 50n });
    });

    it('counts money past --max-hops and below --min-amount where it stopped', () => {
      const ledger = new MemoryLedger();
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const seed = ledger.add('v', 'a', 100n, 1);
      ledger.add('a', 'b', 95n, 2);
      ledger.add('a', 'dust', 5n, 3);
      ledger.add('b', 'c', 95n, 4);
      const raw = trace(ledger, [seed], { rule: 'fifo', maxHops: 2, minAmount: { USDT: { amount: 10n, decimals: 6 } } });
      expect(byName(ledger, raw.beyondHopLimit)).toEqual({ c: { 0: 95n } });
      expect(byName(ledger, raw.belowThreshold)).toEqual({ dust: { 0: 5n } });
      expect(raw.held).toEqual([]);
      expect(raw.edges.map((e) => [e.hop, e.outcome])).toEqual([
        [1, 'carried'],
        [2, 'carried'],
        [2, 'below-threshold'],
        [3, 'beyond-hop-limit'],
      ]);
    });

    it('stops at untagged hubs with --stop-at-degree, and at tagged endpoints always', () => {
      const ledger = new MemoryLedger();
      const seed = ledger.add('v', 'hub', 100n, 1);
      for (const other of ['p', 'q', 'r', 's']) ledger.add(other, 'hub', 1n, 2);
      ledger.add('hub', 'onward', 100n, 3);
      expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo', stopAtDegree: 3 }).endpoints)).toEqual({ hub: { 0: 100n } });
      expect(trace(ledger, [seed], { rule: 'fifo', stopAtDegree: 3 }).endpoints[0]!.info).toEqual({ category: 'hub', labels: [] });
      expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo', stopAtDegree: 10 }).held)).toEqual({ onward: { 0: 100n } });
    });

    it('shows what was held at --until', () => {
      const ledger = new MemoryLedger();
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const seed = ledger.add('v', 'a', 100n, 1);
      ledger.add('a', 'x', 100n, 3);
      expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo', until: 2 }).held)).toEqual({ a: { 0: 100n } });
    });

    it('treats the opening balance a statement implies as untraced money already there', () => {
      const ledger = new MemoryLedger();
      ledger.opening('mule', 'USDT', 400n);
      ledger.tag('x', { category: 'exchange', labels: ['X'] });
      const seed = ledger.add('v', 'mule', 100n, 1);
      ledger.add('mule', 'x', 450n, 2);
      expect(byName(ledger, trace(ledger, [seed], { rule: 'fifo' }).held)).toEqual({ mule: { 0: 50n } });
      expect(byName(ledger, trace(ledger, [seed], { rule: 'libr' }).held)).toEqual({ mule: { 0: 50n } });
      expect(byName(ledger, trace(ledger, [seed], { rule: 'lifo' }).held)).toEqual({});
    });
  });

  describe('links (fiat → crypto)', () => {
    /** A victim pays a mule in EUR; the mule pays an OTC desk, whose return links that to a USDT payout. */
    function otcCase(cryptoTime: number) {
      const ledger = new MemoryLedger();
      ledger.tag('otc-bank', { category: 'otc', labels: ['OTC desk'] });
      ledger.tag('exchange', { category: 'exchange', labels: ['Exchange'] });
      ledger.add('own', 'mule', 100_000n, 1, 'EUR', 2);
      const seed = ledger.add('victim', 'mule', 100_000n, 2, 'EUR', 2);
      const fiat = ledger.add('mule', 'otc-bank', 100_000n, 5, 'EUR', 2);
      const crypto = ledger.add('otc-wallet', 'wallet', 600_000_000n, cryptoTime);
      ledger.add('wallet', 'exchange', 600_000_000n, 9);
      ledger.link(fiat, crypto);
      return { ledger, seed };
    }

    it.each([
      ['after the fiat booking', 7],
      ['before it (the bank booked a day late)', 4],
    ])('carries the traced share into the crypto transfer when it comes %s, over the OTC endpoint', (_label, cryptoTime) => {
      const { ledger, seed } = otcCase(cryptoTime);
      const raw = trace(ledger, [seed], { rule: 'pro-rata' });
      // Pro-rata: half the mule's EUR 2,000 is traced, so half of the 600 USDT payout is.
      expect(byName(ledger, raw.endpoints)).toEqual({ exchange: { 0: 300_000_000n } });
      const sheets = Object.fromEntries(balanceSheets(raw).map((s) => [s.asset, { seeded: s.seeded, linkedIn: s.linkedIn, convertedOut: s.convertedOut }]));
      expect(sheets).toEqual({
        EUR: { seeded: new Map([[0, 100_000n]]), linkedIn: new Map(), convertedOut: new Map([[0, 50_000n]]) },
        USDT: { seeded: new Map(), linkedIn: new Map([[0, 300_000_000n]]), convertedOut: new Map() },
      });
      // Edges are listed in trace (time) order; by hop they read as the chain of evidence.
      const edges = raw.edges.map((e) => [ledger.name(e.transfer.fromId), ledger.name(e.transfer.toId), e.outcome, e.hop] as const);
      expect(edges.map((e) => e[0])).toEqual(cryptoTime < 5 ? ['victim', 'otc-wallet', 'mule', 'wallet'] : ['victim', 'mule', 'otc-wallet', 'wallet']);
      expect([...edges].sort((a, b) => a[3] - b[3])).toEqual([
        ['victim', 'mule', 'carried', 1],
        ['mule', 'otc-bank', 'linked', 2],
        ['otc-wallet', 'wallet', 'carried', 3],
        ['wallet', 'exchange', 'endpoint', 4],
      ]);
    });
  });
});
