import { CONVERSION_KEYS, flatConversion, type GraphEdge, type GraphNode, type GraphWriter } from './model.js';
import { escapeXml, type FileSink } from './sink.js';

const NODE_KEYS: [string, string][] = [
  ['rail', 'string'],
  ['ident', 'string'],
  ['label', 'string'],
  ['labels', 'string'],
  ['categories', 'string'],
  ['cluster', 'long'],
  ['size', 'long'],
  ['tracedIn', 'string'],
];
const EDGE_KEYS: [string, string][] = [
  ['ref', 'string'],
  ['seq', 'long'],
  ['time', 'string'],
  ['asset', 'string'],
  ['amount', 'string'],
  ['traced', 'string'],
  ['hop', 'int'],
  ['count', 'long'],
  ['kind', 'string'],
  ...CONVERSION_KEYS.map((name): [string, string] => [name, 'string']),
];

const EDGE_NAMES = EDGE_KEYS.map(([name]) => name);

/** GraphML with every attribute declared as a typed <key> (Gephi, Cytoscape, yEd, NetworkX). */
export class GraphmlWriter implements GraphWriter {
  constructor(private readonly sink: FileSink) {}

  begin(meta: { title: string; created: string }): void {
    this.sink.write(
      '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    );
    for (const [name, type] of NODE_KEYS) this.sink.write(`  <key id="n_${name}" for="node" attr.name="${name}" attr.type="${type}"/>\n`);
    for (const [name, type] of EDGE_KEYS) this.sink.write(`  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="${type}"/>\n`);
    this.sink.write(`  <graph id="${escapeXml(meta.title)}" edgedefault="directed">\n`);
  }

  node(node: GraphNode): void {
    const values: Record<string, string | number | null> = {
      ...node,
      labels: node.labels.join('; '),
      categories: node.categories.join('; '),
      tracedIn: JSON.stringify(node.tracedIn),
    };
    this.sink.write(`    <node id="${escapeXml(node.key)}">${data('n_', NODE_KEYS, values)}</node>\n`);
  }

  startEdges(): void {}

  edge(edge: GraphEdge): void {
    // Written straight from the edge (no merged copy of its attributes): this runs once per
    // transfer of a whole-case export.
    const conversion = edge.conversion ? flatConversion(edge.conversion) : undefined;
    let out = `    <edge id="${escapeXml(edge.key)}" source="${escapeXml(edge.source)}" target="${escapeXml(edge.target)}">`;
    for (const name of EDGE_NAMES) {
      const value = conversion?.[name] ?? edge[name as keyof GraphEdge];
      if (value === null || value === undefined) continue;
      out += `<data key="e_${name}">${escapeXml(String(value))}</data>`;
    }
    this.sink.write(out + '</edge>\n');
  }

  end(): void {
    this.sink.write('  </graph>\n</graphml>\n');
  }
}

function data(prefix: string, keys: [string, string][], values: Record<string, string | number | null>): string {
  return keys
    .filter(([name]) => values[name] !== null && values[name] !== undefined)
    .map(([name]) => `<data key="${prefix}${name}">${escapeXml(String(values[name]))}</data>`)
    .join('');
}
