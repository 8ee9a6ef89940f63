import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareVerify(parent: Parent) {
  return parent
    .command('verify')
    .description('re-hash every recorded source file and check the case file; non-zero exit on any mismatch')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace --db case.db verify\n');
}

export type VerifyCliOptions = OptionsOf<typeof declareVerify>;

export function verifyCommand(parent: Parent): void {
  declareVerify(parent).action(async (options, command) => {
    await (await import('../run/verify.js')).runVerify(globalOptions(command), options);
  });
}
