import { describe, expect, it } from 'vitest';
import type { RuleName } from '../../src/model/trace.js';
import { traceLedger } from '../../src/trace/engine.js';
import type { RawTrace } from '../../src/trace/rawTrace.js';
import { MemoryLedger } from '../support/memoryLedger.js';
import { LEDGER_KINDS } from '../support/sqliteCopy.js';

/** Amounts in whole units of a 2-decimal currency, as the worked examples state them. */
const u = (value: number): bigint => BigInt(Math.round(value * 100));

function endpointAmount(raw: RawTrace, ledger: MemoryLedger, name: string): bigint {
  const found = raw.endpoints.find((e) => ledger.name(e.accountId) === name);
  return found ? [...found.bySeed.values()].reduce((a, b) => a + b, 0n) : 0n;
}

function heldAmount(raw: RawTrace, ledger: MemoryLedger, name: string): bigint {
  const found = raw.held.find((h) => ledger.name(h.accountId) === name);
  return found ? [...found.bySeed.values()].reduce((a, b) => a + b, 0n) : 0n;
}

/**
 * The mule ledger of the worked examples: t1 +1,000 own; t2 +3,000 victim; t3 −2,500 to W1; t4 +2,000 other;
 * t5 −3,000 to W2. W1 and W2 are exchange wallets, so what reaches them stops there.
 */
function muleLedger(): { ledger: MemoryLedger; seed: ReturnType<MemoryLedger['add']> } {
  const ledger = new MemoryLedger();
  ledger.add('own', 'mule', u(1000), 1, 'EUR', 2);
  const seed = ledger.add('victim', 'mule', u(3000), 2, 'EUR', 2);
  ledger.add('mule', 'W1', u(2500), 3, 'EUR', 2);
  ledger.add('other', 'mule', u(2000), 4, 'EUR', 2);
  ledger.add('mule', 'W2', u(3000), 5, 'EUR', 2);
  ledger.tag('W1', { category: 'exchange', labels: ['W1'] });
  ledger.tag('W2', { category: 'exchange', labels: ['W2'] });
  return { ledger, seed };
}

describe.each(LEDGER_KINDS)('on the %s', (_kind, backend) => {
  describe('the mule ledger under each rule', () => {
    const expected: Record<RuleName, [number, number, number]> = {
      fifo: [1500, 1500, 0],
      lifo: [2500, 500, 0],
      'pro-rata': [1875, 964.28, 160.72],
      libr: [1500, 1000, 500],
      poison: [2500, 3000, 3000],
    };
    it.each(Object.entries(expected) as [RuleName, [number, number, number]][])('%s: W1 %s, W2 %s, held %s', (rule, [w1, w2, held]) => {
      const { ledger, seed } = muleLedger();
      const raw = traceLedger(backend(ledger), [seed], { rule });
      expect(endpointAmount(raw, ledger, 'W1')).toBe(u(w1));
      expect(endpointAmount(raw, ledger, 'W2')).toBe(u(w2));
      // Under poison the mule stays tainted: its whole remaining balance (500) is "held", capped by the taint.
      expect(heldAmount(raw, ledger, 'mule')).toBe(rule === 'poison' ? u(500) : u(held));
    });
  });

  describe('Roscoe v Winder under LIBR', () => {
    it('keeps only the lowest intermediate balance traceable: 455 in, down to 25, refilled to 358 → 25', () => {
      const ledger = new MemoryLedger();
      const seed = ledger.add('victim', 'winder', u(455), 1, 'GBP', 2);
      ledger.add('winder', 'spent', u(430), 2, 'GBP', 2);
      ledger.add('own', 'winder', u(333), 3, 'GBP', 2);
      const raw = traceLedger(backend(ledger), [seed], { rule: 'libr' });
      expect(heldAmount(raw, ledger, 'winder')).toBe(u(25));
      expect(heldAmount(raw, ledger, 'spent')).toBe(u(430));
    });
  });
});
