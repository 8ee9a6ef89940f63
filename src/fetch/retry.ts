import { HoptraceError } from '../model/errors.js';
import { HttpFailure } from './httpFailure.js';

/**
 * What to do after a failed request:
 * - `range`: the node refused the block range or result count: split the range, do not retry it;
 * - `transient`: timeouts, 429, 5xx, dropped connections: retry after a backoff;
 * - `fatal`: anything else (bad parameters, 4xx): stop and say so.
 */
export type FailureKind = 'range' | 'transient' | 'fatal';

// Wording of the range and result caps of geth, Erigon, Nethermind, Besu, Alchemy, Infura,
// QuickNode, Ankr and others.
const RANGE_REFUSAL =
  /more than \d+ results|too many (results|logs|blocks)|block range|range (is )?too (large|wide|big)|exceed(s|ed)? (the )?(max(imum)?|limit)|limit exceeded|response size|query timeout exceeded|results? (is |are )?limited/i;
const TRANSIENT_MESSAGE =
  /timeout|timed out|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|other side closed|fetch failed|header not found|TimeoutError/i;
// Throttling, checked before range refusals: Infura answers a request-rate limit with the same
// -32005 code as a result cap, and "rate limit exceeded" contains "limit exceeded". Splitting the
// range would only send more requests; waiting is what helps.
const THROTTLED = /rate limit|rate exceeded|request rate|too many requests|throttl|capacity exceeded/i;

/** Every message in an error and what it wraps (ethers nests the node's answer in `error`, `info`, `cause`). */
export function failureMessages(error: unknown, depth = 0): string[] {
  if (depth > 4 || error === null || error === undefined) return [];
  if (typeof error === 'string') return [error];
  if (typeof error !== 'object') return [];
  const object = error as Record<string, unknown>;
  const own = typeof object['message'] === 'string' ? [object['message']] : [];
  const shortMessage = typeof object['shortMessage'] === 'string' ? [object['shortMessage']] : [];
  const code = typeof object['code'] === 'string' ? [object['code']] : [];
  const name = typeof object['name'] === 'string' ? [object['name']] : [];
  return [...own, ...shortMessage, ...code, ...name, ...['error', 'info', 'cause'].flatMap((key) => failureMessages(object[key], depth + 1))];
}

function jsonRpcCode(error: unknown, depth = 0): number | undefined {
  if (depth > 4 || error === null || typeof error !== 'object') return undefined;
  const object = error as Record<string, unknown>;
  if (typeof object['code'] === 'number') return object['code'];
  for (const key of ['error', 'info', 'cause']) {
    const code = jsonRpcCode(object[key], depth + 1);
    if (code !== undefined) return code;
  }
  return undefined;
}

/** The node's own JSON-RPC error (`{code, message}`) inside ethers' wrapping, if there is one. */
function rpcError(error: unknown, depth = 0): { code: number | undefined; message: string } | undefined {
  if (depth > 4 || error === null || typeof error !== 'object') return undefined;
  const object = error as Record<string, unknown>;
  if (depth > 0 && typeof object['message'] === 'string')
    return { code: typeof object['code'] === 'number' ? object['code'] : undefined, message: object['message'] };
  for (const key of ['error', 'info']) {
    const found = rpcError(object[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A failure in a user's words: the node's own JSON-RPC error message when there is one, not ethers' wrapping. */
export function describeFailure(error: unknown, depth = 0): string {
  const rpc = rpcError(error);
  if (rpc) return rpc.code === undefined ? rpc.message : `${rpc.message} (JSON-RPC error ${rpc.code})`;
  if (depth <= 4 && error !== null && typeof error === 'object') {
    const object = error as Record<string, unknown>;
    const own = typeof object['message'] === 'string' ? object['message'] : '';
    const cause = object['cause'] === undefined ? '' : describeFailure(object['cause'], depth + 1);
    if (own !== '' && cause !== '') return `${own}: ${cause}`;
    if (own !== '' || cause !== '') return own || cause;
  }
  return typeof error === 'string' ? error : depth === 0 ? String(error) : '';
}

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof HttpFailure) return error.status === 429 || error.status >= 500 || error.status === 408 ? 'transient' : 'fatal';
  if (error instanceof HoptraceError) return 'fatal';
  const messages = failureMessages(error).join(' | ');
  if (THROTTLED.test(messages)) return 'transient';
  // -32005 is the EIP-1474 "limit exceeded" code.
  if (RANGE_REFUSAL.test(messages) || jsonRpcCode(error) === -32005) return 'range';
  if (TRANSIENT_MESSAGE.test(messages)) return 'transient';
  return 'fatal';
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff in ms; each retry doubles the ceiling, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The wait before retry number `attempt` (1 for the first retry): "full jitter", a uniform draw
 * below an exponentially growing ceiling, so many clients backing off at once do not retry in
 * step. A server's Retry-After is honoured as a floor.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, error: unknown): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor((policy.random ?? Math.random)() * ceiling);
  const floor = error instanceof HttpFailure && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
  return Math.min(Math.max(jittered, floor), Math.max(policy.maxDelayMs, floor));
}

/**
 * Runs `call`, retrying transient failures; range refusals and fatal errors are thrown at once.
 * A failure that is not already a HoptraceError (a dropped connection, a node's error answer)
 * leaves as one, in the node's words, so the CLI reports it as a user's problem, not a crash;
 * range refusals stay as they are for the caller to split.
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'range') throw error;
      if (kind === 'fatal' || attempt >= policy.attempts) {
        throw error instanceof HoptraceError
          ? error
          : new HoptraceError(describeFailure(error) + (kind === 'transient' && attempt > 1 ? ` (after ${attempt} attempts)` : ''));
      }
      const delay = backoffDelay(attempt, policy, error);
      policy.onRetry?.(attempt, delay, error);
      await (policy.sleep ?? sleep)(delay);
    }
  }
}
