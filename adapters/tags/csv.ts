import { basename } from 'node:path';
import { HoptraceError } from '../../src/model/errors.js';
import { isTagCategory, TAG_CATEGORIES } from '../../src/model/types.js';
import { parseAccountOption } from '../../src/model/bankAccount.js';
import { readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';
import { routeAddress } from './route.js';

/**
 * An investigator's own tags: `chain,address,category,label,confidence,source` (the last two
 * optional; confidence 0–100, default 50). chain is ethereum, tron or bank (eth, trx accepted).
 */
const CHAINS: Record<string, 'ethereum' | 'tron' | 'bank'> = { ethereum: 'ethereum', eth: 'ethereum', tron: 'tron', trx: 'tron', bank: 'bank' };

export async function* readTagsCsv(context: ReadContext): AsyncGenerator<ReadItem> {
  let columns: Record<string, number> | undefined;
  for await (const row of readCsvRows(context.path, readTextChunks(context.path, undefined, context.onBytes))) {
    if (columns === undefined) {
      const header = row.fields.map((cell) => cell.trim().toLowerCase());
      columns = Object.fromEntries(header.map((name, i) => [name, i]));
      const missing = ['chain', 'address', 'category', 'label'].filter((name) => columns![name] === undefined);
      if (missing.length > 0)
        throw new HoptraceError(`not a tags CSV: no ${missing.join(', ')} column`, {
          file: context.path,
          line: row.line,
          hint: 'header: chain,address,category,label,confidence,source',
        });
      continue;
    }
    const cell = (name: string): string => (columns![name] === undefined ? '' : (row.fields[columns![name]!] ?? '').trim());
    try {
      const chain = CHAINS[cell('chain').toLowerCase()];
      if (!chain) throw new HoptraceError(`chain ${JSON.stringify(cell('chain'))} is not ethereum, tron or bank`);
      const category = cell('category');
      if (!isTagCategory(category))
        throw new HoptraceError(`unknown category ${JSON.stringify(category)}`, { hint: `use one of ${TAG_CATEGORIES.join(', ')}` });
      const label = cell('label');
      if (label === '') throw new HoptraceError('label is empty');
      const confidenceText = cell('confidence');
      if (confidenceText !== '' && (!/^\d+$/.test(confidenceText) || Number(confidenceText) > 100))
        throw new HoptraceError(`confidence ${JSON.stringify(confidenceText)} is not a number from 0 to 100`);
      let ident: string;
      if (chain === 'bank') ident = parseAccountOption(cell('address'));
      else {
        const routed = routeAddress(cell('address'));
        if ('unsupported' in routed || routed.rail !== chain) throw new HoptraceError(`address ${JSON.stringify(cell('address'))} is not a ${chain} address`);
        ident = routed.ident;
      }
      const source = cell('source');
      yield {
        kind: 'tag',
        record: {
          account: { rail: chain, ident },
          category,
          label,
          origin: source === '' ? `CSV:${basename(context.path)}` : source,
          confidence: confidenceText === '' ? 50 : Number(confidenceText),
          line: row.line,
        },
      };
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line: row.line, reason: rejectReason(error) };
    }
  }
  if (columns === undefined) throw new HoptraceError('empty file', { file: context.path });
}

export function looksLikeTagsCsv(head: string): boolean {
  const first = (head.split(/\r?\n/, 1)[0] ?? '').toLowerCase().replace(/"/g, '');
  return /(^|,)chain(,|$)/.test(first) && /(^|,)address(,|$)/.test(first) && /(^|,)category(,|$)/.test(first);
}
