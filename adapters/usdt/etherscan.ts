import { parseAmount } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import type { TransferRecord } from '../../src/model/types.js';
import { headerCells, ownString, readCsvBatches } from '../common/csv.js';
import { isLowerHex } from '../common/hex.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem, type TransferAdapter } from '../types.js';
import { TransferSeqs } from './fingerprint.js';
import { assetSymbol, tokenWanted, USDT_DECIMALS, USDT_ETHEREUM, type TokenFilter } from './tokens.js';

export interface EtherscanOptions {
  token: TokenFilter;
}

/**
 * Etherscan "Download CSV Export" of token transfers. Column sets seen in the wild: the address
 * page export (`Txhash,Blockno,UnixTimestamp,DateTime (UTC),From,To,TokenValue,…,ContractAddress,
 * TokenName,TokenSymbol`, sample test/fixtures/etherscan-exports-privatefolio), older ones with
 * `Value`, newer ones headed `Transaction Hash`, and the token page export (`Quantity`, no contract
 * column: the file is one token's page). Values are in token units, possibly "12,500.5".
 */
const COLUMNS = {
  hash: ['Txhash', 'Transaction Hash', 'TxHash', 'Hash'],
  block: ['Blockno', 'Block', 'BlockNo', 'Block Number'],
  unixTime: ['UnixTimestamp', 'Unix Timestamp'],
  dateTime: ['DateTime (UTC)', 'DateTime', 'Date Time (UTC)'],
  from: ['From'],
  to: ['To'],
  value: ['TokenValue', 'Value', 'Quantity', 'Token Value'],
  contract: ['ContractAddress', 'Contract Address', 'Token Contract'],
  symbol: ['TokenSymbol', 'Token Symbol', 'Symbol'],
} as const;

type Column = keyof typeof COLUMNS;
type ColumnIndex = Record<Column, number>;

function indexColumns(header: string[]): ColumnIndex {
  const index = {} as ColumnIndex;
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    index[column] = header.findIndex((cell) => names.includes(cell.trim()));
  }
  return index;
}

export const etherscanAdapter: TransferAdapter<EtherscanOptions> = {
  format: 'etherscan',
  description: 'Etherscan token-transfer CSV export',
  detect(head) {
    const index = indexColumns(headerCells(head));
    return index.hash >= 0 && index.from >= 0 && index.to >= 0 && index.value >= 0 && (index.unixTime >= 0 || index.dateTime >= 0);
  },
  read: readEtherscan,
};

async function* readEtherscan(context: ReadContext, options: EtherscanOptions): AsyncGenerator<ReadItem> {
  let index: ColumnIndex | undefined;
  let headerLength = 0;
  let pageToken = USDT_ETHEREUM;
  const seqs = new TransferSeqs();
  for await (const rows of readCsvBatches(context.path, readTextChunks(context.path, undefined, context.onBytes), { malformed: 'report' })) {
    for (const row of rows) {
      if (index === undefined) {
        index = indexColumns(row.fields);
        headerLength = row.fields.length;
        const missing = (['hash', 'from', 'to', 'value'] as const).filter((c) => index![c] < 0);
        if (missing.length > 0 || (index.unixTime < 0 && index.dateTime < 0)) {
          const hint = delimiterHint(row.fields, row.problem);
          throw new HoptraceError(`not an Etherscan token-transfer export: no ${missing.join(', ') || 'time'} column`, {
            file: context.path,
            line: row.line,
            ...(hint ? { hint } : {}),
          });
        }
        if (index.contract < 0) {
          // A token page export is one token's page and does not say which: USDT unless --token names it.
          const named = typeof options.token === 'object' && options.token.rail === 'ethereum' ? options.token.contract : undefined;
          pageToken = named ?? USDT_ETHEREUM;
          yield {
            kind: 'note',
            message: named
              ? `no contract column (token page export): every row is taken as token ${named} (--token)`
              : `no contract column (token page export): every row is taken as USDT ${USDT_ETHEREUM}; give --token ADDR if the page is another token's`,
          };
        }
        continue;
      }
      if (row.problem !== undefined) yield { kind: 'reject', line: row.line, reason: row.problem };
      else if (row.fields.length < headerLength)
        yield { kind: 'reject', line: row.line, reason: `${row.fields.length} fields, the header has ${headerLength} (truncated row?)` };
      else yield readRow(row.fields, row.line, index, pageToken, seqs, context, options);
    }
  }
  if (index === undefined) throw new HoptraceError('empty file', { file: context.path });
}

/**
 * A header read as one cell holding ';' or tabs (or, when its cells are quoted, one that breaks
 * the quoting with `";"`) was written with another delimiter.
 */
function delimiterHint(header: string[], problem: string | undefined): string | undefined {
  const text = problem !== undefined ? problem : header.length === 1 ? (header[0] ?? '') : '';
  if (problem !== undefined ? problem.startsWith('CSV: unexpected ";') : text.includes(';')) {
    return 'the header is separated by ";": Etherscan exports use ","; re-export the file or check it is the right one';
  }
  if (problem !== undefined ? problem.startsWith('CSV: unexpected "\\t') : text.includes('\t'))
    return 'the header is separated by tabs: Etherscan exports use ","';
  return undefined;
}

const EXACT = { excessPrecision: 'reject' } as const;
const TRUNCATE = { excessPrecision: 'truncate' } as const;

