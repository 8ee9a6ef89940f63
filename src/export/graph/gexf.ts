import { CONVERSION_KEYS, flatConversion, type GraphEdge, type GraphNode, type GraphWriter } from './model.js';
import { numberText } from '../../model/numberText.js';
import { escapeXml, type FileSink } from './sink.js';

const NODE_ATTRIBUTES: [string, string][] = [
  ['rail', 'string'],
  ['ident', 'string'],
  ['labels', 'string'],
  ['categories', 'string'],
  ['cluster', 'long'],
  ['size', 'long'],
  ['tracedIn', 'string'],
];
const EDGE_ATTRIBUTES: [string, string][] = [
  ['ref', 'string'],
  ['seq', 'long'],
  ['asset', 'string'],
  ['amount', 'string'],
  ['traced', 'string'],
  ['hop', 'integer'],
  ['count', 'long'],
  ['kind', 'string'],
  ...CONVERSION_KEYS.map((name): [string, string] => [name, 'string']),
];

/** GEXF 1.3 (Gephi): typed attributes; each edge carries its time, so Gephi's timeline replays the flow. */
export class GexfWriter implements GraphWriter {
  constructor(private readonly sink: FileSink) {}

  begin(meta: { title: string; created: string }): void {
    this.sink.write(
      '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n',
    );
    this.sink.write(
      `  <meta lastmodifieddate="${meta.created.slice(0, 10)}"><creator>hoptrace</creator><description>${escapeXml(meta.title)}</description></meta>\n`,
    );
    this.sink.write('  <graph defaultedgetype="directed" mode="dynamic" timeformat="datetime">\n');
    this.sink.write(
      `    <attributes class="node">\n${NODE_ATTRIBUTES.map(([n, t], i) => `      <attribute id="${i}" title="${n}" type="${t}"/>`).join('\n')}\n    </attributes>\n`,
    );
    this.sink.write(
      `    <attributes class="edge">\n${EDGE_ATTRIBUTES.map(([n, t], i) => `      <attribute id="${i}" title="${n}" type="${t}"/>`).join('\n')}\n    </attributes>\n`,
    );
    this.sink.write('    <nodes>\n');
  }

  node(node: GraphNode): void {
    const values: Record<string, string | number | null> = {
      ...node,
      labels: node.labels.join('; '),
      categories: node.categories.join('; '),
      tracedIn: JSON.stringify(node.tracedIn),
    };
    this.sink.write(
      `      <node id="${escapeXml(node.key)}" label="${escapeXml(node.label)}"><attvalues>${attvalues(NODE_ATTRIBUTES, values)}</attvalues></node>\n`,
    );
  }

  startEdges(): void {
    this.sink.write('    </nodes>\n    <edges>\n');
  }

  edge(edge: GraphEdge): void {
    const { conversion, ...plain } = edge;
    const values: Record<string, string | number | null> = { ...plain, ...flatConversion(conversion) };
    this.sink.write(
      `      <edge id="${escapeXml(edge.key)}" source="${escapeXml(edge.source)}" target="${escapeXml(edge.target)}" start="${edge.time}"><attvalues>${attvalues(EDGE_ATTRIBUTES, values)}</attvalues></edge>\n`,
    );
  }

  end(): void {
    this.sink.write('    </edges>\n  </graph>\n</gexf>\n');
  }
}

function attvalues(attributes: [string, string][], values: Record<string, string | number | null>): string {
  return attributes
    .map(([name], i) => [i, values[name]] as const)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([i, value]) => `<attvalue for="${i}" value="${escapeXml(typeof value === 'number' ? numberText(value) : String(value))}"/>`)
    .join('');
}
