import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareAccount(parent: Parent) {
  return parent
    .command('account')
    .description('what the case knows about one account: balances per asset, counts, first/last, tags with sources, cluster, findings, notes')
    .argument('<ident>', 'IBAN, address, RAIL:IDENT or account:IDENT')
    .addOption(jsonOption())
    .addHelpText('after', '\nExamples:\n  $ hoptrace account DE80700700100777888999\n  $ hoptrace account tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr --json\n');
}

export type AccountCliOptions = OptionsOf<typeof declareAccount>;

export function accountCommand(parent: Parent): void {
  declareAccount(parent).action(async (ident, options, command) => {
    await (await import('../run/explore.js')).runAccount(globalOptions(command), ident, options);
  });
}
