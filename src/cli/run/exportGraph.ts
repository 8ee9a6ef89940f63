import { exportGraph, GRAPH_FORMATS, type GraphFormat } from '../../export/graph/exportGraph.js';
import { HoptraceError } from '../../model/errors.js';
import { readTraceForReport } from '../../report/validateTrace.js';
import { withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { checkOutputFile, checkOutputFolder } from '../outputPath.js';
import type { ExportCliOptions } from '../commands/export.js';

/** The file names each format is written to (neo4j writes a folder). */
const EXTENSIONS: Record<Exclude<GraphFormat, 'neo4j'>, readonly string[]> = {
  graphology: ['.json'],
  graphml: ['.graphml', '.xml'],
  gexf: ['.gexf'],
  stix: ['.json'],
};

export async function runExportGraph(globals: GlobalOptions, options: ExportCliOptions): Promise<void> {
  const format = GRAPH_FORMATS.find((name) => name === options.format);
  if (format === undefined)
    throw new HoptraceError(`unknown export format ${JSON.stringify(options.format)}`, { hint: `use one of tagpack, ${GRAPH_FORMATS.join(', ')}` });
  const level = options.level;
  if (level !== 'account' && level !== 'cluster') throw new HoptraceError(`--level ${JSON.stringify(level)}: use account or cluster`);
  if (format === 'neo4j') checkOutputFolder(options.out, '--out');
  else checkOutputFile(options.out, '--out', EXTENSIONS[format]);
  if (options.trace !== undefined && (options.minAmount !== undefined || options.clusters))
    throw new HoptraceError(`${options.minAmount !== undefined ? '--min-amount' : '--clusters'} selects from the whole case, not from --trace`, {
      hint: 'a trace exports the transfers that carried traced money: leave the option out, or --trace',
    });
  const trace = options.trace ? readTraceForReport(options.trace) : undefined;
  const counts = await withCase(globals, (db) =>
    exportGraph(db, {
      format,
      out: options.out,
      level,
      clusters: options.clusters,
      ...(trace ? { trace } : {}),
      ...(options.minAmount ? { minAmount: options.minAmount } : {}),
    }),
  );
  process.stderr.write(`${options.out}: ${options.format}, ${counts.nodes} nodes, ${counts.edges} edges\n`);
}
