import { TRANSFER_TOPIC, readRpcLog } from '../../adapters/usdt/rpcLogs.js';
import { TransferSeqs } from '../../adapters/usdt/fingerprint.js';
import { assetSymbol, USDT_ETHEREUM, type TokenFilter } from '../../adapters/usdt/tokens.js';
import { isJsonObject, type JsonValue } from '../../adapters/common/json.js';
import type { ReadItem } from '../../adapters/types.js';
import { AddressCache } from '../model/address.js';
import { HoptraceError } from '../model/errors.js';
import { addInterval, intervalBlocks, missingIntervals, type BlockInterval } from './blockIntervals.js';
import { BlockSpan } from './blockSpan.js';
import type { EvmRpc, LogFilter } from './evmRpc.js';
import { mapLimit, runOrdered } from './orderedPool.js';
import type { RawBody } from './rawHttp.js';
import { classifyFailure, describeFailure } from './retry.js';
import { storeFetched, type FetchCase, type FetchedResponse } from './storeFetched.js';

export interface EvmFetchParams {
  /** The case file or PostgreSQL case fetched into. */
  store: FetchCase;
  rpc: EvmRpc;
  /** Canonical (EIP-55) addresses. */
  addresses: readonly string[];
  token: TokenFilter;
  fromBlock: number;
  toBlock: number;
  concurrency: number;
  /** Blocks in the first query (default 2,000) and the most one query may ask (default 100,000). */
  initialSpan?: number;
  maxSpan?: number;
  onProgress?: (event: EvmProgress) => void;
}

export type EvmProgress =
  | {
      kind: 'range';
      address: string;
      fromBlock: number;
      toBlock: number;
      logs: number;
      inserted: number;
      span: number;
      blocksDone: number;
      blocksTotal: number;
    }
  | { kind: 'refused'; address: string; fromBlock: number; toBlock: number };

export interface EvmAccountFetch {
  address: string;
  /** Blocks queried by this run. */
  blocksScanned: number;
  /** Blocks of the asked range that an earlier run had already fetched. */
  blocksAlreadyFetched: number;
  queries: number;
  /** Ranges the node refused as too wide or too large, each then asked again in halves. */
  refusals: number;
  logs: number;
  inserted: number;
  duplicates: number;
  sources: number;
}

/** The checkpoint of one (chain, token, address): the block ranges fetched and stored. */
export interface EvmCheckpoint {
  scanned: BlockInterval[];
}

interface RangeResponse {
  direction: 'from' | 'to';
  fromBlock: number;
  toBlock: number;
  logs: JsonValue[];
  body: RawBody;
}

interface RangeResult {
  range: BlockInterval;
  /** Undefined when the node refused the range: it is asked again in smaller pieces. */
  responses: RangeResponse[] | undefined;
  queries: number;
  blockTimes: Map<number, number>;
}

interface TokenMeta {
  decimals: number;
  symbol: string | undefined;
}

export function evmCheckpointKey(chainId: number, token: TokenFilter, address: string): string {
  return `evm|${chainId}|${tokenKey(token)}|${address}`;
}

function tokenKey(token: TokenFilter): string {
  return typeof token === 'string' ? token : token.contract;
}

function tokenContract(token: TokenFilter): string | undefined {
  if (token === 'all') return undefined;
  if (token === 'usdt') return USDT_ETHEREUM;
  if (token.rail !== 'ethereum')
    throw new HoptraceError(`--token ${token.contract} is a Tron contract`, { hint: 'fetch evm needs an Ethereum token contract (0x…)' });
  return token.contract;
}

/** An address as an indexed topic: 32 bytes, left-padded. */
export function addressTopic(address: string): string {
  return '0x' + '0'.repeat(24) + address.slice(2).toLowerCase();
}

/**
 * `hoptrace fetch evm`: every Transfer log of the token sent or received by each address in the
 * block range, fetched with adaptive ranges, stored range by range with its checkpoint, so a
 * second run fetches only what the first did not finish.
 */
