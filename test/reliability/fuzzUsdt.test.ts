import { describe, expect, it } from 'vitest';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { fixture } from '../support/cli.js';
import { FUZZ_RUNS, fuzzIngest } from '../support/fuzz.js';

const FIXTURES: [string, string][] = [
  ['etherscan', fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv')],
  ['tronscan', fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv')],
  ['rpc-logs', fixture('ethereum-etl-rpc-fixtures', 'derived', 'usdt_transfer_logs_blocks_17173049_17173050.eth_getLogs.json')],
  ['trongrid', fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json')],
];

describe(`fuzzed USDT adapters (${FUZZ_RUNS} mutated real files each)`, () => {
  it.each(FIXTURES)(
    '%s: only clean FILE:LINE errors, never a crash or a partial import',
    async (format, path) => {
      const outcome = await fuzzIngest(
        path,
        (db, input) => ingestUsdtFiles(db, [input], { format: format as 'etherscan' }),
        format === 'tronscan' ? { maxLines: 120 } : {},
      );
      expect(outcome.imported + outcome.rejected).toBe(FUZZ_RUNS);
      expect(outcome.rejected).toBeGreaterThan(0);
    },
    600_000,
  );
});
