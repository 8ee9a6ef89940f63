import { globalOptions, type Parent } from '../options.js';

export function removeSourceCommand(parent: Parent): void {
  parent
    .command('remove-source')
    .description('undo one import: what only that source brought goes; clusters and findings become stale (logged)')
    .argument('<source>', 'source id or path, as hoptrace sources prints it')
    .addHelpText('after', '\nExample:\n  $ hoptrace remove-source 1\n')
    .action(async (which, _options, command) => {
      await (await import('../run/sources.js')).runRemoveSource(globalOptions(command), which);
    });
}
