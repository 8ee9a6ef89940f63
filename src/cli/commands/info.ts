import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareInfo(parent: Parent) {
  return parent
    .command('info')
    .description('what the case file holds: counts, sums per asset, sources with their SHA-256, rejected rows')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace info --json\n');
}

export type InfoCliOptions = OptionsOf<typeof declareInfo>;

export function infoCommand(parent: Parent): void {
  declareInfo(parent).action(async (options, command) => {
    await (await import('../run/info.js')).runInfo(globalOptions(command), options);
  });
}
