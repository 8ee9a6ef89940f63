import { Option } from '@commander-js/extra-typings';
import { globalOptions, jsonOption, noTimestampOption, type OptionsOf, outOption, type Parent, quietOption, withTraceLimits } from '../options.js';

function declareTrace(parent: Parent) {
  const command = parent
    .command('trace')
    .description('follow victim payments hop by hop under a tracing rule, to endpoints and freeze candidates')
    .argument('<seeds...>', 'tx hash[:logIndex], bank reference, account:IDENT or transfer:ID')
    .addOption(new Option('--rule <rule>', 'tracing rule').choices(['fifo', 'lifo', 'pro-rata', 'libr', 'poison']).default('fifo'));
  return withTraceLimits(command)
    .option('--compare <rules>', 'with --report: also trace under these rules and add "Sensitivity to the tracing rule"')
    .addOption(jsonOption('print the JSON result'))
    .addOption(outOption('--out <file>', 'write the JSON result to a file'))
    .option('--report <file>', 'also write a report (.html, .md, .csv or .json by extension)')
    .addOption(noTimestampOption('leave the date out of the report'))
    .addOption(new Option('--fetch <rail>', 'crawl: fetch each newly reached account live, then trace again').choices(['evm', 'tron']))
    .option('--rpc <url>', 'with --fetch evm: JSON-RPC endpoint')
    .option('--api <url>', 'with --fetch tron: TronGrid-compatible API')
    .option('--max-accounts <n>', 'with --fetch: accounts to fetch at most', '200')
    .option('--token <addr>', 'with --fetch: token contract, or "all" (default: USDT)')
    .option('--from-block <n>', 'with --fetch evm: first block')
    .option('--to-block <n>', 'with --fetch evm: last block')
    .option('--confirmations <n>', 'with --fetch evm: blocks short of the head', '12')
    .option('--concurrency <n>', 'with --fetch evm: requests in flight', '4')
    .addOption(quietOption('with --fetch: no progress on stderr'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace trace account:DE68500105174417320965 --rule libr\n  $ hoptrace trace 0x6a38a1a1197309a225805bde5809315249d3bc15f210c6026b580ed0549bdd17 --max-hops 6 --json --out trace.json\n  $ hoptrace trace account:DE68500105174417320965 --until 2025-03-20 --report trace.html\n  $ hoptrace trace 0x6a38a1a1197309a225805bde5809315249d3bc15f210c6026b580ed0549bdd17 --fetch evm --rpc http://127.0.0.1:8545 --max-hops 8 --max-accounts 100\n',
    );
}

export type TraceCliOptions = OptionsOf<typeof declareTrace>;

export function traceCommand(parent: Parent): void {
  declareTrace(parent).action(async (seeds, options, command) => {
    const { checkCrawlOptions, runTrace } = await import('../run/trace.js');
    checkCrawlOptions(options.fetch, (key) => command.getOptionValueSource(key) === 'cli');
    await runTrace(globalOptions(command), seeds, options);
  });
}
