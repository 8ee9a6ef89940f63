import { parseUnits } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import type { TransferRecord } from '../../src/model/types.js';
import { headerCells, ownString, readCsvBatches } from '../common/csv.js';
import { isJsonObject, stringField, type JsonObject } from '../common/json.js';
import { readJsonItems } from '../common/jsonStream.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem, type TransferAdapter } from '../types.js';
import { TransferSeqs } from './fingerprint.js';
import { assetSymbol, tokenDecimals, tokenWanted, type TokenFilter } from './tokens.js';

export interface TronScanOptions {
  token: TokenFilter;
}

/**
 * TronScan API `token_trc20/transfers` rows: JSON pages (`{"token_transfers": […]}`) or CSV
 * flattenings of them (`tx_id`/`transaction_id`, `timestamp`/`block_ts` in ms, `quant` in base
 * units). The real 10,827-row sample (test/fixtures/tron-aso-nbctf-hfuhruhurr) has a header
 * damaged upstream: a pandas index row was glued on (`…,contract_return,result0,1,2,…,17`), 35
 * names over 18 fields; it is repaired, with a note, rather than refused.
 */
const CSV_FIELDS = {
  hash: ['tx_id', 'transaction_id', 'hash'],
  time: ['timestamp', 'block_ts'],
  from: ['from_address'],
  to: ['to_address'],
  quant: ['quant', 'amount_str', 'value'],
  token: ['token_id', 'contract_address', 'tokenId'],
  decimals: ['token_decimal', 'tokenDecimal', 'decimals'],
  symbol: ['token_abbr', 'tokenAbbr', 'symbol'],
  fromTag: ['from_tag', 'from_address_tag'],
  toTag: ['to_tag', 'to_address_tag'],
  result: ['contract_return', 'contractRet', 'finalResult', 'result'],
  block: ['block'],
  wallet: ['wallet'],
  revert: ['revert'],
} as const;
type Field = keyof typeof CSV_FIELDS;

export const tronscanAdapter: TransferAdapter<TronScanOptions> = {
  format: 'tronscan',
  description: 'TronScan API token_trc20/transfers (JSON pages or CSV)',
  detect(head) {
    const trimmed = head.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return /"token_transfers"\s*:/.test(head);
    const cells = headerCells(head);
    return cells.includes('from_address') && cells.includes('to_address') && cells.includes('quant');
  },
  async *read(context, options) {
    const head = (await readWholeHead(context.path)).trimStart();
    if (head.startsWith('{') || head.startsWith('[')) yield* readJson(context, options);
    else yield* readCsv(context, options);
  },
};

async function readWholeHead(path: string): Promise<string> {
  for await (const chunk of readTextChunks(path)) {
    const start = chunk.trimStart();
    if (start !== '') return start.slice(0, 16);
  }
  throw new HoptraceError('empty file', { file: path });
}

/** A row as named values, whichever flattening it came from. */
type RowValues = { [F in Field]?: string | undefined };

async function* readCsv(context: ReadContext, options: TronScanOptions): AsyncGenerator<ReadItem> {
  let columns: [Field, number][] | undefined;
  let width = 0;
  const seqs = new TransferSeqs();
  for await (const rows of readCsvBatches(context.path, readTextChunks(context.path, undefined, context.onBytes), { malformed: 'report' })) {
    for (const row of rows) {
      if (columns === undefined) {
        let header = row.fields.map((cell) => cell.trim());
        const glued = header.indexOf('result0');
        if (glued >= 0) {
          yield {
            kind: 'note',
            message: `header repaired: "${header.slice(glued).join(',')}" read as "result" (a pandas index row glued onto the header upstream)`,
          };
          header = [...header.slice(0, glued), 'result'];
        }
        const found: [Field, number][] = [];
        for (const [field, names] of Object.entries(CSV_FIELDS) as [Field, readonly string[]][]) {
          const at = header.findIndex((cell) => names.includes(cell));
          if (at >= 0) found.push([field, at]);
        }
        const missing = (['hash', 'time', 'from', 'to', 'quant', 'token'] as const).filter((f) => !found.some(([field]) => field === f));
        if (missing.length > 0)
          throw new HoptraceError(`not a TronScan transfer export: no ${missing.join(', ')} column`, { file: context.path, line: row.line });
        columns = found;
        width = header.length;
        continue;
      }
      if (row.problem !== undefined) {
        yield { kind: 'reject', line: row.line, reason: row.problem };
        continue;
      }
      if (row.fields.length !== width) {
        yield { kind: 'reject', line: row.line, reason: `${row.fields.length} fields, the header has ${width}` };
        continue;
      }
      // Own strings: addresses, hash and wallet outlive the row as cache and de-duplication keys.
      const values: RowValues = {};
      for (const [field, at] of columns) values[field] = ownString(row.fields[at] ?? '');
      yield* readValues(values, row.line, values.wallet ?? '', seqs, context, options);
    }
  }
  if (columns === undefined) throw new HoptraceError('empty file', { file: context.path });
}

