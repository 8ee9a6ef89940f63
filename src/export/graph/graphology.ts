import type { GraphEdge, GraphNode, GraphWriter } from './model.js';
import type { FileSink } from './sink.js';

/**
 * graphology's serialization format (graphology.github.io/serialization): directed, multi, keyed
 * edges; loads with `Graph.from(json)` (or `graph.import(json)`).
 */
export class GraphologyWriter implements GraphWriter {
  private first = true;
  constructor(private readonly sink: FileSink) {}

  begin(meta: { title: string; created: string }): void {
    this.sink.write(
      `{"attributes":${JSON.stringify({ name: meta.title, created: meta.created, tool: 'hoptrace' })},"options":{"type":"directed","multi":true,"allowSelfLoops":true},"nodes":[`,
    );
  }

  node(node: GraphNode): void {
    const { key, ...attributes } = node;
    this.sink.write(`${this.first ? '' : ','}\n${JSON.stringify({ key, attributes })}`);
    this.first = false;
  }

  startEdges(): void {
    this.sink.write('\n],"edges":[');
    this.first = true;
  }

  edge(edge: GraphEdge): void {
    const { key, source, target, conversion, ...rest } = edge;
    // A conversion edge carries both sides of its link as plain attributes (maps as objects).
    const attributes = conversion ? { ...rest, ...conversion } : rest;
    this.sink.write(`${this.first ? '' : ','}\n${JSON.stringify({ key, source, target, attributes })}`);
    this.first = false;
  }

  end(): void {
    this.sink.write('\n]}\n');
  }
}