/** A cell, trimmed: a slice of the chunk, for values used within the row (the address cache owns its keys). */
function cellOf(fields: string[], at: number): string {
  return at >= 0 ? (fields[at] ?? '').trim() : '';
}

/** USDT's contract as Etherscan writes it: the canonical form without a look-up. */
const USDT_ETHEREUM_LOWER = USDT_ETHEREUM.toLowerCase();

/** The token contract of a row, canonical (USDT's, on nearly every row of a USDT export, as is). */
function contractOf(cell: string, context: ReadContext): string {
  return cell === USDT_ETHEREUM_LOWER || cell === USDT_ETHEREUM ? USDT_ETHEREUM : context.addresses.evmAddress(cell);
}

function readRow(
  fields: string[],
  line: number,
  index: ColumnIndex,
  pageToken: string,
  seqs: TransferSeqs,
  context: ReadContext,
  options: EtherscanOptions,
): ReadItem {
  try {
    const contract = index.contract >= 0 ? contractOf(cellOf(fields, index.contract), context) : pageToken;
    if (!tokenWanted(options.token, 'ethereum', contract)) return { kind: 'skipped', line, reason: `token ${contract}` };
    // Kept beyond the row (de-duplication keys): a string of its own.
    const hash = (index.hash >= 0 ? ownString(fields[index.hash] ?? '') : '').toLowerCase();
    if (!(hash.startsWith('0x') && isLowerHex(hash, 2, 64)))
      return { kind: 'reject', line, reason: `transaction hash ${JSON.stringify(cellOf(fields, index.hash))} is not 32 bytes of hex` };
    // Values are in token units and the export does not give decimals: 18 (the most any common
    // token has) holds every other token's value exactly.
    const decimals = contract === USDT_ETHEREUM ? USDT_DECIMALS : 18;
    const amount = parseAmount(cellOf(fields, index.value), decimals, contract === USDT_ETHEREUM ? EXACT : TRUNCATE);
    const from = context.addresses.evmAddress(cellOf(fields, index.from));
    const to = context.addresses.evmAddress(cellOf(fields, index.to));
    const time = index.unixTime >= 0 ? parseUnixSeconds(cellOf(fields, index.unixTime)) : parseUtcDateTime(cellOf(fields, index.dateTime));
    // A damaged timestamp was stored as it read (174204720: 1975) while the row's own date said otherwise.
    if (index.unixTime >= 0 && index.dateTime >= 0) {
      const disagreement = dateTimeDisagreement(time, cellOf(fields, index.dateTime));
      if (disagreement !== undefined) return { kind: 'reject', line, reason: disagreement };
    }
    if (time < EVM_GENESIS_MS) return { kind: 'reject', line, reason: `time ${new Date(time).toISOString()} is before the first Ethereum block (2015-07-30)` };
    const blockText = cellOf(fields, index.block);
    if (blockText !== '' && !/^\d+$/.test(blockText)) return { kind: 'reject', line, reason: `block ${JSON.stringify(blockText)} is not a number` };
    const record: TransferRecord = {
      rail: 'ethereum',
      asset: contract === USDT_ETHEREUM ? 'USDT' : assetSymbol('ethereum', contract, cellOf(fields, index.symbol)),
      token: contract,
      decimals,
      amount,
      from: { rail: 'ethereum', ident: from },
      to: { rail: 'ethereum', ident: to },
      time,
      ref: hash,
      seq: seqs.next('', hash, contract, from, to, amount),
      line,
    };
    if (blockText !== '') record.block = Number(blockText);
    return { kind: 'transfer', record };
  } catch (error) {
    if (error instanceof HoptraceError) return { kind: 'reject', line, reason: rejectReason(error) };
    throw error;
  }
}

/** Ethereum's genesis block, 2015-07-30 15:26:13 UTC: no EVM chain's transfer is older. */
const EVM_GENESIS_MS = 1_438_269_973_000;

/**
 * Why a row's UnixTimestamp and its DateTime (UTC) do not name the same second, or undefined when
 * they do, or when the DateTime is empty or in a form hoptrace does not read (it was never read
 * when a UnixTimestamp is there). Compared as text first: the row's own form, most rows.
 */
function dateTimeDisagreement(time: number, text: string): string | undefined {
  if (text === '') return undefined;
  const iso = new Date(time).toISOString();
  const expected = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (text === expected || text.replace('T', ' ').replace(/Z$/, '') === expected) return undefined;
  let stated: number;
  try {
    stated = parseUtcDateTime(text);
  } catch {
    return undefined;
  }
  return stated === time ? undefined : `UnixTimestamp says ${expected} UTC, DateTime (UTC) says ${text}: a damaged row`;
}

export function parseUnixSeconds(text: string): number {
  if (!/^\d{9,11}$/.test(text)) throw new HoptraceError(`timestamp ${JSON.stringify(text)} is not Unix seconds`);
  return Number(text) * 1000;
}

export function parseUtcDateTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/.exec(text);
  if (!match) throw new HoptraceError(`date ${JSON.stringify(text)} is not YYYY-MM-DD HH:MM:SS`);
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
  if (Number.isNaN(time) || new Date(time).getUTCDate() !== Number(match[3])) throw new HoptraceError(`date ${JSON.stringify(text)} does not exist`);
  return time;
}
