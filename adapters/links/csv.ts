import { HoptraceError } from '../../src/model/errors.js';
import type { LinkRecord } from '../../src/model/types.js';
import { readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';

export type LinkItem = { kind: 'link'; record: LinkRecord } | { kind: 'reject'; line: number; reason: string };

/**
 * An exchange or OTC desk's return that ties a fiat payment to the crypto it bought:
 * `fiat_ref,crypto_ref` — a bank reference (or transfer:ID) and a tx hash[:logIndex].
 */
export async function* readLinksCsv(path: string): AsyncGenerator<LinkItem> {
  let columns: { fiat: number; crypto: number } | undefined;
  for await (const row of readCsvRows(path, readTextChunks(path))) {
    if (columns === undefined) {
      const header = row.fields.map((cell) => cell.trim().toLowerCase());
      columns = { fiat: header.indexOf('fiat_ref'), crypto: header.indexOf('crypto_ref') };
      if (columns.fiat < 0 || columns.crypto < 0) {
        throw new HoptraceError('not a links file: the header must name fiat_ref and crypto_ref', { file: path, line: row.line });
      }
      continue;
    }
    const fiatRef = (row.fields[columns.fiat] ?? '').trim();
    const cryptoRef = (row.fields[columns.crypto] ?? '').trim();
    if (fiatRef === '' || cryptoRef === '') yield { kind: 'reject', line: row.line, reason: 'fiat_ref and crypto_ref are both required' };
    else yield { kind: 'link', record: { fiatRef, cryptoRef, line: row.line } };
  }
  if (columns === undefined) throw new HoptraceError('empty file', { file: path });
}
