import { HoptraceError } from '../../src/model/errors.js';
import { isJsonObject, objectLinesByDepth, parseJsonDocument, type JsonValue } from '../common/json.js';
import { readWholeText } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';
import { transferSeq } from '../usdt/fingerprint.js';

/**
 * TronGrid `GET /v1/accounts/{address}/transactions` pages: TRX moves as `TransferContract`
 * (raw_data.contract[0].parameter.value: owner_address, to_address in hex 41…, amount in sun).
 * Other contract types (TRC-20 calls, freezes, votes) move no TRX to another account: skipped.
 */
export function looksLikeTronGridTransactions(head: string): boolean {
  return /"raw_data"\s*:/.test(head) && /"txID"\s*:/.test(head) && /"data"\s*:/.test(head);
}

export async function* readTronGridTransactions(context: ReadContext): AsyncGenerator<ReadItem> {
  const text = await readWholeText(context.path, context.onBytes);
  if (text.trim() === '') throw new HoptraceError('empty file', { file: context.path });
  const document = parseJsonDocument(text, context.path);
  if (!isJsonObject(document) || !Array.isArray(document['data']))
    throw new HoptraceError('not a TronGrid transactions page: expected {"data": [...]}', { file: context.path });
  const lines = objectLinesByDepth(text).get(2) ?? [];
  const items = document['data'];
  for (let i = 0; i < items.length; i++) yield readItem(items[i] ?? null, lines[i] ?? i + 1, context);
}

function readItem(item: JsonValue, line: number, context: ReadContext): ReadItem {
  try {
    if (!isJsonObject(item)) throw new HoptraceError('transaction is not an object');
    const raw = isJsonObject(item['raw_data']) ? item['raw_data'] : undefined;
    const contract = raw && Array.isArray(raw['contract']) && isJsonObject(raw['contract'][0]) ? raw['contract'][0] : undefined;
    if (!contract) throw new HoptraceError('transaction has no raw_data.contract');
    if (contract['type'] !== 'TransferContract') return { kind: 'skipped', line, reason: `${String(contract['type'])}: no TRX moved between accounts` };
    const ret = Array.isArray(item['ret']) && isJsonObject(item['ret'][0]) ? item['ret'][0]['contractRet'] : 'SUCCESS';
    if (ret !== 'SUCCESS') return { kind: 'skipped', line, reason: `transaction result ${String(ret)}` };
    const parameter = isJsonObject(contract['parameter']) && isJsonObject(contract['parameter']['value']) ? contract['parameter']['value'] : undefined;
    if (!parameter) throw new HoptraceError('TransferContract has no parameter.value');
    const amount = parameter['amount'];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
      throw new HoptraceError(`amount ${JSON.stringify(amount ?? null)} is not a positive number of sun`);
    const hash = String(item['txID'] ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`txID ${JSON.stringify(hash)} is not 32 bytes of hex`);
    const time = item['block_timestamp'];
    if (typeof time !== 'number' || time < 1e12) throw new HoptraceError(`block_timestamp ${JSON.stringify(time ?? null)} is not milliseconds since 1970`);
    const from = context.addresses.tronAddress(String(parameter['owner_address'] ?? ''));
    const to = context.addresses.tronAddress(String(parameter['to_address'] ?? ''));
    const sun = BigInt(amount);
    return {
      kind: 'transfer',
      record: {
        rail: 'tron',
        asset: 'TRX',
        decimals: 6,
        amount: sun,
        from: { rail: 'tron', ident: from },
        to: { rail: 'tron', ident: to },
        time,
        ref: hash,
        seq: transferSeq('TRX', from, to, sun),
        line,
      },
    };
  } catch (error) {
    if (!(error instanceof HoptraceError)) throw error;
    return { kind: 'reject', line, reason: rejectReason(error) };
  }
}
