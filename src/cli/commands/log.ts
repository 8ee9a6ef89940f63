import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareLog(parent: Parent) {
  return parent
    .command('log')
    .description('the audit log: every change to the case file, hash-chained (verify checks the chain)')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace log --json\n');
}

export type LogCliOptions = OptionsOf<typeof declareLog>;

export function logCommand(parent: Parent): void {
  declareLog(parent).action(async (options, command) => {
    await (await import('../run/log.js')).runLog(globalOptions(command), options);
  });
}
