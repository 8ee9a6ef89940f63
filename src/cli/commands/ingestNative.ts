import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestNative(parent: Parent) {
  return parent
    .command('native')
    .description('TRX and ETH transfers (who paid the fees, for clustering): TronGrid transactions pages, Etherscan transactions CSV')
    .argument('<files...>', 'export files')
    .addOption(skipBadOption())
    .addOption(quietOption('no per-file lines'))
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest native samples/native/tron-fee-funding.trongrid.json\n');
}

export type IngestNativeCliOptions = OptionsOf<typeof declareIngestNative>;

export function ingestNativeCommand(parent: Parent): void {
  declareIngestNative(parent).action(async (files, options, command) => {
    await (await import('../run/cluster.js')).runIngestNative(globalOptions(command), files, options);
  });
}