export async function fetchEvmAccounts(params: EvmFetchParams): Promise<EvmAccountFetch[]> {
  const session = new EvmFetchSession(params, tokenContract(params.token));
  const results: EvmAccountFetch[] = [];
  for (const address of params.addresses) results.push(await session.fetchAccount(address));
  return results;
}

class EvmFetchSession {
  private readonly span: BlockSpan;
  private readonly addresses = new AddressCache();
  private readonly times = new Map<number, number>();
  private readonly tokenMeta = new Map<string, Promise<TokenMeta | undefined>>();

  constructor(
    private readonly params: EvmFetchParams,
    private readonly contract: string | undefined,
  ) {
    this.span = new BlockSpan(params.initialSpan ?? 2000, params.maxSpan ?? 100_000);
  }

  async fetchAccount(address: string): Promise<EvmAccountFetch> {
    const { store, rpc, fromBlock, toBlock } = this.params;
    const key = evmCheckpointKey(rpc.chainId, this.params.token, address);
    let scanned = (await store.readCheckpoint<EvmCheckpoint>(key))?.scanned ?? [];
    const todo = missingIntervals(scanned, fromBlock, toBlock);
    const total = toBlock >= fromBlock ? toBlock - fromBlock + 1 : 0;
    const summary: EvmAccountFetch = {
      address,
      blocksScanned: 0,
      blocksAlreadyFetched: total - intervalBlocks(todo),
      queries: 0,
      refusals: 0,
      logs: 0,
      inserted: 0,
      duplicates: 0,
      sources: 0,
    };
    // Ranges still to fetch, in block order. A refused range goes back in, to be asked again in
    // smaller pieces; the checkpoint is a list of ranges, so ranges stored out of order are fine.
    const queue: BlockInterval[] = [...todo];
    const nextRange = (): (() => Promise<RangeResult>) | undefined => {
      const head = queue[0];
      if (!head) return undefined;
      const end = Math.min(head[1], head[0] + this.span.current - 1);
      const range: BlockInterval = [head[0], end];
      if (end >= head[1]) queue.shift();
      else queue[0] = [end + 1, head[1]];
      return () => this.fetchRange(address, range);
    };
    await runOrdered(this.params.concurrency, nextRange, async (result) => {
      summary.queries += result.queries;
      if (result.responses === undefined) {
        summary.refusals++;
        const at = queue.findIndex((interval) => interval[0] > result.range[0]);
        queue.splice(at < 0 ? queue.length : at, 0, result.range);
        return;
      }
      const responses = await this.decode(address, result.responses, result.blockTimes);
      scanned = addInterval(scanned, result.range);
      const stored = await storeFetched(store, responses, { key, value: { scanned } satisfies EvmCheckpoint }, { rail: 'ethereum', times: result.blockTimes });
      const logs = result.responses.reduce((sum, r) => sum + r.logs.length, 0);
      summary.blocksScanned += result.range[1] - result.range[0] + 1;
      summary.logs += logs;
      summary.inserted += stored.inserted;
      summary.duplicates += stored.duplicates;
      summary.sources += stored.sources;
      this.params.onProgress?.({
        kind: 'range',
        address,
        fromBlock: result.range[0],
        toBlock: result.range[1],
        logs,
        inserted: stored.inserted,
        span: this.span.current,
        blocksDone: summary.blocksScanned + summary.blocksAlreadyFetched,
        blocksTotal: total,
      });
    });
    return summary;
  }

