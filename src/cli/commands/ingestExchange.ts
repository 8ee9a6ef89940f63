import { Option } from '@commander-js/extra-typings';
import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestExchange(parent: Parent) {
  return parent
    .command('exchange')
    .description(
      'exchange returns: deposit and withdrawal history of a customer account, CSV or XLSX (generic layout, Binance, OKX, Kraken, Bybit, Bittrex, Poloniex)',
    )
    .argument('<files...>', 'exchange exports')
    .option(
      '--profile <name>',
      'generic, binance-deposits, binance-withdrawals, binance-statement, okx-le-return, kraken-ledger, bybit-funding, bittrex-transactions, bittrex-deposits, bittrex-withdrawals, poloniex-withdrawals, or auto',
      'auto',
    )
    .option('--exchange <name>', 'the exchange, when the layout does not say it')
    .option('--account <id>', 'the customer account (User_ID, UID), when the file does not say it')
    .addOption(new Option('--direction <direction>', 'for a history export that does not say it').choices(['deposit', 'withdrawal']))
    .option('--sheet <name|n>', 'XLSX returns: the sheet to read (default: the first with a known header)')
    .addOption(skipBadOption())
    .addOption(quietOption('no per-file lines'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace ingest exchange samples/exchange/exchange-one-return.csv\n  $ hoptrace ingest exchange test/fixtures/binance-withdrawals-metko21neon/binance_withdrawals.csv --profile binance-withdrawals --account 4411\n',
    );
}

export type IngestExchangeCliOptions = OptionsOf<typeof declareIngestExchange>;

export function ingestExchangeCommand(parent: Parent): void {
  declareIngestExchange(parent).action(async (files, options, command) => {
    await (await import('../run/ingestExchange.js')).runIngestExchange(globalOptions(command), files, options);
  });
}
