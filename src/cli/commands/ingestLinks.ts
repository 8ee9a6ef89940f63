import { globalOptions, type Parent } from '../options.js';

export function ingestLinksCommand(parent: Parent): void {
  parent
    .command('links')
    .description('exchange / OTC returns tying a fiat payment to a crypto transfer (CSV fiat_ref,crypto_ref)')
    .argument('<files...>', 'links CSV files')
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest links samples/links/golden-lotus-otc-return.csv\n')
    .action(async (files, _options, command) => {
      await (await import('../run/ingestLinks.js')).runIngestLinks(globalOptions(command), files);
    });
}
