import { HoptraceError } from '../../src/model/errors.js';

/**
 * A record's fields are slices of the decoded text they were read from (about 1 MB): a field kept
 * after its row is done — a cache key, a label in a map — keeps that whole text alive. Keep
 * `ownString(field)` instead (trimmed, and a string of its own).
 */
export function ownString(field: string): string {
  // The concatenation is flattened into a fresh string by trim(), which no longer points at the chunk.
  return (field + ' ').trim();
}

export interface CsvRow {
  /** 1-based line where the record ends (its start for one-line records); fields: see ownString. */
  line: number;
  fields: string[];
  /** Set (with `malformed: 'report'`) when the record breaks CSV quoting; its fields are partial. */
  problem?: string;
}

export interface CsvOptions {
  /** One character; default ','. */
  delimiter?: string;
  /** Lines before parsing starts (preambles), skipped as plain lines. */
  fromLine?: number;
  /**
   * A record whose quoting is broken (text after a closing quote): 'throw' (default) fails the
   * file naming the line; 'report' yields the record with `problem` set, so that a reader can
   * reject that one row (and `--skip-bad` can go on).
   */
  malformed?: 'throw' | 'report';
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * RFC 4180 records from decoded text chunks, with the line each ends on. Written by hand rather
 * than through csv-parse's stream: ingest of large explorer exports spends most of its time here,
 * and the hand-written loop (native indexOf over quoted fields, no per-record info objects, one
 * batch per chunk) is several times faster. Behaviour follows the csv-parse options hoptrace used
 * before (relax_column_count, skip_empty_lines, from_line): column counts may vary (real exports
 * have trailing commas and damaged headers), empty lines are skipped, CRLF, LF and CR all end a
 * record, a quote inside an unquoted field is kept as a character, and a quoted field left open at
 * the end of the file is an error naming the line where it opened.
 */
export async function* readCsvBatches(path: string, chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRow[]> {
  const parser = new CsvParser(path, options);
  for await (const chunk of chunks) {
    const rows = parser.push(chunk, false);
    if (rows.length > 0) yield rows;
  }
  const rest = parser.push('', true);
  if (rest.length > 0) yield rest;
}

/** Streams CSV records with their line numbers (see readCsvBatches). */
export async function* readCsvRows(path: string, chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  for await (const rows of readCsvBatches(path, chunks, options)) yield* rows;
}

class CsvParser {
  private pending = '';
  /** Line on which `pending` starts. */
  private line = 1;
  private linesToSkip: number;
  private readonly delimiter: number;

  constructor(
    private readonly path: string,
    private readonly options: CsvOptions,
  ) {
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1) throw new Error(`CSV delimiter must be one character, got ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter.charCodeAt(0);
    this.linesToSkip = Math.max(0, (options.fromLine ?? 1) - 1);
  }

  push(chunk: string, final: boolean): CsvRow[] {
    let text = this.pending.length > 0 ? this.pending + chunk : chunk;
    if (this.linesToSkip > 0) {
      text = this.skipLines(text, final);
      if (this.linesToSkip > 0) {
        this.pending = text;
        return [];
      }
    }
    const rows: CsvRow[] = [];
    const consumed = this.parse(text, final, rows);
    this.pending = consumed < text.length ? text.slice(consumed) : '';
    return rows;
  }

  private skipLines(text: string, final: boolean): string {
    let at = 0;
    while (this.linesToSkip > 0) {
      const newline = text.indexOf('\n', at);
      if (newline < 0) return final ? '' : text.slice(at);
      at = newline + 1;
      this.line++;
      this.linesToSkip--;
    }
    return text.slice(at);
  }

  /** Parses the complete records of `text` into `rows`; returns how much of it was consumed. */
  private parse(text: string, final: boolean, rows: CsvRow[]): number {
    let pos = 0;
    while (pos < text.length) {
      const record = this.parseRecord(text, pos, final);
      if (record === undefined) break;
      pos = record.end;
      const endLine = this.line + record.innerLineEnds;
      this.line = endLine + (record.endedByLineEnd ? 1 : 0);
      if (record.fields.length === 1 && record.fields[0] === '' && !record.quoted) continue;
      rows.push(record.problem === undefined ? { line: endLine, fields: record.fields } : { line: endLine, fields: record.fields, problem: record.problem });
    }
    return pos;
  }

  /** One record starting at `start`, or undefined when the text ends before it does (more to come). */
  private parseRecord(text: string, start: number, final: boolean): ParsedRecord | undefined {
    const n = text.length;
    const delimiter = this.delimiter;
    const fields: string[] = [];
    let innerLineEnds = 0;
    let pos = start;
    for (;;) {
      if (pos < n && text.charCodeAt(pos) === QUOTE) {
        // Quoted field: up to a quote that is not doubled.
        let value = '';
        let from = pos + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0 || (quote + 1 >= n && !final)) {
            if (!final) return undefined;
            throw new HoptraceError('CSV: a quoted field is never closed (file truncated?)', { file: this.path, line: this.line });
          }
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += text.slice(from, quote);
          pos = quote + 1;
          break;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) innerLineEnds += countLineEnds(value);
        fields.push(value);
        const c = pos < n ? text.charCodeAt(pos) : -1;
        if (c === delimiter) {
          pos++;
          continue;
        }
        if (c === LF || c === CR || c === -1) break;
        // Text after a closing quote: the record's quoting is broken.
        const end = lineEnd(text, pos);
        if (end < 0 && !final) return undefined;
        const problem = `CSV: unexpected ${JSON.stringify(text.slice(pos, Math.min(end < 0 ? n : end, pos + 10)))} after the closing quote of field ${fields.length}`;
        if (this.options.malformed !== 'report') throw new HoptraceError(problem, { file: this.path, line: this.line + innerLineEnds });
        return this.endRecord(text, end < 0 ? n : end, final, { fields, innerLineEnds, problem, quoted: true });
      }
      // Unquoted field: up to the delimiter or the end of the line.
      let end = pos;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === delimiter || c === LF || c === CR) break;
        end++;
      }
      if (end >= n && !final) return undefined;
      fields.push(text.slice(pos, end));
      pos = end;
      if (end < n && text.charCodeAt(end) === delimiter) {
        pos++;
        continue;
      }
      break;
    }
    return this.endRecord(text, pos, final, { fields, innerLineEnds, problem: undefined, quoted: text.charCodeAt(start) === QUOTE });
  }

  /** Consumes the line end (CRLF, LF or CR) at `pos`, if any. */
  private endRecord(text: string, pos: number, final: boolean, record: Omit<ParsedRecord, 'end' | 'endedByLineEnd'>): ParsedRecord | undefined {
    const n = text.length;
    if (pos >= n) return final ? { ...record, end: n, endedByLineEnd: false } : undefined;
    if (text.charCodeAt(pos) === CR) {
      if (pos + 1 >= n && !final) return undefined;
      return { ...record, end: pos + (text.charCodeAt(pos + 1) === LF ? 2 : 1), endedByLineEnd: true };
    }
    return { ...record, end: pos + 1, endedByLineEnd: true };
  }
}

interface ParsedRecord {
  fields: string[];
  /** Line ends inside quoted fields. */
  innerLineEnds: number;
  problem: string | undefined;
  /** Whether the record starts with a quote (a line holding only `""` is a record, not an empty line). */
  quoted: boolean;
  end: number;
  endedByLineEnd: boolean;
}

function isLineEnd(c: number): boolean {
  return c === LF || c === CR;
}

/** Line ends (CRLF, LF or CR) in a text. */
function countLineEnds(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isLineEnd(text.charCodeAt(i))) return i;
  return -1;
}

/** Splits the first line of a text into CSV cells (for format detection only). */
export function headerCells(head: string, delimiter = ','): string[] {
  const firstLine = head.split(/\r?\n|\r/, 1)[0] ?? '';
  return firstLine.split(delimiter).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}
