import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareFindings(parent: Parent) {
  return parent
    .command('findings')
    .description('the typology findings stored in the case file')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace findings --json\n');
}

export type FindingsCliOptions = OptionsOf<typeof declareFindings>;

export function findingsCommand(parent: Parent): void {
  declareFindings(parent).action(async (options, command) => {
    await (await import('../run/detect.js')).runFindings(globalOptions(command), options);
  });
}
