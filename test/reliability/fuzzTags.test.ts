import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestTagFiles } from '../../src/ingest/ingestTags.js';
import { fixture, ROOT } from '../support/cli.js';
import { FUZZ_RUNS, fuzzIngest } from '../support/fuzz.js';

const FIXTURES: [string, string, 'ofac' | 'tagpack' | 'csv', number | undefined][] = [
  ['OFAC list (txt)', fixture('ofac-sdn-digital-currency', 'brave-intl_lists_2025-12-04', 'sanctioned_addresses_USDT.txt'), 'ofac', undefined],
  ['OFAC SDN XML', fixture('ofac-sdn-digital-currency', 'sdn_advanced_subset', 'sdn_advanced.digital_currency_subset.xml'), 'ofac', undefined],
  ['TagPack', fixture('graphsense-tagpacks', 'packs', 'exchange-wallets-binance.yaml'), 'tagpack', undefined],
  ['tags CSV', join(ROOT, 'samples', 'attribution', 'demo-tags.csv'), 'csv', undefined],
];

describe(`fuzzed tag readers (${FUZZ_RUNS} mutated real files each)`, () => {
  it.each(FIXTURES)(
    '%s: only clean FILE:LINE errors, never a crash or a partial import',
    async (_name, path, format, maxLines) => {
      const outcome = await fuzzIngest(path, (db, input) => ingestTagFiles(db, [input], { format }), maxLines === undefined ? {} : { maxLines });
      expect(outcome.imported + outcome.rejected).toBe(FUZZ_RUNS);
      expect(outcome.rejected).toBeGreaterThan(0);
    },
    600_000,
  );
});
