import { globalOptions, type OptionsOf, type Parent, requiredOutOption } from '../options.js';

function declareExport(parent: Parent) {
  return parent
    .command('export')
    .description("export the case, its clusters or a trace for graph tools (graphology, GraphML, GEXF, Neo4j, STIX), or the case's own tags as a TagPack")
    .requiredOption('--format <format>', 'graphology | graphml | gexf | neo4j | stix | tagpack')
    .addOption(requiredOutOption('--out <path>', 'output file (a folder for neo4j)'))
    .option('--trace <file>', 'export this trace (hoptrace trace --out FILE) instead of the whole case')
    .option('--clusters', 'only accounts in clusters', false)
    .option('--level <level>', 'account | cluster (one node per cluster, edges summed per asset)', 'account')
    .option('--min-amount <x>', 'leave out transfers smaller than this (asset units)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoptrace export --format graphology --out case.json\n  $ hoptrace export --format gexf --trace trace.json --out trace.gexf\n  $ hoptrace export --format neo4j --out neo4j-import/\n  $ hoptrace export --format tagpack --out case-tags.yaml\n',
    );
}

export type ExportCliOptions = OptionsOf<typeof declareExport>;

export function exportCommand(parent: Parent): void {
  declareExport(parent).action(async (options, command) => {
    if (options.format === 'tagpack') await (await import('../run/tags.js')).runExportTagPack(globalOptions(command), options);
    else await (await import('../run/exportGraph.js')).runExportGraph(globalOptions(command), options);
  });
}
