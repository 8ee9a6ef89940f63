import { Option } from '@commander-js/extra-typings';
import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestTags(parent: Parent) {
  return parent
    .command('tags')
    .description('attribution: OFAC lists and SDN XML, GraphSense TagPacks, tag CSVs (chain,address,category,label,confidence,source)')
    .argument('<files...>', 'attribution files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'ofac', 'tagpack', 'csv']).default('auto'))
    .addOption(skipBadOption('store the good tags, record each bad one (shown by info)'))
    .addOption(quietOption('no per-file lines'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace ingest tags adapters/tags/starter/ofac-sdn-2025-11-19.csv\n  $ hoptrace ingest tags test/fixtures/ofac-sdn-digital-currency/brave-intl_lists_2025-12-04/sanctioned_addresses_USDT.txt test/fixtures/graphsense-tagpacks/packs/exchange-wallets-binance.yaml samples/attribution/demo-tags.csv\n',
    );
}

export type IngestTagsCliOptions = OptionsOf<typeof declareIngestTags>;

export function ingestTagsCommand(parent: Parent): void {
  declareIngestTags(parent).action(async (files, options, command) => {
    await (await import('../run/tags.js')).runIngestTags(globalOptions(command), files, options);
  });
}
