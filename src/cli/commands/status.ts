import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareStatus(parent: Parent) {
  return parent
    .command('status')
    .description("for each wallet where a trace's USDT rests: its balance now, whether Tether froze it, and what can still be frozen")
    .argument('<trace>', 'a trace result (hoptrace trace … --out trace.json)')
    .option('--rpc <url>', 'Ethereum JSON-RPC node: balanceOf at the head block and the freeze events')
    .option('--api <url>', 'TronGrid-compatible API: TRC-20 balances (key from env HOPTRACE_TRONGRID_KEY)')
    .option('--from-block <n>', 'first block to read freeze events from (default 0)')
    .option('--confirmations <n>', 'blocks short of the head to read at', '0')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace status trace.json\n  $ hoptrace status trace.json --api https://api.trongrid.io --json\n  $ hoptrace status trace.json --rpc http://127.0.0.1:8545 --from-block 19000000\n',
    );
}

export type StatusCliOptions = OptionsOf<typeof declareStatus>;

export function statusCommand(parent: Parent): void {
  declareStatus(parent).action(async (traceFile, options, command) => {
    await (await import('../run/status.js')).runStatus(globalOptions(command), traceFile, options);
  });
}
