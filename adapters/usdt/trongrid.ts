import { parseUnits } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import { isJsonObject, objectLinesByDepth, parseJsonDocument, stringField, type JsonObject, type JsonValue } from '../common/json.js';
import { readWholeText } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem, type TransferAdapter } from '../types.js';
import { transferSeq } from './fingerprint.js';
import { assetSymbol, tokenWanted, type TokenFilter } from './tokens.js';

export interface TronGridOptions {
  token: TokenFilter;
}

/**
 * TronGrid `GET /v1/accounts/{address}/transactions/trc20` pages: `{"data": [...], "meta": …}`,
 * an array of such pages, or an object keyed by the queried address (the shape of Ledger Live's
 * fixture, test/fixtures/trongrid-trc20-ledger-live). `value` is a string of base units; the
 * optional `detail` (the full transaction) is ignored: what moved is in from/to/value.
 */
export const trongridAdapter: TransferAdapter<TronGridOptions> = {
  format: 'trongrid',
  description: 'TronGrid /v1/accounts/{addr}/transactions/trc20 JSON pages',
  detect(head) {
    return /"data"\s*:/.test(head) && /"transaction_id"\s*:/.test(head) && /"token_info"\s*:/.test(head);
  },
  read: readTronGrid,
};

/** Each page's data array with the depth its items sit at (for their line numbers). */
function pagesOf(document: JsonValue, path: string): { items: JsonValue[]; depth: number }[] {
  const page = (value: JsonValue, depth: number): { items: JsonValue[]; depth: number } | undefined =>
    isJsonObject(value) && Array.isArray(value['data']) ? { items: value['data'], depth } : undefined;
  const direct = page(document, 2);
  if (direct) {
    if (document && isJsonObject(document) && document['success'] === false) {
      throw new HoptraceError(`TronGrid answered with an error: ${JSON.stringify(document['error'] ?? document)}`, { file: path });
    }
    return [direct];
  }
  const found: { items: JsonValue[]; depth: number }[] = [];
  const nested = Array.isArray(document) ? document : isJsonObject(document) ? Object.values(document) : [];
  for (const value of nested) {
    const inner = page(value, 3);
    if (!inner) throw new HoptraceError('not a TronGrid trc20 page: expected {"data": [...]}', { file: path });
    found.push(inner);
  }
  if (found.length === 0) throw new HoptraceError('not a TronGrid trc20 page: expected {"data": [...]}', { file: path });
  return found;
}

async function* readTronGrid(context: ReadContext, options: TronGridOptions): AsyncGenerator<ReadItem> {
  const text = await readWholeText(context.path, context.onBytes);
  if (text.trim() === '') throw new HoptraceError('empty file', { file: context.path });
  const document = parseJsonDocument(text, context.path);
  const pages = pagesOf(document, context.path);
  const lines = objectLinesByDepth(text);
  const seen = new Map<number, number>();
  for (const { items, depth } of pages) {
    const depthLines = lines.get(depth) ?? [];
    for (const item of items) {
      const n = seen.get(depth) ?? 0;
      seen.set(depth, n + 1);
      yield readItem(item, depthLines[n] ?? n + 1, context, options);
    }
  }
}

function readItem(raw: JsonValue, line: number, context: ReadContext, options: TronGridOptions): ReadItem {
  try {
    if (!isJsonObject(raw)) throw new HoptraceError('transfer is not an object');
    const item: JsonObject = raw;
    const info = isJsonObject(item['token_info']) ? item['token_info'] : undefined;
    if (!info) throw new HoptraceError('transfer has no token_info');
    const token = context.addresses.tronAddress(stringField(info, 'address') ?? '');
    if (!tokenWanted(options.token, 'tron', token)) return { kind: 'skipped', line, reason: `token ${token}` };
    const type = stringField(item, 'type');
    if (type !== undefined && type !== 'Transfer') return { kind: 'skipped', line, reason: `${type} event, not a transfer` };
    const hash = (stringField(item, 'transaction_id') ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`transaction_id ${JSON.stringify(hash)} is not 32 bytes of hex`);
    const time = item['block_timestamp'];
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 1e12) {
      throw new HoptraceError(`block_timestamp ${JSON.stringify(time ?? null)} is not milliseconds since 1970`);
    }
    const decimals = info['decimals'];
    if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
      throw new HoptraceError(`token decimals ${JSON.stringify(decimals ?? null)} is not a number`);
    }
    const value = item['value'];
    if (typeof value !== 'string') throw new HoptraceError(`value ${JSON.stringify(value ?? null)} must be a string of base units`);
    const amount = parseUnits(value);
    const from = context.addresses.tronAddress(stringField(item, 'from') ?? '');
    const to = context.addresses.tronAddress(stringField(item, 'to') ?? '');
    const detail = isJsonObject(item['detail']) ? item['detail'] : undefined;
    const block = detail && typeof detail['blockNumber'] === 'number' ? detail['blockNumber'] : undefined;
    return {
      kind: 'transfer',
      record: {
        rail: 'tron',
        asset: assetSymbol('tron', token, stringField(info, 'symbol')),
        token,
        decimals,
        amount,
        from: { rail: 'tron', ident: from },
        to: { rail: 'tron', ident: to },
        time,
        ref: hash,
        seq: transferSeq(token, from, to, amount),
        ...(block === undefined ? {} : { block }),
        line,
      },
    };
  } catch (error) {
    if (error instanceof HoptraceError) return { kind: 'reject', line, reason: rejectReason(error) };
    throw error;
  }
}
