import { canonicalEvmAddress } from '../model/address.js';
import { HoptraceError } from '../model/errors.js';
import { FREEZE_TOPICS, type FreezeEvent, type FreezeEventKind } from '../model/freeze.js';
import { USDT_ETHEREUM, USDT_TRON } from '../../adapters/usdt/tokens.js';
import { EvmRpc } from './evmRpc.js';
import { requestRaw } from './rawHttp.js';
import { fetchTronFreezeEvents } from './tronFreezeEvents.js';
import { redactUrl } from './redactUrl.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

export interface ChainStatus {
  /** The node or API that answered (credentials removed). */
  endpoint: string;
  /** Head block the balances were read at (Ethereum). */
  block?: number;
  /** UTC ms of that block, or of the API's answer (Tron). */
  time: number;
  balances: Map<string, bigint>;
  /** Freeze events the node or API returned; the case's ingested lists add to these. */
  events: FreezeEvent[];
}

const BALANCE_OF = '0x70a08231';
const KIND_OF_TOPIC = new Map<string, FreezeEventKind>(Object.entries(FREEZE_TOPICS).map(([kind, topic]) => [topic, kind as FreezeEventKind]));

function word(data: string, index: number): string {
  return data.slice(2 + index * 64, 2 + (index + 1) * 64);
}

/**
 * USDT on Ethereum now: `balanceOf` of each address at the head block (less `confirmations`), and
 * the contract's freeze events from `fromBlock` to that block (one eth_getLogs over topic0 only,
 * as the events index nothing).
 */
export async function fetchEvmUsdtStatus(
  url: string,
  addresses: readonly string[],
  options: { fromBlock?: number; confirmations?: number; retry?: RetryPolicy; timeoutMs?: number } = {},
): Promise<ChainStatus> {
  const rpc = await EvmRpc.connect(url, options.retry ?? DEFAULT_RETRY, options.timeoutMs ?? 30_000);
  try {
    const block = Math.max(0, (await rpc.blockNumber()) - (options.confirmations ?? 0));
    const time = (await rpc.blockTime(block)) * 1000;
    const balances = new Map<string, bigint>();
    for (const address of addresses) {
      const data = await rpc.ethCall(USDT_ETHEREUM, BALANCE_OF + address.slice(2).toLowerCase().padStart(64, '0'), block);
      balances.set(address, data === '0x' ? 0n : BigInt(data.slice(0, 66)));
    }
    const { logs } = await rpc.logs({ fromBlock: options.fromBlock ?? 0, toBlock: block, address: USDT_ETHEREUM, topics: [Object.values(FREEZE_TOPICS)] });
    const events: FreezeEvent[] = [];
    const blockTimes = new Map<number, number>();
    for (const log of logs as { topics?: string[]; data?: string; blockNumber?: string; transactionHash?: string; logIndex?: string }[]) {
      const kind = KIND_OF_TOPIC.get((log.topics?.[0] ?? '').toLowerCase());
      const data = log.data ?? '';
      if (!kind || !/^0x[0-9a-fA-F]*$/.test(data) || data.length < 66)
        throw new HoptraceError(`the node returned a freeze log it does not decode: ${JSON.stringify(log).slice(0, 200)}`);
      const logBlock = Number(BigInt(log.blockNumber ?? '0x0'));
      let blockTime = blockTimes.get(logBlock);
      if (blockTime === undefined) blockTimes.set(logBlock, (blockTime = (await rpc.blockTime(logBlock)) * 1000));
      const address = canonicalEvmAddress('0x' + word(data, 0).slice(24));
      events.push({
        rail: 'ethereum',
        address,
        event: kind,
        time: blockTime,
        block: logBlock,
        tx: (log.transactionHash ?? '').toLowerCase(),
        logIndex: Number(BigInt(log.logIndex ?? '0x0')),
        ...(kind === 'destroyed' ? { amount: BigInt('0x' + (word(data, 1) || '0')) } : {}),
        origin: `${rpc.endpoint} block ${logBlock}`,
      });
    }
    return { endpoint: rpc.endpoint, block, time, balances, events };
  } finally {
    rpc.destroy();
  }
}

/**
 * USDT on Tron now: each account's TRC-20 balances from TronGrid's `GET /v1/accounts/{address}`
 * (an account TronGrid does not know holds nothing), and Tether's freeze events on the contract
 * from TronGrid's event API (tronFreezeEvents.ts); the case's ingested lists add to these.
 */
export async function fetchTronUsdtStatus(
  api: string,
  addresses: readonly string[],
  options: { apiKey?: string; retry?: RetryPolicy; timeoutMs?: number } = {},
): Promise<ChainStatus> {
  const base = api.replace(/\/+$/, '');
  const endpoint = redactUrl(base);
  const balances = new Map<string, bigint>();
  let time = 0;
  for (const address of addresses) {
    const body = await withRetry(
      () =>
        requestRaw(
          `${base}/v1/accounts/${address}`,
          {
            method: 'GET',
            headers: { accept: 'application/json', ...(options.apiKey ? { 'TRON-PRO-API-KEY': options.apiKey } : {}) },
            timeoutMs: options.timeoutMs ?? 30_000,
          },
          `${endpoint}/v1/accounts/${address}`,
        ),
      options.retry ?? DEFAULT_RETRY,
    );
    const answer = JSON.parse(body.text) as { success?: boolean; data?: { trc20?: Record<string, string>[] }[]; meta?: { at?: number } };
    if (answer.success === false || !Array.isArray(answer.data))
      throw new HoptraceError(`${endpoint}/v1/accounts/${address} did not answer with an account list`);
    time = Math.max(time, answer.meta?.at ?? 0);
    let balance = 0n;
    for (const entry of answer.data[0]?.trc20 ?? []) {
      const value = entry[USDT_TRON];
      if (value !== undefined) {
        if (!/^\d+$/.test(value)) throw new HoptraceError(`${endpoint}: USDT balance of ${address} is ${JSON.stringify(value)}, not a count of base units`);
        balance = BigInt(value);
      }
    }
    balances.set(address, balance);
  }
  const events = await fetchTronFreezeEvents(base, endpoint, {
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { endpoint, time, balances, events };
}
