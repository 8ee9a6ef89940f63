import { HoptraceError } from '../../src/model/errors.js';
import { xmlCharacter } from '../common/xmlCharacter.js';

/**
 * A small, strict XML reader for bank messages (camt.05x): elements with their local name (the
 * namespace prefix dropped: banks use both `<Ntry>` and `<camt:Ntry>`), attributes, text and the
 * line each element opens on. No DTDs (a bank message has none, and entity expansion is a
 * classic attack), no external anything. Malformed or truncated XML is an error naming its line.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string, path: string, line: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new HoptraceError(`XML: unescaped "&"`, { file: path, line });
    if (body.startsWith('#')) return xmlCharacter(whole, path, line);
    const value = ENTITIES[body];
    if (value === undefined) throw new HoptraceError(`XML: unknown entity &${body};`, { file: path, line });
    return value;
  });
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

export function parseXml(text: string, path: string): XmlElement {
  let line = 1;
  let position = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const advance = (to: number): void => {
    for (let i = text.indexOf('\n', position); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) line++;
    position = to;
  };
  const fail = (message: string): never => {
    throw new HoptraceError(`XML: ${message}`, { file: path, line });
  };
  while (position < text.length) {
    const open = text.indexOf('<', position);
    if (open < 0) {
      if (text.slice(position).trim() !== '') fail('text after the document');
      break;
    }
    if (open > position) {
      const between = text.slice(position, open);
      const current = stack[stack.length - 1];
      if (current) current.text += decodeEntities(between, path, line);
      else if (between.trim() !== '') fail('text outside the document element');
      advance(open);
    }
    if (text.startsWith('<?', position)) {
      const end = text.indexOf('?>', position);
      if (end < 0) fail('unterminated processing instruction');
      advance(end + 2);
    } else if (text.startsWith('<!--', position)) {
      const end = text.indexOf('-->', position);
      if (end < 0) fail('unterminated comment');
      advance(end + 3);
    } else if (text.startsWith('<![CDATA[', position)) {
      const end = text.indexOf(']]>', position);
      if (end < 0) fail('unterminated CDATA section');
      const current = stack[stack.length - 1];
      if (current) current.text += text.slice(position + 9, end);
      advance(end + 3);
    } else if (text.startsWith('<!', position)) {
      fail('DOCTYPE and entity declarations are not accepted in a bank message');
    } else if (text.startsWith('</', position)) {
      const end = text.indexOf('>', position);
      if (end < 0) fail('unterminated end tag (file truncated?)');
      const name = localName(text.slice(position + 2, end).trim());
      const current = stack.pop();
      if (!current || current.name !== name) fail(`</${name}> does not close <${current?.name ?? '(nothing)'}>`);
      advance(end + 1);
    } else {
      const end = findTagEnd(text, position);
      if (end < 0) fail('unterminated start tag (file truncated?)');
      const body = text.slice(position + 1, end);
      const selfClosing = body.endsWith('/');
      const match = /^([^\s/>]+)([\s\S]*?)\/?$/.exec(body);
      if (!match) fail('malformed start tag');
      const element: XmlElement = { name: localName(match![1]!), attributes: {}, children: [], text: '', line };
      for (const attribute of match![2]!.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        element.attributes[localName(attribute[1]!)] = decodeEntities(attribute[3] ?? attribute[4] ?? '', path, line);
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail('a second document element');
      else root = element;
      if (!selfClosing) stack.push(element);
      advance(end + 1);
    }
  }
  if (stack.length > 0) fail(`the document ends inside <${stack[stack.length - 1]!.name}> (file truncated?)`);
  if (!root) fail('no document element');
  return root!;
}

function findTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
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