  /** Both directions of one range, or `responses: undefined` when the node refused it as too wide. */
  private async fetchRange(address: string, range: BlockInterval): Promise<RangeResult> {
    const [fromBlock, toBlock] = range;
    const topic = addressTopic(address);
    const filter = (topics: (string | null)[]): LogFilter => ({
      fromBlock,
      toBlock,
      topics,
      ...(this.contract === undefined ? {} : { address: this.contract }),
    });
    try {
      const [sent, received] = await Promise.all([
        this.params.rpc.logs(filter([TRANSFER_TOPIC, topic])),
        this.params.rpc.logs(filter([TRANSFER_TOPIC, null, topic])),
      ]);
      const blocks = toBlock - fromBlock + 1;
      this.span.succeeded(blocks, Math.max(sent.logs.length, received.logs.length));
      const responses: RangeResponse[] = [
        { direction: 'from', fromBlock, toBlock, ...sent },
        { direction: 'to', fromBlock, toBlock, ...received },
      ];
      return { range, responses, queries: 2, blockTimes: await this.blockTimesFor(responses) };
    } catch (error) {
      if (classifyFailure(error) !== 'range') throw error;
      if (fromBlock === toBlock) {
        throw new HoptraceError(`the node refuses eth_getLogs even for the single block ${fromBlock}: ${describeFailure(error)}`, {
          hint: 'use a node without a result cap (your own archive node) for this address',
        });
      }
      this.params.onProgress?.({ kind: 'refused', address, fromBlock, toBlock });
      this.span.refused(toBlock - fromBlock + 1);
      return { range, responses: undefined, queries: 2, blockTimes: new Map() };
    }
  }

  /** Timestamps of the blocks these logs are in: from the logs, the case, or the node (once per block). */
  private async blockTimesFor(responses: readonly RangeResponse[]): Promise<Map<number, number>> {
    const needed = new Set<number>();
    for (const response of responses) {
      for (const log of response.logs) {
        if (!isJsonObject(log) || log['blockTimestamp'] !== undefined) continue;
        const block = log['blockNumber'];
        if (typeof block === 'string' && /^0x[0-9a-fA-F]{1,13}$/.test(block)) needed.add(Number.parseInt(block, 16));
      }
    }
    const found = new Map<number, number>();
    const unknown: number[] = [];
    for (const block of needed) {
      const time = this.times.get(block);
      if (time === undefined) unknown.push(block);
      else found.set(block, time);
    }
    for (const [block, time] of await this.params.store.readBlockTimes('ethereum', unknown)) found.set(block, time);
    const fetch = unknown.filter((block) => !found.has(block)).sort((a, b) => a - b);
    const times = await mapLimit(fetch, this.params.concurrency * 2, (block) => this.params.rpc.blockTime(block));
    fetch.forEach((block, i) => found.set(block, times[i]!));
    for (const [block, time] of found) this.times.set(block, time);
    if (this.times.size > 200_000) this.times.clear();
    return found;
  }

  private async decode(address: string, fetched: readonly RangeResponse[], blockTimes: ReadonlyMap<number, number>): Promise<FetchedResponse[]> {
    const { rpc, token } = this.params;
    const responses: FetchedResponse[] = [];
    for (const response of fetched) {
      const seqs = new TransferSeqs();
      const items: ReadItem[] = [];
      for (const [i, log] of response.logs.entries()) {
        const item = readRpcLog(log, i + 1, seqs, { addresses: this.addresses }, { token, blockTimes });
        if (item.kind === 'transfer' && item.record.token !== USDT_ETHEREUM && item.record.token !== undefined) {
          const meta = await this.metadata(item.record.token);
          if (meta) {
            item.record.decimals = meta.decimals;
            item.record.asset = assetSymbol('ethereum', item.record.token, meta.symbol);
          }
        }
        items.push(item);
      }
      const options = {
        method: 'eth_getLogs',
        chainId: rpc.chainId,
        token: this.contract ?? 'all',
        [response.direction]: address,
        fromBlock: response.fromBlock,
        toBlock: response.toBlock,
      };
      responses.push({ path: rpc.endpoint, adapter: 'fetch:evm', options: JSON.stringify(options), body: response.body, items });
    }
    return responses;
  }

  /** decimals() and symbol() of a token other than USDT, asked once per contract. */
  private metadata(contract: string): Promise<TokenMeta | undefined> {
    let known = this.tokenMeta.get(contract);
    if (!known) {
      known = this.params.rpc.tokenMetadata(contract);
      this.tokenMeta.set(contract, known);
    }
    return known;
  }
}
