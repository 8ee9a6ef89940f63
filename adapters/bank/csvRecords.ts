import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { HoptraceError } from '../../src/model/errors.js';

/**
 * Streams CSV records with their line numbers, as adapters/common/csv.ts does, plus the quote
 * escape character: some exports (N26's sample) escape quotes with a backslash (`"QUOTES
 * \"COMPANY\""`) instead of doubling them, which a CSV reader must be told.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export async function* readCsvRecords(path: string, chunks: AsyncIterable<string>, options: { delimiter: string; escape: string }): AsyncGenerator<CsvRecord> {
  const parser = parse({ delimiter: options.delimiter, escape: options.escape, relax_column_count: true, skip_empty_lines: true, info: true });
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
