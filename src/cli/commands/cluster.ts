import { globalOptions, jsonOption, type OptionsOf, type Parent } from '../options.js';

function declareCluster(parent: Parent) {
  return parent
    .command('cluster')
    .description(
      'group wallets and accounts of one owner (deposit reuse, common fee funder, sweep collector, bank holder, manual), with the evidence for each merge',
    )
    .option('--heuristics <list>', 'comma-separated: deposit,funder,sweep,bank-holder,manual', 'deposit,funder,sweep,bank-holder')
    .option('--manual <file>', 'CSV a,b,reason (same owner) or a,b,reason,not (never merge)')
    .option('--deposit-epsilon <x>', 'deposit: a deposit address forwards at least 1 − x of each receipt', '0.01')
    .option('--deposit-window <hours>', 'deposit: forwarding window; a deposit address never holds its balance longer', '48')
    .option('--deposit-max-service-share <x>', "deposit: at most this share of a deposit address's receipts may come from services", '0.5')
    .option('--funder-max-fan-out <n>', 'funder: funders of more wallets than this are services (energy rental)', '20')
    .option('--sweep-share <x>', 'sweep: share of its balance a wallet sends to the collector', '0.95')
    .option('--sweep-window <hours>', 'sweep: hours between the receipt and the sweep', '72')
    .option('--sweep-min-wallets <n>', 'sweep: wallets a collector needs', '2')
    .option('--explain <account>', 'print why this account is in its cluster, as a chain of evidence')
    .addOption(jsonOption('print JSON: {params, clusters, merges, conflicts}'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace cluster --json\n  $ hoptrace cluster --heuristics funder,sweep --funder-max-fan-out 10\n  $ hoptrace cluster --explain TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu\n',
    );
}

export type ClusterCliOptions = OptionsOf<typeof declareCluster>;

export function clusterCommand(parent: Parent): void {
  declareCluster(parent).action(async (options, command) => {
    await (await import('../run/cluster.js')).runCluster(globalOptions(command), options);
  });
}
