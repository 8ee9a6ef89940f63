import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from 'ethers';
import { HoptraceError } from '../model/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../adapters/common/json.js';
import { requestRaw, type RawBody } from './rawHttp.js';
import { redactUrl } from './redactUrl.js';
import { describeFailure, withRetry, type RetryPolicy } from './retry.js';

export interface LogFilter {
  fromBlock: number;
  toBlock: number;
  /** Token contract; absent for every token. */
  address?: string;
  /** Per position: one topic, any of several, or any. */
  topics: (string | string[] | null)[];
}

/**
 * ethers' JsonRpcProvider, sending each request on its own (no batching, so every response can be
 * hashed and cited) and keeping the raw body of each `eth_getLogs` answer beside the parsed one.
 */
class RecordingProvider extends JsonRpcProvider {
  readonly bodies = new Map<string, RawBody>();

  constructor(
    private readonly url: string,
    private readonly shownUrl: string,
    private readonly timeoutMs: number,
    network: Network,
  ) {
    super(url, network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1, polling: false });
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const body = await requestRaw(
      this.url,
      { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, timeoutMs: this.timeoutMs },
      this.shownUrl,
    );
    // ethers' type says results, but error answers come back through here too and ethers sorts them out.
    const parsed = JSON.parse(body.text) as JsonRpcResult | JsonRpcResult[];
    const single = Array.isArray(payload) ? undefined : payload;
    if (single?.method === 'eth_getLogs' && !Array.isArray(parsed) && 'result' in parsed) this.bodies.set(JSON.stringify(single.params), body);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
}

/** The JSON-RPC calls live fetch needs, each retried on transient failures. */
export class EvmRpc {
  private constructor(
    private readonly provider: RecordingProvider,
    readonly endpoint: string,
    readonly chainId: number,
    private readonly retry: RetryPolicy,
  ) {}

  /** Connects and reads the chain id (a wrong URL fails here, once, with a clear message). */
  static async connect(url: string, retry: RetryPolicy, timeoutMs: number): Promise<EvmRpc> {
    const endpoint = redactUrl(url);
    let chainId: number;
    try {
      const body = await withRetry(
        () =>
          requestRaw(
            url,
            {
              method: 'POST',
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
              headers: { 'content-type': 'application/json' },
              timeoutMs,
            },
            endpoint,
          ),
        retry,
      );
      const answer = JSON.parse(body.text) as { result?: unknown; error?: { message?: string } };
      if (typeof answer.result !== 'string') throw new Error(answer.error?.message ?? 'no chain id in the answer');
      chainId = Number(BigInt(answer.result));
    } catch (error) {
      throw new HoptraceError(`cannot reach the JSON-RPC node at ${endpoint}: ${describeFailure(error)}`, {
        hint: 'check --rpc (http://host:port) and that the node is up',
      });
    }
    const network = Network.from(chainId);
    return new EvmRpc(new RecordingProvider(url, endpoint, timeoutMs, network), endpoint, chainId, retry);
  }

  private call(method: string, params: JsonValue[]): Promise<unknown> {
    return withRetry(() => this.provider.send(method, params) as Promise<unknown>, this.retry);
  }

  async blockNumber(): Promise<number> {
    return quantityOf(await this.call('eth_blockNumber', []), 'block number');
  }

  /** Unix seconds of one block. */
  async blockTime(block: number): Promise<number> {
    const answer = await this.call('eth_getBlockByNumber', ['0x' + block.toString(16), false]);
    if (!isJsonObject(answer as JsonValue)) throw new HoptraceError(`the node has no block ${block}`);
    return quantityOf((answer as JsonObject)['timestamp'], `timestamp of block ${block}`);
  }

  /** The logs of one filter and the raw response they came in. Range refusals are thrown for the caller to split. */
  async logs(filter: LogFilter): Promise<{ logs: JsonValue[]; body: RawBody }> {
    const params: JsonValue[] = [
      {
        fromBlock: '0x' + filter.fromBlock.toString(16),
        toBlock: '0x' + filter.toBlock.toString(16),
        ...(filter.address === undefined ? {} : { address: filter.address }),
        topics: filter.topics,
      },
    ];
    const result = await this.call('eth_getLogs', params);
    if (!Array.isArray(result)) throw new HoptraceError('eth_getLogs answered without a list of logs');
    const key = JSON.stringify(params);
    const body = this.provider.bodies.get(key);
    if (!body) throw new Error(`no raw response recorded for eth_getLogs ${key}`);
    this.provider.bodies.delete(key);
    return { logs: result as JsonValue[], body };
  }

  /** `eth_call` at a block: the raw return data. */
  async ethCall(to: string, data: string, block: number): Promise<string> {
    const answer = await this.call('eth_call', [{ to, data }, '0x' + block.toString(16)]);
    if (typeof answer !== 'string' || !/^0x[0-9a-fA-F]*$/.test(answer)) throw new HoptraceError(`eth_call to ${to} answered ${JSON.stringify(answer)}`);
    return answer;
  }

  async receipt(hash: string): Promise<JsonObject | undefined> {
    const answer = await this.call('eth_getTransactionReceipt', [hash]);
    return isJsonObject(answer as JsonValue) ? (answer as JsonObject) : undefined;
  }

  /** A token's decimals() and symbol(), or undefined when the contract does not answer them. */
  async tokenMetadata(contract: string): Promise<{ decimals: number; symbol: string | undefined } | undefined> {
    try {
      const decimals = await this.call('eth_call', [{ to: contract, data: '0x313ce567' }, 'latest']);
      if (typeof decimals !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(decimals)) return undefined;
      const symbolData = await this.call('eth_call', [{ to: contract, data: '0x95d89b41' }, 'latest']).catch(() => undefined);
      return { decimals: Number(BigInt(decimals)), symbol: typeof symbolData === 'string' ? decodeAbiString(symbolData) : undefined };
    } catch {
      return undefined;
    }
  }

  destroy(): void {
    this.provider.destroy();
  }
}

function quantityOf(value: unknown, what: string): number {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,13}$/.test(value)) return Number.parseInt(value, 16);
  throw new HoptraceError(`the node answered ${JSON.stringify(value)} for the ${what}`);
}

/** An ABI-encoded `string` return value (offset, length, bytes); undefined when it is not one. */
function decodeAbiString(data: string): string | undefined {
  const hex = data.slice(2);
  if (hex.length < 128) return undefined;
  const length = Number.parseInt(hex.slice(64, 128), 16);
  if (!Number.isSafeInteger(length) || length > 64 || hex.length < 128 + length * 2) return undefined;
  const text = Buffer.from(hex.slice(128, 128 + length * 2), 'hex').toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}
