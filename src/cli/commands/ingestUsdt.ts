import { Option } from '@commander-js/extra-typings';
import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestUsdt(parent: Parent) {
  return parent
    .command('usdt')
    .description('USDT transfers: Etherscan CSV, TronScan API JSON/CSV, eth_getLogs JSON, TronGrid JSON')
    .argument('<files...>', 'export files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'etherscan', 'tronscan', 'rpc-logs', 'trongrid']).default('auto'))
    .option('--token <addr>', 'token contract to keep, or "all" (default: USDT only)')
    .option('--blocks <file>', 'block timestamps for RPC logs without them (JSON)')
    .addOption(skipBadOption())
    .addOption(quietOption('no progress or per-file lines'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace ingest usdt samples/usdt/eth-platform-and-collector.etherscan.csv\n  $ hoptrace --db case.db ingest usdt test/fixtures/trongrid-trc20-ledger-live/fetchTronAccountTxsTrc20.fixture.json --format trongrid --skip-bad\n',
    );
}

export type IngestUsdtCliOptions = OptionsOf<typeof declareIngestUsdt>;

export function ingestUsdtCommand(parent: Parent): void {
  declareIngestUsdt(parent).action(async (files, options, command) => {
    await (await import('../run/ingestUsdt.js')).runIngestUsdt(globalOptions(command), files, options);
  });
}
