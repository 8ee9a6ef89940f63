import { HoptraceError } from '../../src/model/errors.js';
import { isJsonObject, parseJsonDocument, type JsonObject, type JsonValue } from '../common/json.js';
import { readJsonItems } from '../common/jsonStream.js';
import { readTextChunks, readWholeText } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem, type TransferAdapter } from '../types.js';
import { TransferSeqs } from './fingerprint.js';
import { assetSymbol, tokenWanted, USDT_DECIMALS, USDT_ETHEREUM, type TokenFilter } from './tokens.js';

export interface RpcLogsOptions {
  token: TokenFilter;
  /** Block number → Unix seconds, from `--blocks FILE`. */
  blockTimes?: ReadonlyMap<number, number>;
}

/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/**
 * `eth_getLogs` output: a bare array of logs, a JSON-RPC response `{"result": […]}`, or JSON Lines
 * in ethereum-etl's log schema (decimal numbers, `block_timestamp`). Transfer logs are decoded by
 * hand (topics 1 and 2 are the padded addresses, data the uint256): ~0.2 µs against ethers'
 * Interface.parseLog at ~124 µs; the tests hold the two to the same results.
 */
export const rpcLogsAdapter: TransferAdapter<RpcLogsOptions> = {
  format: 'rpc-logs',
  description: 'eth_getLogs JSON (array, JSON-RPC response, or ethereum-etl JSON Lines)',
  detect(head) {
    return /"topics"\s*:/.test(head) && /"(transactionHash|transaction_hash)"\s*:/.test(head);
  },
  read: readRpcLogs,
};

async function* readRpcLogs(context: ReadContext, options: RpcLogsOptions): AsyncGenerator<ReadItem> {
  const seqs = new TransferSeqs();
  const first = await firstNonSpace(context.path);
  if (first === '{' && (await looksLikeJsonLines(context.path))) {
    for await (const row of readLines(context.path, context.onBytes)) {
      let log: JsonValue;
      try {
        log = JSON.parse(row.text) as JsonValue;
      } catch {
        yield { kind: 'reject', line: row.line, reason: 'line is not a JSON object (truncated?)' };
        continue;
      }
      yield readRpcLog(log, row.line, seqs, context, options);
    }
    return;
  }
  const spec = { itemKeys: ['result'], rootArrayItems: true };
  for await (const event of readJsonItems(context.path, readTextChunks(context.path, undefined, context.onBytes), spec)) {
    if (event.kind === 'item') {
      yield readRpcLog(event.value, event.line, seqs, context, options);
      continue;
    }
    const document = event.skeleton;
    if (isJsonObject(document) && isJsonObject(document['error'])) {
      throw new HoptraceError(`the file is a JSON-RPC error response: ${JSON.stringify(document['error'])}`, { file: context.path });
    }
    if (event.itemArrays === 0) {
      throw new HoptraceError('not eth_getLogs output: expected an array of logs or {"result": [...]}', { file: context.path });
    }
  }
}

async function firstNonSpace(path: string): Promise<string> {
  for await (const chunk of readTextChunks(path)) {
    const trimmed = chunk.trimStart();
    if (trimmed !== '') return trimmed[0] ?? '';
  }
  throw new HoptraceError('empty file', { file: path });
}

async function looksLikeJsonLines(path: string): Promise<boolean> {
  for await (const row of readLines(path)) {
    try {
      const first = JSON.parse(row.text) as JsonValue;
      return isJsonObject(first) && Array.isArray(first['topics']);
    } catch {
      return false;
    }
  }
  return false;
}

async function* readLines(path: string, onBytes?: (bytesRead: number) => void): AsyncGenerator<{ line: number; text: string }> {
  let pending = '';
  let line = 0;
  for await (const chunk of readTextChunks(path, undefined, onBytes)) {
    pending += chunk;
    let at: number;
    while ((at = pending.indexOf('\n')) >= 0) {
      line++;
      const text = pending.slice(0, at).trim();
      pending = pending.slice(at + 1);
      if (text !== '') yield { line, text };
    }
  }
  if (pending.trim() !== '') yield { line: line + 1, text: pending.trim() };
}

function field(log: JsonObject, ...names: string[]): JsonValue | undefined {
  for (const name of names) if (log[name] !== undefined && log[name] !== null) return log[name];
  return undefined;
}

function quantity(value: JsonValue | undefined, what: string): number {
  let parsed = Number.NaN;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,14}$/.test(value)) parsed = Number.parseInt(value, 16);
  else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) parsed = Number(value);
  if (Number.isSafeInteger(parsed) && parsed >= 0) return parsed;
  throw new HoptraceError(`${what} ${JSON.stringify(value ?? null)} is not a number`);
}

