import { isJsonObject, type JsonValue } from '../../adapters/common/json.js';
import { TransferSeqs } from '../../adapters/usdt/fingerprint.js';
import { USDT_TRON, type TokenFilter } from '../../adapters/usdt/tokens.js';
import { readTronGridItem } from '../../adapters/usdt/trongrid.js';
import type { ReadItem } from '../../adapters/types.js';
import { AddressCache } from '../model/address.js';
import { HoptraceError } from '../model/errors.js';
import { RateLimiter } from './rateLimiter.js';
import { requestRaw } from './rawHttp.js';
import { redactUrl } from './redactUrl.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { storeFetched, type FetchCase } from './storeFetched.js';

/** TronGrid's largest page. */
export const TRONGRID_MAX_PAGE = 200;
/** The environment variable holding a TronGrid API key; it is sent as a header and stored nowhere. */
export const TRONGRID_KEY_ENV = 'HOPTRACE_TRONGRID_KEY';

export interface TronFetchParams {
  /** The case file or PostgreSQL case fetched into. */
  store: FetchCase;
  /** API base URL, e.g. https://api.trongrid.io */
  api: string;
  apiKey?: string;
  /** Canonical base58 addresses. */
  addresses: readonly string[];
  token: TokenFilter;
  /** Milliseconds since 1970, inclusive bounds on block_timestamp. */
  minTimestamp?: number;
  maxTimestamp?: number;
  pageSize?: number;
  requestsPerSecond?: number;
  retry: RetryPolicy;
  timeoutMs: number;
  onProgress?: (event: TronProgress) => void;
}

export type TronProgress = { kind: 'page'; address: string; page: number; transfers: number; inserted: number };

export interface TronAccountFetch {
  address: string;
  pages: number;
  transfers: number;
  inserted: number;
  duplicates: number;
  /** True when an earlier run had already fetched everything asked for. */
  alreadyComplete: boolean;
  /** True when this run resumed a pass an earlier run left unfinished. */
  resumed: boolean;
}

/**
 * One pass over an account's trc20 history, oldest first. `fingerprint` is TronGrid's cursor for
 * the next page; `newest` the latest block_timestamp stored, where the next pass starts when no
 * --max-timestamp bounds the history.
 */
export interface TronCheckpoint {
  min: number | null;
  fingerprint: string | null;
  pages: number;
  complete: boolean;
  newest: number | null;
}

export function tronCheckpointKey(token: TokenFilter, address: string, min: number | undefined, max: number | undefined): string {
  return `tron|${typeof token === 'string' ? token : token.contract}|${address}|${min ?? ''}|${max ?? ''}`;
}

function tokenContract(token: TokenFilter): string | undefined {
  if (token === 'all') return undefined;
  if (token === 'usdt') return USDT_TRON;
  if (token.rail !== 'tron')
    throw new HoptraceError(`--token ${token.contract} is an Ethereum contract`, { hint: 'fetch tron needs a Tron token contract (T…)' });
  return token.contract;
}

/** `hoptrace fetch tron`: each address's TRC-20 transfers from a TronGrid-compatible API, page by page. */
export async function fetchTronAccounts(params: TronFetchParams): Promise<TronAccountFetch[]> {
  const limiter = new RateLimiter(params.requestsPerSecond ?? 5);
  const addresses = new AddressCache();
  const results: TronAccountFetch[] = [];
  for (const address of params.addresses) results.push(await fetchAccount(params, address, limiter, addresses));
  return results;
}

