import { exportGraph, GRAPH_FORMATS, type GraphFormat } from '../../export/graph/exportGraph.js';
import { HoptraceError } from '../../model/errors.js';
import { readTraceFile } from '../../trace/readTraceFile.js';
import { withCase, type GlobalOptions } from '../context.js';
import { checkOutputFile, checkOutputFolder } from '../outputPath.js';

export interface ExportCliOptions {
  format: string;
  out: string;
  trace?: string;
  clusters: boolean;
  level: string;
  minAmount?: string;
}

/** The file names each format is written to (neo4j writes a folder). */
const EXTENSIONS: Record<Exclude<GraphFormat, 'neo4j'>, readonly string[]> = {
  graphology: ['.json'],
  graphml: ['.graphml', '.xml'],
  gexf: ['.gexf'],
  stix: ['.json'],
};

export async function runExportGraph(globals: GlobalOptions, options: ExportCliOptions): Promise<void> {
  if (!(GRAPH_FORMATS as readonly string[]).includes(options.format)) throw new HoptraceError(`unknown export format ${JSON.stringify(options.format)}`, { hint: `use one of tagpack, ${GRAPH_FORMATS.join(', ')}` });
  if (options.level !== 'account' && options.level !== 'cluster') throw new HoptraceError(`--level ${JSON.stringify(options.level)}: use account or cluster`);
  if (options.format === 'neo4j') checkOutputFolder(options.out, '--out');
  else checkOutputFile(options.out, '--out', EXTENSIONS[options.format as Exclude<GraphFormat, 'neo4j'>]);
  const trace = options.trace ? readTraceFile(options.trace) : undefined;
  const counts = await withCase(globals, (db) =>
    exportGraph(db, {
      format: options.format as GraphFormat,
      out: options.out,
      level: options.level as 'account' | 'cluster',
      clusters: options.clusters,
      ...(trace ? { trace } : {}),
      ...(options.minAmount ? { minAmount: options.minAmount } : {}),
    }),
  );
  process.stderr.write(`${options.out}: ${options.format}, ${counts.nodes} nodes, ${counts.edges} edges\n`);
}
