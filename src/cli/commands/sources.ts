import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareSources(parent: Parent) {
  return parent
    .command('sources')
    .description('every import in the case file: id, path, SHA-256, size, adapter, options, rows, when')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace sources --json\n');
}

export type SourcesCliOptions = OptionsOf<typeof declareSources>;

export function sourcesCommand(parent: Parent): void {
  declareSources(parent).action(async (options, command) => {
    await (await import('../run/sources.js')).runSources(globalOptions(command), options);
  });
}
