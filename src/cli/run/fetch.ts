import { addressOnRail, canonicalEvmAddress, canonicalTronAddress } from '../../model/address.js';
import { HoptraceError } from '../../model/errors.js';
import { parseTokenFilter } from '../../ingest/ingestUsdt.js';
import type { AccountFetcher } from '../../fetch/crawl.js';
import { sqliteFetchCase } from '../../fetch/fetchCaseSqlite.js';
import type { FetchCase } from '../../fetch/storeFetched.js';
import { EvmRpc } from '../../fetch/evmRpc.js';
import { fetchEvmAccounts, type EvmAccountFetch, type EvmProgress } from '../../fetch/evmFetch.js';
import { DEFAULT_RETRY, describeFailure, type RetryPolicy } from '../../fetch/retry.js';
import { fetchTronAccounts, TRONGRID_KEY_ENV, type TronAccountFetch, type TronProgress } from '../../fetch/tronFetch.js';
import { TRANSFER_TOPIC } from '../../../adapters/usdt/rpcLogs.js';
import { USDT_ETHEREUM } from '../../../adapters/usdt/tokens.js';
import { onPostgres, withCase, printJson } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { parsePositiveInteger, parseTime } from '../parse.js';
import type { FetchEvmCliOptions } from '../commands/fetchEvm.js';
import type { FetchTronCliOptions } from '../commands/fetchTron.js';

/**
 * What `fetch evm`, `fetch tron` and `trace --fetch` say about a fetch, each only part of it (the
 * parsers below fall back to the same defaults when an option is absent).
 */
type FetchOptions = Partial<Omit<FetchEvmCliOptions, 'address'> & Omit<FetchTronCliOptions, 'address'>>;

