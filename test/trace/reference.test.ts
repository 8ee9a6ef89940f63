import { describe, expect, it } from 'vitest';
import { traceLedger } from '../../src/trace/engine.js';
import { randomCase } from '../support/randomLedger.js';
import { LEDGER_KINDS } from '../support/sqliteCopy.js';
import { asReference, referenceLimits, referenceTrace, type ReferenceRule } from '../support/referenceTracer.js';

const RULES: ReferenceRule[] = ['fifo', 'lifo', 'libr', 'pro-rata'];

describe.each(LEDGER_KINDS)('on the %s', (_kind, backend) => {
  describe('the engine against an independent naive replay of every transfer', () => {
    it.each(RULES)('%s agrees to the minor unit on 500 random ledgers', (rule) => {
      for (let n = 0; n < 500; n++) {
        const { ledger, seeds, options } = randomCase(9000 + n);
        if (seeds.length === 0) continue;
        const endpoints = new Set(ledger.transfers.flatMap((t) => [t.fromId, t.toId]).filter((id) => ledger.endpointOf(id)));
        const expected = referenceTrace(
          ledger.transfers,
          seeds.map((s) => s.id),
          endpoints,
          rule,
          referenceLimits(options),
          ledger.openings,
          undefined,
          ledger.linkMap(),
        );
        expect(asReference(traceLedger(backend(ledger), seeds, { rule, ...options })), `ledger ${9000 + n}`).toEqual(expected);
      }
    });
  });
});
