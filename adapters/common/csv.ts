import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { HoptraceError } from '../../src/model/errors.js';

export interface CsvRow {
  /** 1-based line where the record ends (its start for one-line records). */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  delimiter?: string;
  /** Lines before parsing starts (preambles). */
  fromLine?: number;
}

/**
 * Streams CSV records with their line numbers. Column counts may vary (real exports have
 * trailing commas and damaged headers); the caller checks each row against its header.
 */
export async function* readCsvRows(path: string, chunks: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    from_line: options.fromLine ?? 1,
  });
  const input = Readable.from(chunks);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: item.info.lines, fields: item.record };
    }
  } catch (error) {
    if (error instanceof HoptraceError) throw error;
    const csvError = error as CsvError & { lines?: number };
    const reason = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (file truncated?)' : csvError.message;
    throw new HoptraceError(`CSV: ${reason}`, { file: path, ...(csvError.lines ? { line: csvError.lines } : {}) });
  } finally {
    input.destroy();
  }
}

/** Splits the first line of a text into CSV cells (for format detection only). */
export function headerCells(head: string, delimiter = ','): string[] {
  const firstLine = head.split(/\r?\n|\r/, 1)[0] ?? '';
  return firstLine.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').trim());
}
