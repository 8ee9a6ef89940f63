import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphEdge, GraphNode, GraphWriter } from './model.js';
import { csvCell } from '../../model/csv.js';
import { FileSink } from './sink.js';

export const NEO4J_NODE_HEADER = 'id:ID,rail,ident,label,labels:string[],categories:string[],cluster:long,size:long,:LABEL';
export const NEO4J_EDGE_HEADER = ':START_ID,:END_ID,ref,seq:long,time:datetime,asset,amount,traced,hop:int,count:long,:TYPE';

/**
 * neo4j-admin import CSV in a folder: nodes.csv (label Account, plus one label per category) and
 * transfers.csv (type TRANSFER). Arrays use ';'. Import with
 *   neo4j-admin database import full --nodes=nodes.csv --relationships=transfers.csv --array-delimiter=";" neo4j
 */
export class Neo4jWriter implements GraphWriter {
  private readonly nodes: FileSink;
  private readonly edges: FileSink;

  constructor(folder: string) {
    mkdirSync(folder, { recursive: true });
    this.nodes = new FileSink(join(folder, 'nodes.csv'));
    this.edges = new FileSink(join(folder, 'transfers.csv'));
  }

  begin(): void {
    this.nodes.write(NEO4J_NODE_HEADER + '\n');
    this.edges.write(NEO4J_EDGE_HEADER + '\n');
  }

  node(node: GraphNode): void {
    const labels = ['Account', ...node.categories.map((c) => c.replace(/(^|_)(\w)/g, (_m, _s, ch: string) => ch.toUpperCase()))].join(';');
    this.nodes.write([node.key, node.rail, node.ident, node.label, node.labels.join(';'), node.categories.join(';'), node.cluster, node.size, labels].map(csvCell).join(',') + '\n');
  }

  startEdges(): void {}

  edge(edge: GraphEdge): void {
    this.edges.write([edge.source, edge.target, edge.ref, edge.seq, edge.time, edge.asset, edge.amount, edge.traced, edge.hop, edge.count, 'TRANSFER'].map(csvCell).join(',') + '\n');
  }

  end(): void {
    this.nodes.close();
    this.edges.close();
  }
}
