import { jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareProfiles(parent: Parent) {
  return parent
    .command('profiles')
    .description('the built-in bank profiles (name, country, bank, header signature) and statement formats')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace profiles --json\n');
}

export type ProfilesCliOptions = OptionsOf<typeof declareProfiles>;

export function profilesCommand(parent: Parent): void {
  declareProfiles(parent).action(async (options) => {
    (await import('../run/profiles.js')).runProfiles(options);
  });
}
