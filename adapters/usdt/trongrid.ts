import { parseUnits, unitsFromDigits } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import type { TransferRecord } from '../../src/model/types.js';
import { isLowerHex } from '../common/hex.js';
import { isJsonObject, stringField, type JsonObject, type JsonValue } from '../common/json.js';
import { readJsonItemBatches, type JsonPath } from '../common/jsonStream.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem, type TransferAdapter } from '../types.js';
import { TransferSeqs } from './fingerprint.js';
import { assetSymbol, tokenDecimals, tokenWanted, USDT_DECIMALS, USDT_TRON, type TokenFilter } from './tokens.js';

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
    if (!/"data"\s*:/.test(head)) return false;
    // An empty last page has no transfer to recognise, only TronGrid's `meta.page_size`.
    return (/"transaction_id"\s*:/.test(head) && /"token_info"\s*:/.test(head)) || /"data"\s*:\s*\[\s*\][\s\S]*"page_size"\s*:/.test(head);
  },
  read: readTronGrid,
  readBatches: readTronGridBatches,
};

async function* readTronGrid(context: ReadContext, options: TronGridOptions): AsyncGenerator<ReadItem> {
  for await (const items of readTronGridBatches(context, options)) yield* items;
}

/** The items of the file, those of each chunk of its text together (TransferAdapter.readBatches). */
async function* readTronGridBatches(context: ReadContext, options: TronGridOptions): AsyncGenerator<ReadItem[]> {
  const seqs = new TransferSeqs();
  const spec = { itemKeys: ['data'], rootArrayItems: false };
  // The items of one array share its path: its scope is worked out once per array.
  let scopePath: JsonPath | undefined;
  let scope = '';
  for await (const events of readJsonItemBatches(context.path, readTextChunks(context.path, undefined, context.onBytes), spec)) {
    let items: ReadItem[] = [];
    for (const event of events) {
      if (event.kind === 'item') {
        if (event.path !== scopePath) {
          scopePath = event.path;
          scope = scopeOf(event.path);
        }
        items.push(readTronGridItem(event.value, event.line, scope, seqs, context, options));
        continue;
      }
      // The items before the end of the document are read before it is checked.
      if (items.length > 0) yield items;
      items = [];
      checkPages(event.skeleton, event.itemArrays, context.path);
    }
    if (items.length > 0) yield items;
  }
}

/**
 * Pages keyed by account (Ledger Live's shape) are separate downloads: one transfer between two
 * of them is listed in both. The scope names the download by the keys above the page.
 */
function scopeOf(path: JsonPath): string {
  return path.filter((key) => typeof key === 'string' && key !== 'data').join('/');
}

/** The document around the items: an error answer, or no `data` array at all, is not a page. */
function checkPages(skeleton: JsonValue, itemArrays: number, path: string): void {
  const pages = [skeleton, ...(Array.isArray(skeleton) ? skeleton : isJsonObject(skeleton) ? Object.values(skeleton) : [])];
  for (const page of pages) {
    if (isJsonObject(page) && page['success'] === false) {
      throw new HoptraceError(`TronGrid answered with an error: ${JSON.stringify(page['error'] ?? page)}`, { file: path });
    }
  }
  if (itemArrays === 0) throw new HoptraceError('not a TronGrid trc20 page: expected {"data": [...]}', { file: path });
}

/** A string field, or '' (which every check after it rejects with the value shown). */
function text(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

/** `type` as stringField reads it: a string, a safe integer as its digits, otherwise none. */
function typeField(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** The transaction id in lower case, checked to be 32 bytes of hex. */
export function transactionHash(id: string): string {
  // Ids come in lower case: checked character by character, the same answer as the pattern below.
  if (isLowerHex(id, 0, 64)) return id;
  const hash = id.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`transaction_id ${JSON.stringify(hash)} is not 32 bytes of hex`);
  return hash;
}

/** One TronGrid trc20 item as a transfer (or a skip or reject): shared by the file adapter and live fetch. */
export function readTronGridItem(
  raw: JsonValue,
  line: number,
  scope: string,
  seqs: TransferSeqs,
  context: Pick<ReadContext, 'addresses'>,
  options: TronGridOptions,
): ReadItem {
  try {
    if (!isJsonObject(raw)) throw new HoptraceError('transfer is not an object');
    const item: JsonObject = raw;
    const info = isJsonObject(item['token_info']) ? item['token_info'] : undefined;
    if (!info) throw new HoptraceError('transfer has no token_info');
    const contract = text(info, 'address');
    // USDT's contract is on nearly every row and already canonical: no look-up needed.
    const token = contract === USDT_TRON ? USDT_TRON : context.addresses.tronAddress(contract);
    if (!tokenWanted(options.token, 'tron', token)) return { kind: 'skipped', line, reason: `token ${token}` };
    const type = typeField(item['type']);
    if (type !== undefined && type !== 'Transfer') return { kind: 'skipped', line, reason: `${type} event, not a transfer` };
    const hash = transactionHash(text(item, 'transaction_id'));
    const time = item['block_timestamp'];
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 1e12) {
      throw new HoptraceError(`block_timestamp ${JSON.stringify(time ?? null)} is not milliseconds since 1970`);
    }
    const declared = info['decimals'];
    if (declared !== undefined && typeof declared !== 'number') throw new HoptraceError(`token decimals ${JSON.stringify(declared)} is not a number`);
    // USDT's own 6 is what tokenDecimals answers for it, without its text checks.
    const decimals = declared === USDT_DECIMALS && token === USDT_TRON ? USDT_DECIMALS : tokenDecimals('tron', token, declared);
    const value = item['value'];
    if (typeof value !== 'string') throw new HoptraceError(`value ${JSON.stringify(value ?? null)} must be a string of base units`);
    const amount = unitsFromDigits(value) ?? parseUnits(value);
    const from = context.addresses.tronAddress(text(item, 'from'));
    const to = context.addresses.tronAddress(text(item, 'to'));
    const record: TransferRecord = {
      rail: 'tron',
      asset: token === USDT_TRON ? 'USDT' : assetSymbol('tron', token, stringField(info, 'symbol')),
      token,
      decimals,
      amount,
      from: { rail: 'tron', ident: from },
      to: { rail: 'tron', ident: to },
      time,
      ref: hash,
      seq: seqs.next(scope, hash, token, from, to, amount),
      line,
    };
    const detail = item['detail'];
    if (isJsonObject(detail) && typeof detail['blockNumber'] === 'number') record.block = detail['blockNumber'];
    return { kind: 'transfer', record };
  } catch (error) {
    if (error instanceof HoptraceError) return { kind: 'reject', line, reason: rejectReason(error) };
    throw error;
  }
}
