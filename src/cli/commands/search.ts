import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareSearch(parent: Parent) {
  return parent
    .command('search')
    .description('find accounts (ident prefix, holder name, tag label) and transfers (tx hash, bank reference)')
    .argument('<text>', 'what to look for')
    .addOption(jsonOption('print JSON: {query, accounts, transfers}'))
    .addHelpText('after', '\nExamples:\n  $ hoptrace search Lotus\n  $ hoptrace search DE68 --json\n');
}

export type SearchCliOptions = OptionsOf<typeof declareSearch>;

export function searchCommand(parent: Parent): void {
  declareSearch(parent).action(async (text, options, command) => {
    await (await import('../run/explore.js')).runSearch(globalOptions(command), text, options);
  });
}
