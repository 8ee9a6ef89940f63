import { HoptraceError } from '../../src/model/errors.js';
import { readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';
import { readDecodedEventRow } from './decodedEvents.js';
import { readDuneRow } from './dune.js';
import type { BlacklistItem } from './types.js';

/**
 * Tether freeze events from a CSV: Dune's `address,time,chain` AddedBlackList export (both
 * chains) or a decoded-events table of the Ethereum contract (`event_name,block_number,txhash,…`).
 */
export async function* readBlacklistFile(path: string): AsyncGenerator<BlacklistItem> {
  let header: string[] | undefined;
  let read: typeof readDuneRow | undefined;
  for await (const row of readCsvRows(path, readTextChunks(path))) {
    if (header === undefined) {
      header = row.fields.map((c) =>
        c
          .replace(/\uFEFF/g, '')
          .trim()
          .toLowerCase(),
      );
      if (['address', 'time', 'chain'].every((c) => header!.includes(c))) read = readDuneRow;
      else if (['event_name', 'timestamp', 'txhash'].every((c) => header!.includes(c))) read = readDecodedEventRow;
      else
        throw new HoptraceError('not a USDT blacklist file: expected the columns address,time,chain or event_name,block_number,txhash,log_index,timestamp,…', {
          file: path,
          line: row.line,
        });
      continue;
    }
    const columns = header;
    const fields = (name: string): string => (row.fields[columns.indexOf(name)] ?? '').trim();
    yield read!(fields, row.line, `${path}:${row.line}`);
  }
  if (header === undefined) throw new HoptraceError('empty file', { file: path });
}
