import { HoptraceError } from '../../src/model/errors.js';
import type { JsonObject, JsonValue } from './json.js';

/**
 * Which arrays of a JSON document hold the records. Their elements are handed out one by one as
 * they are read (and never kept), so memory stays flat however long the array; everything else
 * (page metadata, `success`, `error`) is kept as a small "skeleton" and returned at the end.
 */
export interface JsonItemsSpec {
  /** Arrays stored under one of these keys, at any depth outside an item (`data`, `result`). */
  itemKeys: readonly string[];
  /** Whether the elements of a root array are items (a bare array of logs) or pages. */
  rootArrayItems: boolean;
}

export type JsonPath = readonly (string | number)[];

export type JsonStreamEvent =
  /** One record, with the line its first character is on and the path of the array holding it. */
  | { kind: 'item'; value: JsonValue; line: number; path: JsonPath }
  /** The document without the items (their arrays left empty), and how many item arrays it had. */
  | { kind: 'end'; skeleton: JsonValue; itemArrays: number };

type Frame =
  | { kind: 'object'; value: JsonObject; key: string | undefined; expect: 'key' | 'keyOrEnd' | 'colon' | 'value' | 'commaOrEnd'; path: JsonPath }
  | { kind: 'array'; value: JsonValue[]; items: boolean; expect: 'value' | 'valueOrEnd' | 'commaOrEnd'; path: JsonPath; index: number };

type Mode = 'value' | 'string' | 'number' | 'literal' | 'item' | 'done';

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Streams the items of a JSON document (TronGrid pages, eth_getLogs responses, TronScan pages)
 * with the line each starts on. The parts between items are checked against the JSON grammar
 * here; each item's text is cut out and given to the native JSON.parse, which checks it and is
 * far faster than parsing by hand. A document that ends early is an error naming the last line.
 */
export async function* readJsonItems(path: string, chunks: AsyncIterable<string>, spec: JsonItemsSpec): AsyncGenerator<JsonStreamEvent> {
  for await (const events of readJsonItemBatches(path, chunks, spec)) yield* events;
}

/**
 * readJsonItems' events, in the same order, a chunk's worth at a time: a reader that takes them
 * so awaits once per chunk instead of once per item (docs/performance.md).
 */
export async function* readJsonItemBatches(path: string, chunks: AsyncIterable<string>, spec: JsonItemsSpec): AsyncGenerator<JsonStreamEvent[]> {
  const scanner = new JsonItemScanner(path, spec);
  for await (const chunk of chunks) {
    scanner.feed(chunk);
    if (scanner.ready.length > 0) {
      yield scanner.ready;
      scanner.ready = [];
    }
  }
  yield [scanner.finish()];
}

class JsonItemScanner {
  ready: JsonStreamEvent[] = [];
  private line = 1;
  private readonly stack: Frame[] = [];
  private mode: Mode = 'value';
  private root: JsonValue | undefined;
  private sawAnything = false;
  private token = '';
  private escaped = false;
  private stringIsKey = false;
  private itemArrays = 0;
  // Item being cut out: its text so far, nesting depth, string state and first line.
  private itemParts: string[] = [];
  private itemDepth = 0;
  private itemInString = false;
  private itemEscaped = false;
  private itemLine = 0;
  private itemScalar = false;
  /** Next backslash at or after the scan position in the current text (n when none). */
  private backslashAt = -1;
  /**
   * Object items read whole from the current text and not parsed yet: where each starts and ends
   * in `pendingText`, its line, and the array holding them all. They are parsed together, with one
   * JSON.parse over the text from the first to the last (only commas and spaces stand between
   * them, checked by the scan): one call instead of one per item, and no string cut per item.
   */
  private pendingText = '';
  private readonly pendingStarts: number[] = [];
  private readonly pendingEnds: number[] = [];
  private readonly pendingLines: number[] = [];
  private pendingPath: JsonPath = [];
  /** Where the item being cut out started in the current text, or -1 when it began in an earlier one. */
  private itemStart = -1;

  constructor(
    private readonly path: string,
    private readonly spec: JsonItemsSpec,
  ) {}

  feed(text: string): void {
    try {
      this.scan(text);
    } catch (error) {
      // An item before the problem that is not JSON is the first error in the document, as when each was parsed as it ended.
      this.flushPending();
      throw error;
    }
    this.flushPending();
  }

