import { parseAmount } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import { headerCells, readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';
import { parseUnixSeconds } from '../usdt/etherscan.js';
import { transferSeq } from '../usdt/fingerprint.js';

/**
 * Etherscan "normal transactions" export (test/fixtures/etherscan-exports-privatefolio/0x003dc/etherscan.csv):
 * `Value_IN(ETH)` / `Value_OUT(ETH)` in ether; a failed transaction (Status/ErrCode set) and a
 * zero-value call moved no ether and are counted as skipped. ETH is stored in wei (18 decimals).
 */
export function looksLikeEtherscanNormal(head: string): boolean {
  const cells = headerCells(head);
  return cells.includes('Value_IN(ETH)') && cells.includes('Value_OUT(ETH)') && !cells.includes('ParentTxFrom');
}

export async function* readEtherscanNormal(context: ReadContext): AsyncGenerator<ReadItem> {
  let index: Record<string, number> | undefined;
  for await (const row of readCsvRows(context.path, readTextChunks(context.path, undefined, context.onBytes))) {
    if (index === undefined) {
      index = Object.fromEntries(row.fields.map((name, i) => [name.trim(), i]));
      for (const name of ['Txhash', 'UnixTimestamp', 'From', 'To', 'Value_IN(ETH)', 'Value_OUT(ETH)']) {
        if (index[name] === undefined)
          throw new HoptraceError(`not an Etherscan transactions export: no ${name} column`, { file: context.path, line: row.line });
      }
      continue;
    }
    const cell = (name: string): string => (index![name] === undefined ? '' : (row.fields[index![name]!] ?? '').trim());
    try {
      if (cell('ErrCode') !== '' || /^Error/.test(cell('Status'))) {
        yield { kind: 'skipped', line: row.line, reason: `failed transaction (${cell('ErrCode') || cell('Status')})` };
        continue;
      }
      // One transaction moves one value: Etherscan fills the column of the export's side of it (a
      // transaction of the address to itself may show the value in both). Summed, both columns
      // doubled such a transfer.
      const valueIn = parseAmount(cell('Value_IN(ETH)') || '0', 18);
      const valueOut = parseAmount(cell('Value_OUT(ETH)') || '0', 18);
      if (valueIn !== 0n && valueOut !== 0n && valueIn !== valueOut)
        throw new HoptraceError(
          `Value_IN(ETH) ${cell('Value_IN(ETH)')} and Value_OUT(ETH) ${cell('Value_OUT(ETH)')} are both set and differ: a transaction moves one value`,
        );
      const wei = valueIn !== 0n ? valueIn : valueOut;
      if (wei === 0n) {
        yield { kind: 'skipped', line: row.line, reason: 'no ether moved' };
        continue;
      }
      if (cell('To') === '') {
        yield { kind: 'skipped', line: row.line, reason: 'contract creation' };
        continue;
      }
      const hash = cell('Txhash').toLowerCase();
      if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`transaction hash ${JSON.stringify(cell('Txhash'))} is not 32 bytes of hex`);
      const from = context.addresses.evmAddress(cell('From'));
      const to = context.addresses.evmAddress(cell('To'));
      const block = cell('Blockno');
      yield {
        kind: 'transfer',
        record: {
          rail: 'ethereum',
          asset: 'ETH',
          decimals: 18,
          amount: wei,
          from: { rail: 'ethereum', ident: from },
          to: { rail: 'ethereum', ident: to },
          time: parseUnixSeconds(cell('UnixTimestamp')),
          ref: hash,
          seq: transferSeq('ETH', from, to, wei),
          ...(/^\d+$/.test(block) ? { block: Number(block) } : {}),
          line: row.line,
        },
      };
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line: row.line, reason: rejectReason(error) };
    }
  }
  if (index === undefined) throw new HoptraceError('empty file', { file: context.path });
}
