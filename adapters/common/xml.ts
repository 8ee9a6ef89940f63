import { SaxesParser, type SaxesTagNS } from 'saxes';
import { HoptraceError } from '../../src/model/errors.js';

/**
 * One streaming XML reader for every XML format hoptrace reads (camt.05x bank messages, OFAC's
 * SDN advanced XML), on saxes: a conformant XML 1.0 + namespaces parser, so ill-formed input
 * (an unquoted or duplicate attribute, an unclosed tag, an undefined or out-of-range entity, an
 * undeclared prefix) is an error naming its line instead of a silently different reading.
 * No DTD is accepted (no format we read has one, and entity expansion is a classic attack).
 *
 * The caller selects which elements it wants; each selected element is handed over whole, with
 * its subtree, when it closes, and nothing else is kept: memory is bounded by the largest
 * selected element, not by the file.
 */
export interface XmlElement {
  /** Local name: the namespace prefix dropped (banks write both `<Ntry>` and `<camt:Ntry>`). */
  name: string;
  /** By local name, in document order. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, entities decoded (not its children's). */
  text: string;
  /** The line its start tag opens on. */
  line: number;
}

/** An open element on the way to the one being selected: its local name and line. */
export interface XmlTag {
  name: string;
  line: number;
}

/** Decides at each start tag, given the open elements (root first, this one last), whether to hand it over. */
export type XmlSelect = (path: readonly XmlTag[]) => boolean;

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Reads an XML document from text chunks and yields the selected elements in document order. */
export async function* readXmlElements(chunks: AsyncIterable<string> | Iterable<string>, file: string, select: XmlSelect): AsyncGenerator<XmlElement> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const fail = (message: string, line = parser.line): never => {
    throw new HoptraceError(`XML: ${message}`, { file, line });
  };
  // saxes reads an entity reference up to the next ";", so a bare "&" is only noticed at that
  // ";" (or at the end): the text it swallowed on the way says on which line the "&" was.
  let chunk = '';
  let consumed = 0;
  const newlines = (text: string): number => text.match(/\n/g)?.length ?? 0;
  const pendingEntity = (): string => (parser as unknown as { entity?: string }).entity ?? '';
  const bareAmpersand = (): never => {
    const pending = pendingEntity();
    const seen = chunk.slice(0, Math.max(0, parser.position - consumed));
    const semicolon = seen.endsWith(';') ? seen.length - 1 : seen.length;
    // Swallowed since an earlier chunk, or since the first "&" after the last ";" in this one.
    const start = pending !== '' ? 0 : Math.max(0, seen.indexOf('&', seen.lastIndexOf(';', semicolon - 1) + 1));
    const swallowed = pending !== '' && semicolon === seen.length ? pending : pending + seen.slice(start, semicolon);
    return fail('unescaped "&" (write &amp;)', parser.line - newlines(swallowed));
  };
  const path: XmlTag[] = [];
  const building: XmlElement[] = [];
  let selectedDepth = -1;
  let lastClosed: XmlTag | undefined;
  const done: XmlElement[] = [];
  parser.on('error', (error) => {
    const message = error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    if (message === 'disallowed character in entity name' || (message.startsWith('unclosed tag') && pendingEntity() !== '')) bareAmpersand();
    // saxes closes the open element before it reports that the end tag did not match it.
    fail(message === 'unexpected close tag' && lastClosed ? `${message}: <${lastClosed.name}> (line ${lastClosed.line}) is still open` : message);
  });
  parser.on('doctype', (doctype) => {
    fail('DOCTYPE and entity declarations are not accepted', parser.line - newlines(doctype));
  });
  parser.on('opentagstart', (tag) => {
    path.push({ name: localName(tag.name), line: parser.line });
    if (selectedDepth < 0 && select(path)) selectedDepth = path.length;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (selectedDepth < 0) return;
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[localName(attribute.name)] = attribute.value;
    const element: XmlElement = { name: path[path.length - 1]!.name, attributes, children: [], text: '', line: path[path.length - 1]!.line };
    building[building.length - 1]?.children.push(element);
    building.push(element);
  });
  // saxes reports a self-closing tag as an open and a close.
  parser.on('closetag', () => {
    if (selectedDepth >= 0) {
      const element = building.pop()!;
      if (path.length === selectedDepth) {
        done.push(element);
        selectedDepth = -1;
      }
    }
    lastClosed = path.pop();
  });
  const addText = (text: string): void => {
    const current = building[building.length - 1];
    if (current) current.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  for await (const next of chunks) {
    consumed += chunk.length;
    chunk = next;
    parser.write(chunk);
    yield* done.splice(0);
  }
  if (pendingEntity() !== '') bareAmpersand();
  if (path.length > 0) fail(`the document ends inside <${path[path.length - 1]!.name}> (file truncated?)`);
  parser.close();
  yield* done.splice(0);
}

/** The first descendant along a path of local names (`child(e, 'Acct', 'Id', 'IBAN')`). */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) {
    current = current?.children.find((c) => c.name === name);
    if (!current) return undefined;
  }
  return current;
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : [];
}

/** Trimmed text at a path, or undefined when the element is missing or empty. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const found = child(element, ...path);
  const value = found?.text.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Every descendant of a name, in document order (depth first). */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) found.push(c);
      walk(c);
    }
  };
  walk(element);
  return found;
}