async function* readJson(context: ReadContext, options: TronScanOptions): AsyncGenerator<ReadItem> {
  const seqs = new TransferSeqs();
  const spec = { itemKeys: ['token_transfers'], rootArrayItems: false };
  for await (const event of readJsonItems(context.path, readTextChunks(context.path, undefined, context.onBytes), spec)) {
    if (event.kind === 'end') {
      if (event.itemArrays === 0) throw new HoptraceError('not a TronScan page: no "token_transfers" array', { file: context.path });
      continue;
    }
    if (!isJsonObject(event.value)) {
      yield { kind: 'reject', line: event.line, reason: 'transfer is not an object' };
      continue;
    }
    // Pages of one query never repeat a transfer; an array of pages may hold several wallets' queries.
    yield* readValues(flattenJsonItem(event.value), event.line, String(event.path[0] ?? ''), seqs, context, options);
  }
}

function flattenJsonItem(item: JsonObject): RowValues {
  // The API calls it `tokenInfo`; some saved flattenings use `token_info`.
  const info = isJsonObject(item['tokenInfo']) ? item['tokenInfo'] : isJsonObject(item['token_info']) ? item['token_info'] : {};
  const tagOf = (key: string, inner: string): string | undefined => {
    const value = item[key];
    return isJsonObject(value) ? stringField(value, inner) : typeof value === 'string' ? value : undefined;
  };
  const values: RowValues = {
    hash: stringField(item, 'transaction_id', 'tx_id', 'hash'),
    time: stringField(item, 'block_ts', 'timestamp'),
    from: stringField(item, 'from_address'),
    to: stringField(item, 'to_address'),
    quant: stringField(item, 'quant', 'amount_str'),
    token: stringField(info, 'tokenId', 'address') ?? stringField(item, 'contract_address', 'token_id'),
    decimals: stringField(info, 'tokenDecimal', 'decimals') ?? stringField(item, 'token_decimal'),
    symbol: stringField(info, 'tokenAbbr', 'symbol') ?? stringField(item, 'token_abbr'),
    fromTag: tagOf('from_address_tag', 'from_address_tag'),
    toTag: tagOf('to_address_tag', 'to_address_tag'),
    result: stringField(item, 'finalResult', 'contractRet', 'contract_return'),
    block: stringField(item, 'block'),
    revert: typeof item['revert'] === 'boolean' ? String(item['revert']) : stringField(item, 'revert'),
  };
  return values;
}

function* readValues(values: RowValues, line: number, scope: string, seqs: TransferSeqs, context: ReadContext, options: TronScanOptions): Generator<ReadItem> {
  try {
    const token = context.addresses.tronAddress(values.token ?? '');
    if (!tokenWanted(options.token, 'tron', token)) {
      yield { kind: 'skipped', line, reason: `token ${token}` };
      return;
    }
    if (values.result && values.result !== '' && values.result !== 'SUCCESS') {
      yield { kind: 'skipped', line, reason: `transaction result ${values.result}: nothing moved` };
      return;
    }
    if (values.revert === 'true' || values.revert === 'True') {
      yield { kind: 'skipped', line, reason: 'transaction reverted: nothing moved' };
      return;
    }
    const record = tronRecord(values, line, token, scope, seqs, context);
    yield { kind: 'transfer', record };
    if (values.fromTag) yield exchangeTag(record.from.ident, values.fromTag, line);
    if (values.toTag) yield exchangeTag(record.to.ident, values.toTag, line);
  } catch (error) {
    if (error instanceof HoptraceError) yield { kind: 'reject', line, reason: rejectReason(error) };
    else throw error;
  }
}

function tronRecord(values: RowValues, line: number, token: string, scope: string, seqs: TransferSeqs, context: ReadContext): TransferRecord {
  const hash = (values.hash ?? '').toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`transaction id ${JSON.stringify(values.hash ?? '')} is not 32 bytes of hex`);
  const time = values.time ?? '';
  if (!/^\d{12,14}$/.test(time)) throw new HoptraceError(`timestamp ${JSON.stringify(time)} is not milliseconds since 1970`);
  const decimals = tokenDecimals('tron', token, values.decimals);
  const amount = parseUnits(values.quant ?? '');
  const from = context.addresses.tronAddress(values.from ?? '');
  const to = context.addresses.tronAddress(values.to ?? '');
  const block = values.block && /^\d+$/.test(values.block) ? Number(values.block) : undefined;
  return {
    rail: 'tron',
    asset: assetSymbol('tron', token, values.symbol),
    token,
    decimals,
    amount,
    from: { rail: 'tron', ident: from },
    to: { rail: 'tron', ident: to },
    time: Number(time),
    ref: hash,
    seq: seqs.next(scope, hash, token, from, to, amount),
    ...(block === undefined ? {} : { block }),
    line,
  };
}

// TronScan's address tags on the sample are all exchange wallets ("Binance-Hot 2", "Okex 1"): kept
// as exchange tags of origin TronScan, with the middling confidence of an explorer's label.
function exchangeTag(ident: string, label: string, line: number): ReadItem {
  return { kind: 'tag', record: { account: { rail: 'tron', ident }, category: 'exchange', label, origin: 'TronScan', confidence: 50, line } };
}
