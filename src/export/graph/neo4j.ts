import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GraphEdge, GraphNode, GraphWriter } from './model.js';
import { csvCell } from '../../model/csv.js';
import { FileSink } from './sink.js';

export const NEO4J_NODE_HEADER = 'id:ID,rail,ident,label,labels:string[],categories:string[],cluster:long,size:long,:LABEL';
export const NEO4J_EDGE_HEADER = ':START_ID,:END_ID,ref,seq:long,time:datetime,asset,amount,traced,hop:int,count:long,:TYPE';
export const NEO4J_CONVERSION_HEADER =
  ':START_ID,:END_ID,fiatRef,fiatTime:datetime,fiatAmount,fiatAsset,cryptoRef,cryptoTime:datetime,cryptoAmount,cryptoAsset,rate,rateFraction,fiatTraced,traced,tracedBySeed,tracedByVictim,hop:int,count:long,:TYPE';

/**
 * neo4j-admin import CSV in a folder: nodes.csv (label Account, plus one label per category) and
 * transfers.csv (type TRANSFER), conversions.csv (type CONVERSION: one per link, fiat recipient →
 * crypto sender; per-victim shares as JSON). Arrays use ';'. Import with
 *   neo4j-admin database import full --nodes=nodes.csv --relationships=transfers.csv --relationships=conversions.csv --array-delimiter=";" neo4j
 */
export class Neo4jWriter implements GraphWriter {
  private readonly nodes: FileSink;
  private readonly edges: FileSink;
  private readonly conversions: FileSink;

  constructor(private readonly folder: string) {
    // Written in the folder when it is there, else beside it (it is made once the files are
    // whole), each put in place by commit() (FileSink).
    const partials = existsSync(folder) ? folder : dirname(resolve(folder));
    const sinks: FileSink[] = [];
    try {
      for (const name of ['nodes.csv', 'transfers.csv', 'conversions.csv']) sinks.push(new FileSink(join(folder, name), partials));
    } catch (error) {
      for (const sink of sinks) sink.discard();
      throw error;
    }
    [this.nodes, this.edges, this.conversions] = sinks as [FileSink, FileSink, FileSink];
  }

  begin(): void {
    this.nodes.write(NEO4J_NODE_HEADER + '\n');
    this.edges.write(NEO4J_EDGE_HEADER + '\n');
    this.conversions.write(NEO4J_CONVERSION_HEADER + '\n');
  }

  node(node: GraphNode): void {
    const labels = ['Account', ...node.categories.map((c) => c.replace(/(^|_)(\w)/g, (_m, _s, ch: string) => ch.toUpperCase()))].join(';');
    this.nodes.write(
      [node.key, node.rail, node.ident, node.label, node.labels.join(';'), node.categories.join(';'), node.cluster, node.size, labels].map(csvCell).join(',') +
        '\n',
    );
  }

  startEdges(): void {}

  edge(edge: GraphEdge): void {
    const c = edge.conversion;
    if (c) {
      const json = (value: Record<string, string> | null): string | null => (value === null ? null : JSON.stringify(value));
      this.conversions.write(
        [
          edge.source,
          edge.target,
          c.fiatRef,
          c.fiatTime,
          c.fiatAmount,
          c.fiatAsset,
          c.cryptoRef,
          c.cryptoTime,
          c.cryptoAmount,
          c.cryptoAsset,
          c.rate,
          c.rateFraction,
          c.fiatTraced,
          edge.traced,
          json(c.tracedBySeed),
          json(c.tracedByVictim),
          edge.hop,
          edge.count,
          'CONVERSION',
        ]
          .map(csvCell)
          .join(',') + '\n',
      );
      return;
    }
    this.edges.write(
      [edge.source, edge.target, edge.ref, edge.seq, edge.time, edge.asset, edge.amount, edge.traced, edge.hop, edge.count, 'TRANSFER'].map(csvCell).join(',') +
        '\n',
    );
  }

  end(): void {}

  /** The three files put in place, in the folder (made if missing). */
  commit(): void {
    mkdirSync(this.folder, { recursive: true });
    for (const sink of [this.nodes, this.edges, this.conversions]) sink.commit();
  }

  discard(): void {
    for (const sink of [this.nodes, this.edges, this.conversions]) sink.discard();
  }
}
