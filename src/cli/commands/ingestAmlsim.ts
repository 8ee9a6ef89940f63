import { globalOptions, type OptionsOf, type Parent, skipBadOption } from '../options.js';

function declareIngestAmlsim(parent: Parent) {
  return parent
    .command('amlsim')
    .description('IBM AMLSim transactions CSV (sourceNodeId,targetNodeId,value,time), for measuring the detectors')
    .argument('<files...>', 'AMLSim transactions files')
    .addOption(skipBadOption('store the good rows, record each bad one'))
    .addHelpText('after', '\nExample:\n  $ hoptrace ingest amlsim test/fixtures/amlsim-ibm/20K_fanin200cycle200/transactions.part1.csv\n');
}

export type IngestAmlsimCliOptions = OptionsOf<typeof declareIngestAmlsim>;

export function ingestAmlsimCommand(parent: Parent): void {
  declareIngestAmlsim(parent).action(async (files, options, command) => {
    await (await import('../run/detect.js')).runIngestAmlsim(globalOptions(command), files, options);
  });
}