function wholeNumber(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim())) throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a whole number`);
  return Number(text.trim());
}

function retryPolicy(options: FetchOptions, log: (line: string) => void): RetryPolicy {
  return {
    ...DEFAULT_RETRY,
    ...(options.retries === undefined ? {} : { attempts: wholeNumber(options.retries, '--retries') + 1 }),
    ...(options.retryDelayMs === undefined ? {} : { baseDelayMs: wholeNumber(options.retryDelayMs, '--retry-delay-ms') }),
    onRetry: (attempt, delay, error) => log(`retry ${attempt} in ${delay} ms: ${describeFailure(error).slice(0, 200)}`),
  };
}

function timeoutMs(options: FetchOptions): number {
  return (options.timeout === undefined ? 30 : parsePositiveInteger(options.timeout, '--timeout')) * 1000;
}

/** Progress on stderr: at most one line a second, so a long fetch shows it is alive without flooding a log. */
function throttledLog(quiet: boolean | undefined): (line: string, force?: boolean) => void {
  let last = 0;
  return (line, force = false) => {
    if (quiet) return;
    const now = Date.now();
    if (!force && now - last < 1000) return;
    last = now;
    process.stderr.write(`hoptrace fetch: ${line}\n`);
  };
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, noun: string): string => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

function evmProgressLine(event: EvmProgress): string {
  if (event.kind === 'refused') return `${event.address}: the node refused blocks ${count(event.fromBlock)}–${count(event.toBlock)}; splitting`;
  const share = event.blocksTotal === 0 ? 100 : Math.floor((event.blocksDone / event.blocksTotal) * 100);
  return `${event.address}: blocks to ${count(event.toBlock)} (${share}%), ${count(event.logs)} logs in the last range, span ${count(event.span)}`;
}

export function describeEvmFetch(result: EvmAccountFetch): string {
  const already = result.blocksAlreadyFetched > 0 ? ` (${count(result.blocksAlreadyFetched)} already fetched)` : '';
  const refused = result.refusals > 0 ? `, ${count(result.refusals)} refused and split` : '';
  return `${result.address}: ${plural(result.blocksScanned, 'block')} fetched${already}, ${count(result.queries)} queries${refused}; ${plural(result.logs, 'log')}: ${count(result.inserted)} new transfers, ${count(result.duplicates)} already in the case`;
}

export function describeTronFetch(result: TronAccountFetch): string {
  if (result.alreadyComplete) return `${result.address}: already fetched (nothing new asked)`;
  return `${result.address}: ${plural(result.pages, 'page')}${result.resumed ? ' (resumed)' : ''}; ${plural(result.transfers, 'transfer')}: ${count(result.inserted)} new, ${count(result.duplicates)} already in the case`;
}

interface EvmSession {
  rpc: EvmRpc;
  fetch: (store: FetchCase, addresses: readonly string[]) => Promise<EvmAccountFetch[]>;
}

async function openEvm(options: FetchOptions): Promise<EvmSession> {
  if (!options.rpc) throw new HoptraceError('--rpc URL is required', { hint: 'the JSON-RPC endpoint of an Ethereum node, e.g. http://127.0.0.1:8545' });
  const log = throttledLog(options.quiet);
  const retry = retryPolicy(options, (line) => log(line, true));
  const rpc = await EvmRpc.connect(options.rpc, retry, timeoutMs(options));
  const token = parseTokenFilter(options.token);
  const concurrency = options.concurrency === undefined ? 4 : parsePositiveInteger(options.concurrency, '--concurrency');
  const fromBlock = options.fromBlock === undefined ? 0 : wholeNumber(options.fromBlock, '--from-block');
  // Blocks newer than `confirmations` could still be reorganised away; the checkpoint must not
  // claim them, so by default the fetch stops 12 blocks short of the head.
  const confirmations = options.confirmations === undefined ? 12 : wholeNumber(options.confirmations, '--confirmations');
  const toBlock = options.toBlock === undefined ? Math.max(0, (await rpc.blockNumber()) - confirmations) : wholeNumber(options.toBlock, '--to-block');
  if (toBlock < fromBlock) throw new HoptraceError(`--to-block ${toBlock} is before --from-block ${fromBlock}`);
  return {
    rpc,
    fetch: (store, addresses) =>
      fetchEvmAccounts({
        store,
        rpc,
        addresses,
        token,
        fromBlock,
        toBlock,
        concurrency,
        onProgress: (event) => log(evmProgressLine(event)),
      }),
  };
}

function tronOptions(options: FetchOptions): Omit<Parameters<typeof fetchTronAccounts>[0], 'store' | 'addresses'> {
  if (!options.api) throw new HoptraceError('--api URL is required', { hint: 'a TronGrid-compatible API, e.g. https://api.trongrid.io' });
  const log = throttledLog(options.quiet);
  const apiKey = process.env[TRONGRID_KEY_ENV];
  return {
    api: options.api,
    ...(apiKey ? { apiKey } : {}),
    token: parseTokenFilter(options.token),
    ...(options.minTimestamp === undefined ? {} : { minTimestamp: parseTime(options.minTimestamp, '--min-timestamp') }),
    ...(options.maxTimestamp === undefined ? {} : { maxTimestamp: parseTime(options.maxTimestamp, '--max-timestamp') }),
    ...(options.pageSize === undefined ? {} : { pageSize: Math.min(200, parsePositiveInteger(options.pageSize, '--page-size')) }),
    ...(options.rate === undefined ? {} : { requestsPerSecond: parsePositiveInteger(options.rate, '--rate') }),
    retry: retryPolicy(options, (line) => log(line, true)),
    timeoutMs: timeoutMs(options),
    onProgress: (event: TronProgress) => log(`${event.address}: page ${count(event.page)}, ${count(event.transfers)} transfers (${count(event.inserted)} new)`),
  };
}

/**
 * The case a fetch command stores into, opened for writing (a fetch may start a case): a case
 * file, or a PostgreSQL case (./postgresFetch.ts), where a role that may not write is refused
 * before anything is fetched.
 */
async function withFetchCase<T>(globals: GlobalOptions, command: string, run: (store: FetchCase) => Promise<T>): Promise<T> {
  if (onPostgres(globals)) return (await import('./postgresFetch.js')).withPgFetchCase(globals, command, (store) => run(store));
  return withCase(globals, (db) => run(sqliteFetchCase(db)), 'create');
}

export async function runFetchEvm(globals: GlobalOptions, addresses: string[], options: Omit<FetchEvmCliOptions, 'address'>): Promise<void> {
  const canonical = [...new Set(addresses.map((a) => canonicalEvmAddress(a)))];
  const session = await openEvm(options);
  try {
    const results = await withFetchCase(globals, 'fetch evm', (store) => session.fetch(store, canonical));
    if (options.json) printJson(results);
    else for (const result of results) process.stdout.write(describeEvmFetch(result) + '\n');
  } finally {
    session.rpc.destroy();
  }
}

export async function runFetchTron(globals: GlobalOptions, addresses: string[], options: Omit<FetchTronCliOptions, 'address'>): Promise<void> {
  const canonical = [...new Set(addresses.map((a) => canonicalTronAddress(a)))];
  const params = tronOptions(options);
  const results = await withFetchCase(globals, 'fetch tron', (store) => fetchTronAccounts({ store, addresses: canonical, ...params }));
  if (options.json) printJson(results);
  else for (const result of results) process.stdout.write(describeTronFetch(result) + '\n');
}

/** An `account:IDENT` seed's address to fetch on `rail`: none for a bank or exchange account, or one of the other chain (it is traced from the case). */
function accountSeed(seed: string, rail: 'ethereum' | 'tron'): string[] {
  const address = addressOnRail(seed.slice('account:'.length), rail);
  return address === undefined ? [] : [address];
}

/** The fetcher `trace --fetch evm|tron` crawls with; `close` releases the connection. */
export async function openCrawlFetcher(store: FetchCase, rail: string, options: FetchOptions): Promise<{ fetcher: AccountFetcher; close: () => void }> {
  if (rail === 'evm' || rail === 'ethereum') {
    const session = await openEvm(options);
    const token = parseTokenFilter(options.token);
    const fetcher: AccountFetcher = {
      rail: 'ethereum',
      fetchAccounts: async (idents) => {
        const results = await session.fetch(store, idents);
        if (!options.quiet) for (const result of results) process.stderr.write(`hoptrace fetch: ${describeEvmFetch(result)}\n`);
      },
      seedAccounts: async (seed) => {
        if (seed.startsWith('account:')) return accountSeed(seed, 'ethereum');
        const hash = /^(0x[0-9a-fA-F]{64})(?::(\d+))?$/.exec(seed.trim());
        if (!hash) return [];
        const receipt = await session.rpc.receipt(hash[1]!.toLowerCase());
        const logs = receipt && Array.isArray(receipt['logs']) ? receipt['logs'] : [];
        const senders: string[] = [];
        for (const log of logs) {
          if (typeof log !== 'object' || log === null || Array.isArray(log)) continue;
          const topics = log['topics'];
          if (!Array.isArray(topics) || topics.length !== 3 || String(topics[0]).toLowerCase() !== TRANSFER_TOPIC) continue;
          if (hash[2] !== undefined && Number.parseInt(String(log['logIndex']), 16) !== Number(hash[2])) continue;
          const contract = canonicalEvmAddress(String(log['address']));
          if (token !== 'all' && contract !== (token === 'usdt' ? USDT_ETHEREUM : token.contract)) continue;
          senders.push(canonicalEvmAddress('0x' + String(topics[1]).slice(26)));
        }
        return senders;
      },
    };
    return { fetcher, close: () => session.rpc.destroy() };
  }
  if (rail === 'tron') {
    const params = tronOptions(options);
    const fetcher: AccountFetcher = {
      rail: 'tron',
      fetchAccounts: async (idents) => {
        const results = await fetchTronAccounts({ store, addresses: idents, ...params });
        if (!options.quiet) for (const result of results) process.stderr.write(`hoptrace fetch: ${describeTronFetch(result)}\n`);
      },
      seedAccounts: async (seed) => (seed.startsWith('account:') ? accountSeed(seed, 'tron') : []),
    };
    return { fetcher, close: () => undefined };
  }
  throw new HoptraceError(`--fetch ${JSON.stringify(rail)}: expected evm or tron`);
}