/** One log as a transfer (or a skip or reject): shared by the file adapter and live fetch. */
export function readRpcLog(value: JsonValue, line: number, seqs: TransferSeqs, context: Pick<ReadContext, 'addresses'>, options: RpcLogsOptions): ReadItem {
  try {
    if (!isJsonObject(value)) throw new HoptraceError('log is not an object');
    const log = value;
    if ('jsonrpc' in log)
      throw new HoptraceError('a JSON-RPC response where a log was expected (batch responses are not read: save each response to its own file)');
    const topics = field(log, 'topics');
    if (!Array.isArray(topics) || typeof topics[0] !== 'string') throw new HoptraceError('log has no topics');
    if (topics[0].toLowerCase() !== TRANSFER_TOPIC) return { kind: 'skipped', line, reason: 'not a Transfer event' };
    if (topics.length !== 3) return { kind: 'skipped', line, reason: `Transfer with ${topics.length} topics (ERC-721, not a token amount)` };
    if (field(log, 'removed') === true) return { kind: 'skipped', line, reason: 'log removed by a chain reorganisation' };
    const contract = context.addresses.evmAddress(String(field(log, 'address') ?? ''));
    if (!tokenWanted(options.token, 'ethereum', contract)) return { kind: 'skipped', line, reason: `token ${contract}` };
    const from = context.addresses.evmAddress(topicAddress(String(topics[1])));
    const to = context.addresses.evmAddress(topicAddress(String(topics[2])));
    const data = String(field(log, 'data') ?? '');
    if (!/^0x[0-9a-fA-F]{64}$/.test(data)) throw new HoptraceError(`data ${JSON.stringify(data)} is not one uint256`);
    const amount = BigInt(data);
    const hash = String(field(log, 'transactionHash', 'transaction_hash') ?? '').toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new HoptraceError(`transaction hash ${JSON.stringify(hash)} is not 32 bytes of hex`);
    const block = quantity(field(log, 'blockNumber', 'block_number'), 'block number');
    const logIndex = quantity(field(log, 'logIndex', 'log_index'), 'log index');
    const time = blockTime(log, block, options);
    return {
      kind: 'transfer',
      record: {
        rail: 'ethereum',
        asset: assetSymbol('ethereum', contract, undefined),
        token: contract,
        // Logs do not carry a token's decimals: other tokens are kept in base units (decimals 0).
        decimals: contract === USDT_ETHEREUM ? USDT_DECIMALS : 0,
        amount,
        from: { rail: 'ethereum', ident: from },
        to: { rail: 'ethereum', ident: to },
        time,
        ref: hash,
        seq: seqs.next('', hash, contract, from, to, amount),
        block,
        logIndex,
        line,
      },
    };
  } catch (error) {
    if (error instanceof HoptraceError) return { kind: 'reject', line, reason: rejectReason(error) };
    throw error;
  }
}

function topicAddress(topic: string): string {
  if (!/^0x0{24}[0-9a-fA-F]{40}$/.test(topic)) throw new HoptraceError(`topic ${JSON.stringify(topic)} is not a padded address`);
  return '0x' + topic.slice(26).toLowerCase();
}

function blockTime(log: JsonObject, block: number, options: RpcLogsOptions): number {
  const own = field(log, 'blockTimestamp', 'block_timestamp');
  if (own !== undefined) return quantity(own, 'block timestamp') * 1000;
  const known = options.blockTimes?.get(block);
  if (known !== undefined) return known * 1000;
  throw new HoptraceError(`no timestamp for block ${block}`, {
    hint: 'give block times with --blocks FILE (JSON {"block": unixSeconds}, or eth_getBlockByNumber results)',
  });
}

/** `--blocks FILE`: `{"17173049": 1683029999}`, an array of blocks, or ethereum-etl JSON Lines. */
export async function readBlockTimes(path: string): Promise<Map<number, number>> {
  const text = await readWholeText(path);
  const times = new Map<number, number>();
  const add = (value: JsonValue): void => {
    if (!isJsonObject(value)) throw new HoptraceError('block entry is not an object', { file: path });
    const block = isJsonObject(value['result']) ? value['result'] : value;
    times.set(quantity(block['number'] ?? null, 'block number'), quantity(block['timestamp'] ?? null, 'block timestamp'));
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const list = parseJsonDocument(text, path);
    if (Array.isArray(list)) list.forEach(add);
  } else if (/^\{\s*"\d+"\s*:/.test(trimmed)) {
    const map = parseJsonDocument(text, path);
    if (isJsonObject(map)) for (const [block, time] of Object.entries(map)) times.set(Number(block), quantity(time, 'block timestamp'));
  } else {
    for (const [i, line] of trimmed.split('\n').entries()) {
      if (line.trim() === '') continue;
      try {
        add(JSON.parse(line) as JsonValue);
      } catch (error) {
        throw new HoptraceError(error instanceof HoptraceError ? error.message : 'not a JSON object', { file: path, line: i + 1 });
      }
    }
  }
  return times;
}
