import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareEndpoints(parent: Parent) {
  return parent
    .command('endpoints')
    .description('accounts in endpoint categories: where traced money stops')
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace endpoints\n');
}

export type EndpointsCliOptions = OptionsOf<typeof declareEndpoints>;

export function endpointsCommand(parent: Parent): void {
  declareEndpoints(parent).action(async (options, command) => {
    await (await import('../run/tags.js')).runEndpoints(globalOptions(command), options);
  });
}
