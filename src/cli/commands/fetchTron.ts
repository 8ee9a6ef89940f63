import { globalOptions, type OptionsOf, type Parent, withRequestOptions } from '../options.js';

function declareFetchTron(parent: Parent) {
  const command = parent
    .command('tron')
    .description('TRC-20 transfers of each address from TronGrid v1 (fingerprint paging, rate limit, checkpoints); key from env HOPTRACE_TRONGRID_KEY')
    .requiredOption('--api <url>', 'API base URL, e.g. https://api.trongrid.io')
    .requiredOption('--address <addr...>', 'addresses to fetch')
    .option('--token <addr>', 'token contract, or "all" (default: USDT)')
    .option('--min-timestamp <time>', 'from this time (date, UTC time or ms)')
    .option('--max-timestamp <time>', 'up to this time (date, UTC time or ms)')
    .option('--page-size <n>', 'transfers per page (at most 200)', '200')
    .option('--rate <n>', 'requests per second', '5')
    .addHelpText(
      'after',
      '\nExamples:\n  $ HOPTRACE_TRONGRID_KEY=your-key hoptrace fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx\n  $ hoptrace --db case.db fetch tron --api https://api.trongrid.io --address TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx --min-timestamp 2024-01-01 --max-timestamp 2024-06-30\n',
    );
  return withRequestOptions(command);
}

export type FetchTronCliOptions = OptionsOf<typeof declareFetchTron>;

export function fetchTronCommand(parent: Parent): void {
  declareFetchTron(parent).action(async ({ address, ...options }, command) => {
    await (await import('../run/fetch.js')).runFetchTron(globalOptions(command), address, options);
  });
}
