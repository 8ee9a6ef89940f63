import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareTags(parent: Parent) {
  return parent
    .command('tags')
    .description('list attribution tags (every label kept, conflicting ones too)')
    .option('--account <ident>', 'only this account')
    .option('--category <category>', 'only this category')
    .addOption(jsonOption('print JSON: [{rail, ident, category, label, confidence, origin}]'))
    .addHelpText('after', '\nExample:\n  $ hoptrace tags --category sanctioned --json\n');
}

export type TagsCliOptions = OptionsOf<typeof declareTags>;

export function tagsCommand(parent: Parent): void {
  declareTags(parent).action(async (options, command) => {
    await (await import('../run/tags.js')).runTags(globalOptions(command), options);
  });
}
