import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { HoptraceError } from '../../src/model/errors.js';
import { flattenBatches, singletonBatches } from './stage.js';

/**
 * Streams CSV records with their line numbers, as adapters/common/csv.ts does, plus the quote
 * escape character: some exports (N26's sample) escape quotes with a backslash (`"QUOTES
 * \"COMPANY\""`) instead of doubling them, which a CSV reader must be told.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvRecordOptions {
  delimiter: string;
  escape: string;
}

/**
 * Records as csv-parse reads them (relax_column_count, skip_empty_lines, the record delimiter
 * taken from the first line end), its errors named with the file and line. Most statements are
 * plain — one record a line, LF or CRLF throughout, quotes only around whole fields — and those a
 * hand-written loop reads several times faster than csv-parse's stream (readPlainRecords). At
 * the first chunk with a line that is not plain (a line end inside quotes, a stray quote or CR,
 * a backslash escape, broken quoting) it stops, gives none of that chunk's records, and csv-parse
 * reads the file again from its start, the records already given skipped: they are the same
 * records, so records, line numbers and error messages are csv-parse's. As before, a CSV error
 * comes before any problem of the rows of its own chunk, and of the last chunk when the last line
 * is the bad one (csv-parse's stream fails at once, its buffered records unread): a statement
 * of one chunk (64 KiB, adapters/common/text.ts) fails exactly as it did; a larger one may give
 * the last few records of the chunk before the bad one, which csv-parse's stream could leave
 * unread. `openChunks` gives the text from its start each time it is called.
 */
export function readCsvRecords(path: string, openChunks: () => AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord> {
  return flattenBatches(readCsvRecordBatches(path, openChunks, options));
}

/**
 * readCsvRecords in batches: a chunk's records at once from the plain reader (given when the next
 * chunk has been read, as readCsvRecords gives them), one record at a time from csv-parse.
 */
export async function* readCsvRecordBatches(path: string, openChunks: () => AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  let given = 0;
  if (isPlainDialect(options)) {
    const plain = new PlainCsv(options.delimiter, options.escape);
    // A chunk's records wait for the next chunk: the last line of the file is only read at its end.
    let held: CsvRecord[] = [];
    try {
      for await (const chunk of openChunks()) {
        const records = plain.push(chunk, false);
        given += held.length;
        if (held.length > 0) yield held;
        held = [];
        if (plain.stopped) break;
        held = records;
      }
    } catch (error) {
      throw csvFailure(path, error);
    }
    if (!plain.stopped) {
      const records = plain.push('', true);
      if (!plain.stopped) {
        if (held.length > 0) yield held;
        if (records.length > 0) yield records;
        return;
      }
    }
  }
  yield* singletonBatches(readWithCsvParse(path, openChunks(), options, given));
}

/** A reading error as the file's: csv-parse's with the line it names, the text reader's as they are. */
function csvFailure(path: string, error: unknown): unknown {
  if (error instanceof HoptraceError) return error;
  const csvError = error as CsvError & { lines?: number };
  const reason = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (file truncated?)' : csvError.message;
  return new HoptraceError(`CSV: ${reason}`, { file: path, ...(csvError.lines ? { line: csvError.lines } : {}) });
}

function isPlainDialect(options: CsvRecordOptions): boolean {
  const { delimiter, escape: escapeChar } = options;
  return (
    delimiter.length === 1 &&
    escapeChar.length === 1 &&
    delimiter !== '"' &&
    delimiter !== '\r' &&
    delimiter !== '\n' &&
    escapeChar !== '\r' &&
    escapeChar !== '\n' &&
    escapeChar !== delimiter
  );
}

async function* readWithCsvParse(path: string, chunks: AsyncIterable<string>, options: CsvRecordOptions, skip: number): AsyncGenerator<CsvRecord> {
  const parser = parse({ delimiter: options.delimiter, escape: options.escape, relax_column_count: true, skip_empty_lines: true, info: true });
  const input = Readable.from(chunks);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let toSkip = skip;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      yield { line: item.info.lines, fields: item.record };
    }
  } catch (error) {
    throw csvFailure(path, error);
  } finally {
    input.destroy();
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * The plain subset of csv-parse's dialect, line by line: every record one line ending in the
 * file's record delimiter (the first line end: LF or CRLF), fields unquoted (no quote, no CR) or
 * quoted whole (doubled quotes when the escape is the quote; no escape character otherwise; no
 * line end), a quoted field followed by the delimiter or the line's end. On anything else it
 * stops (`stopped`) before the record that is not plain.
 */
export class PlainCsv {
  stopped = false;
  private pending = '';
  private line = 0;
  /** 0 until the first line end: then LF (1) or CRLF (2). */
  private lineEnd = 0;
  private readonly delimiter: number;
  private readonly escape: number;

  constructor(delimiter: string, escapeChar: string) {
    this.delimiter = delimiter.charCodeAt(0);
    this.escape = escapeChar.charCodeAt(0);
  }

  /** The records of the complete lines so far (all of them when `final`). */
  push(chunk: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    if (this.stopped) return records;
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      if (!this.takeLine(text, start, newline, true, records)) return records;
      start = newline + 1;
    }
    if (final) {
      this.pending = '';
      if (start < text.length) this.takeLine(text, start, text.length, false, records);
    } else {
      this.pending = start < text.length ? text.slice(start) : '';
      // A CR before any LF that is not the text's last character: CR line ends or a stray CR.
      const cr = this.pending.indexOf('\r');
      if (cr >= 0 && cr < this.pending.length - 1) this.stop();
    }
    return records;
  }

  /** Reads text[start, end) (without its LF), ended by a line end or the end of the file; false when it is not plain. */
  private takeLine(text: string, start: number, end: number, endsWithLf: boolean, records: CsvRecord[]): boolean {
    let stop = end;
    if (endsWithLf) {
      const crlf = end > start && text.charCodeAt(end - 1) === CR;
      if (this.lineEnd === 0) this.lineEnd = crlf ? 2 : 1;
      if ((this.lineEnd === 2) !== crlf) return this.stop();
      if (crlf) stop = end - 1;
    }
    if (stop === start) {
      // An empty line: counted, skipped.
      this.line++;
      return true;
    }
    const fields = this.fields(text, start, stop);
    if (fields === undefined) return this.stop();
    this.line++;
    records.push({ line: this.line, fields });
    return true;
  }

  private stop(): false {
    this.stopped = true;
    this.pending = '';
    return false;
  }

  /** The fields of text[start, stop), or undefined when the line is not plain. */
  private fields(text: string, start: number, stop: number): string[] | undefined {
    const delimiter = this.delimiter;
    const fields: string[] = [];
    let pos = start;
    for (;;) {
      if (pos < stop && text.charCodeAt(pos) === QUOTE) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0 || quote >= stop) return undefined;
          if (this.escape === QUOTE && quote + 1 < stop && text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += text.slice(from, quote);
          pos = quote + 1;
          break;
        }
        if (hasLineEndOr(value, this.escape)) return undefined;
        fields.push(value);
        if (pos === stop) return fields;
        if (text.charCodeAt(pos) !== delimiter) return undefined;
        pos++;
        continue;
      }
      let end = pos;
      while (end < stop) {
        const c = text.charCodeAt(end);
        if (c === delimiter) break;
        if (c === QUOTE || c === CR) return undefined;
        end++;
      }
      fields.push(text.slice(pos, end));
      if (end === stop) return fields;
      pos = end + 1;
    }
  }
}

function hasLineEndOr(value: string, escapeChar: number): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF || (c === escapeChar && escapeChar !== QUOTE)) return true;
  }
  return false;
}
