import { globalOptions, type OptionsOf, type Parent, withRequestOptions } from '../options.js';

function declareFetchEvm(parent: Parent) {
  const command = parent
    .command('evm')
    .description('Transfer logs sent or received by each address (eth_getLogs, adaptive block ranges, checkpoints)')
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint (credentials in it are never stored)')
    .requiredOption('--address <addr...>', 'addresses to fetch')
    .option('--token <addr>', 'token contract, or "all" (default: USDT)')
    .option('--from-block <n>', 'first block (default 0)')
    .option('--to-block <n>', 'last block (default: the head minus --confirmations)')
    .option('--confirmations <n>', 'blocks short of the head to stop at, against reorganisations', '12')
    .option('--concurrency <n>', 'requests in flight', '4')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace fetch evm --rpc http://127.0.0.1:8545 --address 0x28C6c06298d514Db089934071355E5743bf21d60 --from-block 19000000\n  $ hoptrace --db case.db fetch evm --rpc https://user:pass@node.example/ --address 0x090fa40851205443ebe9625ebc941ad9cf93162c 0x15e676c8b69bcf428547f1a46c3697eec92bad10 --concurrency 8\n',
    );
  return withRequestOptions(command);
}

export type FetchEvmCliOptions = OptionsOf<typeof declareFetchEvm>;

export function fetchEvmCommand(parent: Parent): void {
  declareFetchEvm(parent).action(async ({ address, ...options }, command) => {
    await (await import('../run/fetch.js')).runFetchEvm(globalOptions(command), address, options);
  });
}
