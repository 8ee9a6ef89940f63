import { Option } from '@commander-js/extra-typings';
import { globalOptions, type OptionsOf, type Parent, requiredOutOption } from '../options.js';

function declareExport(parent: Parent) {
  return parent
    .command('export')
    .description("export the case, its clusters or a trace for graph tools (graphology, GraphML, GEXF, Neo4j, STIX), or the case's own tags as a TagPack")
    .addOption(
      new Option('--format <format>', "graph format, or tagpack for the case's own tags")
        .choices(['graphology', 'graphml', 'gexf', 'neo4j', 'stix', 'tagpack'])
        .makeOptionMandatory(),
    )
    .addOption(requiredOutOption('--out <path>', 'output file (a folder for neo4j)'))
    .option('--trace <file>', 'export this trace (hoptrace trace --out FILE) instead of the whole case')
    .option('--clusters', 'only accounts in clusters', false)
    .addOption(
      new Option('--level <level>', 'one node per account, or per cluster (edges summed per asset)').choices(['account', 'cluster']).default('account'),
    )
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
