import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareExchangeMovements(parent: Parent) {
  return parent
    .command('exchange-movements')
    .description('deposits and withdrawals of the exchange returns in the case, with the on-chain transfer each was matched to, or why not')
    .option('--unmatched', 'only those the chain data could not match', false)
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  $ hoptrace exchange-movements --unmatched\n');
}

export type ExchangeMovementsCliOptions = OptionsOf<typeof declareExchangeMovements>;

export function exchangeMovementsCommand(parent: Parent): void {
  declareExchangeMovements(parent).action(async (options, command) => {
    await (await import('../run/ingestExchange.js')).runExchangeMovements(globalOptions(command), options);
  });
}