async function fetchAccount(params: TronFetchParams, address: string, limiter: RateLimiter, addresses: AddressCache): Promise<TronAccountFetch> {
  const contract = tokenContract(params.token);
  const key = tronCheckpointKey(params.token, address, params.minTimestamp, params.maxTimestamp);
  const saved = await params.store.readCheckpoint<TronCheckpoint>(key);
  const summary: TronAccountFetch = { address, pages: 0, transfers: 0, inserted: 0, duplicates: 0, alreadyComplete: false, resumed: false };
  let pass: TronCheckpoint;
  if (!saved) pass = { min: params.minTimestamp ?? null, fingerprint: null, pages: 0, complete: false, newest: null };
  else if (!saved.complete) {
    pass = saved;
    summary.resumed = saved.pages > 0;
  } else if (params.maxTimestamp !== undefined || saved.newest === null) {
    summary.alreadyComplete = true;
    return summary;
  } else {
    // History grows: the next pass starts at the newest transfer stored (it is fetched again and
    // recorded as a second sighting, so nothing in that millisecond is missed).
    pass = { min: Math.max(params.minTimestamp ?? 0, saved.newest), fingerprint: null, pages: 0, complete: false, newest: saved.newest };
  }
  const base = params.api.replace(/\/+$/, '');
  const shownBase = redactUrl(base).replace(/\/+$/, '');
  const resource = `/v1/accounts/${address}/transactions/trc20`;
  const seqs = new TransferSeqs();
  while (!pass.complete) {
    const query = new URLSearchParams({ limit: String(params.pageSize ?? TRONGRID_MAX_PAGE), order_by: 'block_timestamp,asc', only_confirmed: 'true' });
    if (contract) query.set('contract_address', contract);
    if (pass.min !== null) query.set('min_timestamp', String(pass.min));
    if (params.maxTimestamp !== undefined) query.set('max_timestamp', String(params.maxTimestamp));
    if (pass.fingerprint !== null) query.set('fingerprint', pass.fingerprint);
    const shownUrl = `${shownBase}${resource}`;
    const body = await withRetry(async () => {
      await limiter.take();
      return requestRaw(
        `${base}${resource}?${query}`,
        {
          method: 'GET',
          headers: { accept: 'application/json', ...(params.apiKey ? { 'TRON-PRO-API-KEY': params.apiKey } : {}) },
          timeoutMs: params.timeoutMs,
        },
        shownUrl,
      );
    }, params.retry);
    const page = parsePage(body.text, shownUrl, pass.pages + 1);
    const items: ReadItem[] = page.data.map((raw, i) => readTronGridItem(raw, i + 1, '', seqs, { addresses }, { token: params.token }));
    let newest = pass.newest;
    for (const item of items) if (item.kind === 'transfer' && (newest === null || item.record.time > newest)) newest = item.record.time;
    const next: TronCheckpoint = { min: pass.min, fingerprint: page.fingerprint, pages: pass.pages + 1, complete: page.fingerprint === null, newest };
    const options = JSON.stringify({
      address,
      contract: contract ?? 'all',
      min_timestamp: pass.min,
      max_timestamp: params.maxTimestamp ?? null,
      fingerprint: pass.fingerprint,
      page: next.pages,
    });
    const stored = await storeFetched(params.store, [{ path: shownUrl, adapter: 'fetch:tron', options, body, items }], { key, value: next });
    const transfers = items.filter((item) => item.kind === 'transfer').length;
    summary.pages++;
    summary.transfers += transfers;
    summary.inserted += stored.inserted;
    summary.duplicates += stored.duplicates;
    params.onProgress?.({ kind: 'page', address, page: next.pages, transfers, inserted: stored.inserted });
    pass = next;
  }
  return summary;
}

function parsePage(text: string, url: string, page: number): { data: JsonValue[]; fingerprint: string | null } {
  let document: JsonValue;
  try {
    document = JSON.parse(text) as JsonValue;
  } catch {
    throw new HoptraceError(`page ${page} is not JSON (truncated answer?)`, { file: url });
  }
  if (!isJsonObject(document)) throw new HoptraceError(`page ${page} is not a TronGrid answer`, { file: url });
  if (document['success'] === false)
    throw new HoptraceError(`TronGrid answered with an error on page ${page}: ${JSON.stringify(document['error'] ?? document)}`, { file: url });
  const data = document['data'];
  if (!Array.isArray(data)) throw new HoptraceError(`page ${page} has no "data" list`, { file: url });
  const meta = document['meta'];
  const fingerprint = isJsonObject(meta) && typeof meta['fingerprint'] === 'string' && meta['fingerprint'] !== '' ? meta['fingerprint'] : null;
  return { data, fingerprint };
}
