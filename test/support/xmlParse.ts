import { SaxesParser } from 'saxes';

/** An element as the parser delivered it: namespace-resolved name, attributes, its own text. */
export interface ParsedElement {
  uri: string;
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/**
 * Parses an export with saxes, a conformant XML 1.0 parser with namespaces (jsdom's): any
 * well-formedness or namespace error throws with its line and column. Returns every element in
 * document order, with entities decoded, so tests check what a graph tool will read.
 */
export function parseXmlDocument(xml: string): ParsedElement[] {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const elements: ParsedElement[] = [];
  const open: ParsedElement[] = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.name] = attribute.value;
    const element = { uri: tag.uri, name: tag.local, attributes, text: '' };
    elements.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    const current = open[open.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    open.pop();
  });
  parser.write(xml).close();
  return elements;
}

export function countElements(elements: readonly ParsedElement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of elements) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  return counts;
}
