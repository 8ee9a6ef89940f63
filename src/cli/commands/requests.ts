import { globalOptions, noTimestampOption, type OptionsOf, type Parent, requiredOutOption } from '../options.js';

function declareRequests(parent: Parent) {
  return parent
    .command('requests')
    .description('preservation, disclosure and freeze requests from a trace: one letter per exchange, issuer and bank, and requests.csv')
    .argument('<trace>', 'a trace result (hoptrace trace … --out trace.json)')
    .addOption(requiredOutOption('--out <dir>', 'a new or empty folder for the letters'))
    .option('--template <dir>', "your agency's templates: service.md, issuer.md, bank.md (default: hoptrace's templates/requests/)")
    .option('--status <file>', 'the JSON of hoptrace status for this trace: balances and freezes now')
    .addOption(noTimestampOption('leave the date out (byte-identical letters)'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace requests trace.json --out requests\n  $ hoptrace requests trace.json --template templates/requests --out letters --no-timestamp\n',
    );
}

export type RequestsCliOptions = OptionsOf<typeof declareRequests>;

export function requestsCommand(parent: Parent): void {
  declareRequests(parent).action(async (traceFile, options, command) => {
    await (await import('../run/requests.js')).runRequests(globalOptions(command), traceFile, options);
  });
}
