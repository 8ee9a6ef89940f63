import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareTransfers(parent: Parent) {
  return parent
    .command('transfers')
    .description('transfers in time order, a page at a time: of one account, within a period')
    .option('--account <ident>', "only this account's transfers (either side)")
    .option('--from <time>', 'from this time (date, UTC time or ms)')
    .option('--to <time>', 'up to this time (date, UTC time or ms)')
    .option('--limit <n>', 'transfers per page', '50')
    .option('--cursor <next>', 'the next page (printed after a full page)')
    .addOption(jsonOption('print JSON: {transfers, next}'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace transfers --account DE68500105174417320965\n  $ hoptrace transfers --from 2025-03-01 --to 2025-03-31 --limit 20 --json\n',
    );
}

export type TransfersCliOptions = OptionsOf<typeof declareTransfers>;

export function transfersCommand(parent: Parent): void {
  declareTransfers(parent).action(async (options, command) => {
    await (await import('../run/explore.js')).runTransfers(globalOptions(command), options);
  });
}
