import { globalOptions, type OptionsOf, type Parent, quietOption, skipBadOption } from '../options.js';

function declareIngestBlacklist(parent: Parent) {
  return parent
    .command('blacklist')
    .description('Tether USDT freeze events (AddedBlackList, RemovedBlackList, DestroyedBlackFunds): Dune address,time,chain exports or decoded event tables')
    .argument('<files...>', 'event lists')
    .addOption(skipBadOption())
    .addOption(quietOption('no per-file lines'))
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest blacklist test/fixtures/usdt-blacklist-dune-criptoanalyst/usdt_blacklist.csv\n');
}

export type IngestBlacklistCliOptions = OptionsOf<typeof declareIngestBlacklist>;

export function ingestBlacklistCommand(parent: Parent): void {
  declareIngestBlacklist(parent).action(async (files, options, command) => {
    await (await import('../run/ingestBlacklist.js')).runIngestBlacklist(globalOptions(command), files, options);
  });
}
