import { globalOptions, jsonOption, type OptionsOf, type Parent, withTraceLimits } from '../options.js';

function declareCompare(parent: Parent) {
  const command = parent
    .command('compare')
    .description('the range of opinion: the same seeds traced under several rules, per victim and per endpoint side by side, the largest spread flagged')
    .argument('<seeds...>', 'tx hash[:logIndex], bank reference, account:IDENT or transfer:ID')
    .option('--rules <list>', 'comma-separated rules', 'fifo,lifo,libr,pro-rata');
  return withTraceLimits(command)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace compare account:DE68500105174417320965\n  $ hoptrace --db case.db compare account:DE68500105174417320965 --rules fifo,libr --max-hops 6 --min-amount EUR=100,USDT=100 --json\n',
    );
}

export type CompareCliOptions = OptionsOf<typeof declareCompare>;

export function compareCommand(parent: Parent): void {
  declareCompare(parent).action(async (seeds, options, command) => {
    await (await import('../run/compare.js')).runCompare(globalOptions(command), seeds, options);
  });
}
