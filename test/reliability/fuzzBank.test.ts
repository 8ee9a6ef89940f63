import { describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { fixture, ROOT } from '../support/cli.js';
import { FUZZ_RUNS, fuzzIngest } from '../support/fuzz.js';
import { join } from 'node:path';

const FIXTURES: [string, string, { profile?: string; account?: string }][] = [
  ['generic (demo mule statement)', join(ROOT, 'samples', 'bank', 'mule-kevin-schulz.csv'), { profile: 'generic', account: 'DE29100100100987654321' }],
  ['ING Germany', fixture('ing-de-n26-jheimbach', 'ing_de_current_format.csv'), {}],
  ['ING Netherlands (demo victim statement)', join(ROOT, 'samples', 'bank', 'victim-sanne-de-vries-ing-nl.csv'), {}],
  ['camt.053', fixture('camt-genkgo', 'camt053.v2.all-balance-types.xml'), {}],
  ['MT940 (ING NL)', fixture('mt940-wolph', 'jejik', 'ing.sta'), {}],
];

describe(`fuzzed bank statement readers (${FUZZ_RUNS} mutated real files each)`, () => {
  it.each(FIXTURES)(
    '%s: only clean FILE:LINE errors, never a crash or a partial import',
    async (_name, path, options) => {
      const outcome = await fuzzIngest(path, (db, input) => ingestBankFiles(db, [input], options));
      expect(outcome.imported + outcome.rejected).toBe(FUZZ_RUNS);
      expect(outcome.rejected).toBeGreaterThan(0);
    },
    600_000,
  );
});