  private scan(text: string): void {
    this.backslashAt = -1;
    let i = 0;
    const n = text.length;
    while (i < n) {
      switch (this.mode) {
        case 'item':
          i = this.scanItem(text, i);
          break;
        case 'string':
          i = this.scanString(text, i);
          break;
        case 'number':
        case 'literal':
          i = this.scanWord(text, i);
          break;
        default: {
          const c = text.charCodeAt(i);
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) {
            i++;
            break;
          }
          if (this.mode === 'done') throw this.error(`unexpected ${describe(text, i)} after the end of the document`);
          this.sawAnything = true;
          i = this.structural(text, i, c);
        }
      }
    }
  }

  finish(): JsonStreamEvent {
    if (this.mode === 'number' || this.mode === 'literal') this.endWord();
    if (!this.sawAnything) throw new HoptraceError('empty file', { file: this.path });
    if (this.mode !== 'done' || this.root === undefined) {
      throw new HoptraceError('JSON ends early (truncated download?)', { file: this.path, line: this.line });
    }
    return { kind: 'end', skeleton: this.root, itemArrays: this.itemArrays };
  }

  private error(message: string): HoptraceError {
    return new HoptraceError(`invalid JSON: ${message}`, { file: this.path, line: this.line });
  }

  /** One non-space character where a value, key or punctuation is expected. */
  private structural(text: string, i: number, c: number): number {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined && c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      // Every page format is an object or an array; anything else is another kind of file.
      throw new HoptraceError(`not a JSON document: it starts with ${describe(text, i)}, not with { or [`, { file: this.path, line: this.line });
    }
    if (top?.kind === 'object') {
      if (top.expect === 'key' || top.expect === 'keyOrEnd') {
        if (c === QUOTE) return this.startString(i, true);
        if (c === CLOSE_BRACE && top.expect === 'keyOrEnd') return this.close(i);
        throw this.error(`expected a property name, found ${describe(text, i)}`);
      }
      if (top.expect === 'colon') {
        if (c !== 58) throw this.error(`expected ':' after property ${JSON.stringify(top.key)}, found ${describe(text, i)}`);
        top.expect = 'value';
        return i + 1;
      }
      if (top.expect === 'commaOrEnd') {
        if (c === COMMA) {
          top.expect = 'key';
          return i + 1;
        }
        if (c === CLOSE_BRACE) return this.close(i);
        throw this.error(`expected ',' or '}', found ${describe(text, i)}`);
      }
    } else if (top?.kind === 'array') {
      if (top.expect === 'commaOrEnd') {
        if (c === COMMA) {
          top.expect = 'value';
          return i + 1;
        }
        if (c === CLOSE_BRACKET) return this.close(i);
        throw this.error(`expected ',' or ']', found ${describe(text, i)}`);
      }
      if (c === CLOSE_BRACKET) {
        if (top.expect === 'valueOrEnd') return this.close(i);
        throw this.error("a ',' followed by ']' (trailing comma)");
      }
      if (top.items) return this.startItem(text, i, c);
    }
    return this.startValue(text, i, c);
  }

  private startValue(text: string, i: number, c: number): number {
    if (c === OPEN_BRACE) {
      this.stack.push({ kind: 'object', value: {}, key: undefined, expect: 'keyOrEnd', path: this.childPath() });
      return i + 1;
    }
    if (c === OPEN_BRACKET) {
      const parent = this.stack[this.stack.length - 1];
      const items =
        parent === undefined ? this.spec.rootArrayItems : parent.kind === 'object' && parent.key !== undefined && this.spec.itemKeys.includes(parent.key);
      if (items) this.itemArrays++;
      this.stack.push({ kind: 'array', value: [], items, expect: 'valueOrEnd', path: this.childPath(), index: 0 });
      return i + 1;
    }
    if (c === QUOTE) return this.startString(i, false);
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.mode = 'number';
      this.token = '';
      return i;
    }
    if (c >= 97 && c <= 122) {
      this.mode = 'literal';
      this.token = '';
      return i;
    }
    throw this.error(`unexpected ${describe(text, i)}`);
  }

  /** Path of the value about to start (the key or index it will sit under). */
  private childPath(): JsonPath {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) return [];
    return [...parent.path, parent.kind === 'object' ? (parent.key ?? '') : parent.index];
  }

  private close(i: number): number {
    const frame = this.stack.pop()!;
    this.complete(frame.value);
    return i + 1;
  }

  /** A value is complete: attach it to its container (or make it the root). */
  private complete(value: JsonValue): void {
    const parent = this.stack[this.stack.length - 1];
    this.mode = 'value';
    if (parent === undefined) {
      this.root = value;
      this.mode = 'done';
    } else if (parent.kind === 'object') {
      parent.value[parent.key ?? ''] = value;
      parent.expect = 'commaOrEnd';
    } else {
      if (!parent.items) parent.value.push(value);
      parent.index++;
      parent.expect = 'commaOrEnd';
    }
  }

  private startString(i: number, isKey: boolean): number {
    this.mode = 'string';
    this.stringIsKey = isKey;
    this.token = '';
    this.escaped = false;
    return i + 1;
  }

  private scanString(text: string, i: number): number {
    const start = i;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.token += text.slice(start, i);
        this.endString();
        return i + 1;
      } else if (c === NEWLINE) throw this.error('a string runs past the end of its line');
      i++;
    }
    this.token += text.slice(start);
    return n;
  }

  private endString(): void {
    let value: string;
    try {
      value = JSON.parse(`"${this.token}"`) as string;
    } catch {
      throw this.error(`bad string ${JSON.stringify(this.token.slice(0, 40))}`);
    }
    if (this.stringIsKey) {
      const top = this.stack[this.stack.length - 1];
      if (top?.kind === 'object') {
        top.key = value;
        top.expect = 'colon';
      }
      this.mode = 'value';
      return;
    }
    this.complete(value);
  }

  private scanWord(text: string, i: number): number {
    const start = i;
    const n = text.length;
    const number = this.mode === 'number';
    while (i < n) {
      const c = text.charCodeAt(i);
      const part = number ? (c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69 : c >= 97 && c <= 122;
      if (!part) break;
      i++;
    }
    this.token += text.slice(start, i);
    if (i < n) this.endWord();
    return i;
  }

  private endWord(): void {
    const word = this.token;
    if (this.mode === 'number') {
      if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(word)) throw this.error(`bad number ${JSON.stringify(word)}`);
      this.complete(Number(word));
      return;
    }
    if (word === 'true') this.complete(true);
    else if (word === 'false') this.complete(false);
    else if (word === 'null') this.complete(null);
    else throw this.error(`unexpected ${JSON.stringify(word)}`);
  }

  private startItem(text: string, i: number, c: number): number {
    this.beginItem(i, c);
    return this.scanItem(text, i);
  }

  /**
   * After an item: the comma and the spaces up to the next object item of the same array, and
   * that item begun, read here instead of a character at a time through `structural`, whose
   * dispatch was the scan's largest part besides JSON.parse in a profile of a TronGrid import
   * (docs/performance.md, "Ingest against a bare pipeline"). The same steps as the grammar's, so
   * anything else (the array's end, a bad character, the text's end) is left where it stands, for
   * `scan` to take on as before.
   */
  private nextItem(text: string, i: number): number {
    const array = this.stack[this.stack.length - 1];
    if (array?.kind !== 'array' || !array.items || array.expect !== 'commaOrEnd') return i;
    const n = text.length;
    i = this.skipSpaces(text, i);
    if (i >= n || text.charCodeAt(i) !== COMMA) return i;
    array.expect = 'value';
    i = this.skipSpaces(text, i + 1);
    if (i < n && text.charCodeAt(i) === OPEN_BRACE) this.beginItem(i, OPEN_BRACE);
    return i;
  }

  /** Past the spaces from `i`, counting lines as `scan` does. */
  private skipSpaces(text: string, i: number): number {
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (!isSpace(c)) break;
      if (c === NEWLINE) this.line++;
      i++;
    }
    return i;
  }

  /** An item starts at `i` with the character `c`: the scan cuts it out from there. */
  private beginItem(i: number, c: number): void {
    this.mode = 'item';
    // itemParts is empty here: endItem empties it, and an item read whole from one text never fills it.
    this.itemLine = this.line;
    this.itemInString = false;
    this.itemEscaped = false;
    // Records are objects; anything else is still cut out whole so its reader can reject it.
    this.itemScalar = c !== OPEN_BRACE && c !== OPEN_BRACKET;
    this.itemDepth = 0;
    this.itemStart = i;
  }

  /** Cuts one item out of the text: up to its matching bracket (or, for a scalar, its delimiter). */
  private scanItem(text: string, i: number): number {
    const end = this.itemScalar ? this.scanScalarItem(text, i) : this.scanObjectItem(text, i);
    if (end < 0) {
      this.itemParts.push(text.slice(i));
      this.itemStart = -1;
      return text.length;
    }
    if (this.itemStart >= 0 && !this.itemScalar) this.pendItem(text, this.itemStart, end);
    else {
      this.itemParts.push(text.slice(i, end));
      this.endItem();
    }
    return this.nextItem(text, end);
  }

  /** An object item read whole from this text: parsed with the others of its array (flushPending). */
  private pendItem(text: string, start: number, end: number): void {
    const array = this.stack[this.stack.length - 1];
    const path = array?.path ?? [];
    if (this.pendingStarts.length > 0 && (text !== this.pendingText || path !== this.pendingPath)) this.flushPending();
    this.pendingText = text;
    this.pendingPath = path;
    this.pendingStarts.push(start);
    this.pendingEnds.push(end);
    this.pendingLines.push(this.itemLine);
    this.advanceArray();
  }

  /** The pending items as events, in order; an item that is not JSON throws as endItem does. */
  private flushPending(): void {
    const count = this.pendingStarts.length;
    if (count === 0) return;
    const text = this.pendingText;
    const path = this.pendingPath;
    let values: JsonValue[] | undefined;
    if (count > 1) {
      try {
        values = JSON.parse(`[${text.slice(this.pendingStarts[0]!, this.pendingEnds[count - 1]!)}]`) as JsonValue[];
      } catch {
        // One of them is not JSON: each is parsed alone below, and the first bad one named.
      }
    }
    for (let k = 0; k < count; k++) {
      const line = this.pendingLines[k]!;
      const value = values ? values[k]! : this.parseItem(text.slice(this.pendingStarts[k]!, this.pendingEnds[k]!), line);
      this.ready.push({ kind: 'item', value, line, path });
    }
    this.pendingText = '';
    this.pendingStarts.length = 0;
    this.pendingEnds.length = 0;
    this.pendingLines.length = 0;
  }

  /**
   * End of an object or array item (after its closing bracket), or -1 if it goes on past this
   * text. Strings are skipped with indexOf, which is where most of a record's characters are.
   */
  private scanObjectItem(text: string, i: number): number {
    const n = text.length;
    let depth = this.itemDepth;
    let inString = this.itemInString;
    let escaped = this.itemEscaped;
    let end = -1;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        const quote = text.indexOf('"', i);
        if (this.backslashAt < i) {
          const found = text.indexOf('\\', i);
          this.backslashAt = found < 0 ? n : found;
        }
        if (this.backslashAt < (quote < 0 ? n : quote)) {
          i = this.backslashAt + 1;
          escaped = true;
          continue;
        }
        if (quote < 0) {
          i = n;
          break;
        }
        inString = false;
        i = quote + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) inString = true;
      else if (c === NEWLINE) this.line++;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      }
      i++;
    }
    this.itemDepth = depth;
    this.itemInString = inString;
    this.itemEscaped = escaped;
    return end;
  }

  /** End of a scalar item (at its delimiter), or -1 if it goes on past this text. */
  private scanScalarItem(text: string, i: number): number {
    const n = text.length;
    let depth = this.itemDepth;
    let inString = this.itemInString;
    let escaped = this.itemEscaped;
    let end = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (depth === 0 && (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COMMA || isSpace(c))) {
        end = i;
        break;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
      else if (c === NEWLINE) this.line++;
      i++;
    }
    this.itemDepth = depth;
    this.itemInString = inString;
    this.itemEscaped = escaped;
    return end;
  }

  private endItem(): void {
    const itemText = this.itemParts.length === 1 ? this.itemParts[0]! : this.itemParts.join('');
    this.itemParts = [];
    // Items before this one come first.
    this.flushPending();
    const value = this.parseItem(itemText, this.itemLine);
    const array = this.stack[this.stack.length - 1];
    this.ready.push({ kind: 'item', value, line: this.itemLine, path: array?.path ?? [] });
    this.advanceArray();
  }

  /** The item has been read: the array now expects a comma or its end. */
  private advanceArray(): void {
    const array = this.stack[this.stack.length - 1];
    if (array?.kind === 'array') {
      array.index++;
      array.expect = 'commaOrEnd';
    }
    this.mode = 'value';
  }

  private parseItem(itemText: string, itemLine: number): JsonValue {
    try {
      return JSON.parse(itemText) as JsonValue;
    } catch (error) {
      const at = /position (\d+)/.exec((error as Error).message);
      const offsetLines = at ? countLines(itemText, Number(at[1])) : 0;
      throw new HoptraceError(`invalid JSON in the record starting on line ${itemLine}: ${(error as Error).message.split('\n')[0]}`, {
        file: this.path,
        line: itemLine + offsetLines,
      });
    }
  }
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function describe(text: string, i: number): string {
  return JSON.stringify(text.slice(i, i + 12));
}
