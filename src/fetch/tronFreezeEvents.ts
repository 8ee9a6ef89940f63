import { canonicalTronAddress, tronHexToBase58 } from '../model/address.js';
import { HoptraceError } from '../model/errors.js';
import type { FreezeEvent, FreezeEventKind } from '../model/freeze.js';
import { USDT_TRON } from '../../adapters/usdt/tokens.js';
import { requestRaw } from './rawHttp.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** TronGrid's event names of Tether's freeze events (TetherToken.sol) and the parameter naming the address. */
const EVENTS: readonly { name: string; kind: FreezeEventKind; address: string }[] = [
  { name: 'AddedBlackList', kind: 'added', address: '_user' },
  { name: 'RemovedBlackList', kind: 'removed', address: '_user' },
  { name: 'DestroyedBlackFunds', kind: 'destroyed', address: '_blackListedUser' },
];

const PAGE = 200;
/** A runaway guard: the contract has had some 6,000 freezes in seven years (30 pages). */
const MAX_PAGES = 10_000;

interface TronGridEvent {
  block_number?: number;
  block_timestamp?: number;
  event_index?: number;
  event_name?: string;
  transaction_id?: string;
  result?: Record<string, string>;
}

/** An address parameter as TronGrid decodes it: `0x` + 20 bytes (the `41` prefix dropped), `41…` hex, or base58. */
function eventAddress(value: string): string {
  const text = value.trim();
  if (/^0x[0-9a-fA-F]{40}$/.test(text)) return tronHexToBase58('41' + text.slice(2));
  return canonicalTronAddress(text);
}

/**
 * Tether's freeze events on the Tron USDT contract, fetched live from a TronGrid-compatible API:
 * `GET /v1/contracts/{contract}/events?event_name=…&only_confirmed=true&order_by=block_timestamp,asc
 * &limit=200`, page after page by `meta.fingerprint`, for each of the
 * three events. Only confirmed events: an unconfirmed freeze can still vanish with its block.
 */
export async function fetchTronFreezeEvents(
  base: string,
  endpoint: string,
  options: { apiKey?: string; retry?: RetryPolicy; timeoutMs?: number } = {},
): Promise<FreezeEvent[]> {
  const events: FreezeEvent[] = [];
  const headers = { accept: 'application/json', ...(options.apiKey ? { 'TRON-PRO-API-KEY': options.apiKey } : {}) };
  for (const { name, kind, address } of EVENTS) {
    let fingerprint: string | undefined;
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) throw new HoptraceError(`${endpoint}: more than ${MAX_PAGES} pages of ${name} events: the API does not end its paging`);
      const query = new URLSearchParams({ event_name: name, only_confirmed: 'true', order_by: 'block_timestamp,asc', limit: String(PAGE) });
      if (fingerprint) query.set('fingerprint', fingerprint);
      const path = `/v1/contracts/${USDT_TRON}/events?${query}`;
      const body = await withRetry(
        () => requestRaw(`${base}${path}`, { method: 'GET', headers, timeoutMs: options.timeoutMs ?? 30_000 }, `${endpoint}${path}`),
        options.retry ?? DEFAULT_RETRY,
      );
      let answer: { success?: boolean; data?: TronGridEvent[]; meta?: { fingerprint?: string } };
      try {
        answer = JSON.parse(body.text) as typeof answer;
      } catch {
        throw new HoptraceError(`${endpoint}${path} did not answer with JSON (${JSON.stringify(body.text.slice(0, 80))})`);
      }
      if (answer.success === false || !Array.isArray(answer.data)) throw new HoptraceError(`${endpoint}${path} did not answer with an event list`);
      for (const item of answer.data) {
        const user = item.result?.[address];
        if (item.event_name !== name || typeof user !== 'string' || typeof item.block_timestamp !== 'number') {
          throw new HoptraceError(`${endpoint} returned a ${name} event it does not decode: ${JSON.stringify(item).slice(0, 200)}`);
        }
        const balance = item.result?.['_balance'];
        if (kind === 'destroyed' && (balance === undefined || !/^\d+$/.test(balance)))
          throw new HoptraceError(`${endpoint}: DestroyedBlackFunds of ${user} has the balance ${JSON.stringify(balance)}, not a count of base units`);
        events.push({
          rail: 'tron',
          address: eventAddress(user),
          event: kind,
          time: item.block_timestamp,
          ...(item.block_number === undefined ? {} : { block: item.block_number }),
          ...(item.transaction_id ? { tx: item.transaction_id.toLowerCase() } : {}),
          ...(item.event_index === undefined ? {} : { logIndex: item.event_index }),
          ...(kind === 'destroyed' ? { amount: BigInt(balance!) } : {}),
          origin: `${endpoint} ${name}${item.block_number === undefined ? '' : ` block ${item.block_number}`}`,
        });
      }
      fingerprint = answer.meta?.fingerprint;
      if (!fingerprint || answer.data.length === 0) break;
    }
  }
  return events;
}
