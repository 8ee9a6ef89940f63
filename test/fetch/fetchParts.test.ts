import { describe, expect, it } from 'vitest';
import { HoptraceError } from '../../src/model/errors.js';
import { addInterval, intervalBlocks, missingIntervals } from '../../src/fetch/blockIntervals.js';
import { BlockSpan } from '../../src/fetch/blockSpan.js';
import { HttpFailure, retryAfterSeconds } from '../../src/fetch/httpFailure.js';
import { mapLimit, runOrdered } from '../../src/fetch/orderedPool.js';
import { RateLimiter } from '../../src/fetch/rateLimiter.js';
import { redactUrl } from '../../src/fetch/redactUrl.js';
import { backoffDelay, classifyFailure, describeFailure, withRetry, type RetryPolicy } from '../../src/fetch/retry.js';

describe('block ranges fetched (checkpoints)', () => {
  it('merges overlapping and touching ranges, whatever the order they finish in', () => {
    expect(addInterval([], [10, 20])).toEqual([[10, 20]]);
    expect(addInterval([[10, 20]], [21, 30])).toEqual([[10, 30]]);
    expect(addInterval([[10, 20]], [0, 5])).toEqual([[0, 5], [10, 20]]);
    expect(addInterval([[0, 5], [10, 20]], [6, 9])).toEqual([[0, 20]]);
    expect(addInterval([[0, 5], [30, 40]], [3, 35])).toEqual([[0, 40]]);
  });

  it('names exactly the blocks still to fetch', () => {
    expect(missingIntervals([], 0, 100)).toEqual([[0, 100]]);
    expect(missingIntervals([[0, 100]], 0, 100)).toEqual([]);
    expect(missingIntervals([[0, 49]], 0, 100)).toEqual([[50, 100]]);
    expect(missingIntervals([[10, 20], [40, 60]], 0, 100)).toEqual([[0, 9], [21, 39], [61, 100]]);
    expect(missingIntervals([[10, 20], [40, 60]], 15, 45)).toEqual([[21, 39]]);
    expect(missingIntervals([[200, 300]], 0, 100)).toEqual([[0, 100]]);
    expect(intervalBlocks([[0, 9], [21, 39]])).toBe(29);
  });
});

describe('adaptive span', () => {
  it('halves on refusal down to one block, doubles back when answers are small, within the cap', () => {
    const span = new BlockSpan(2000, 5000);
    span.refused(2000);
    expect(span.current).toBe(1000);
    span.refused(3);
    expect(span.current).toBe(1);
    span.refused(1);
    expect(span.current).toBe(1);
    span.succeeded(1, 10);
    span.succeeded(2, 10);
    expect(span.current).toBe(4);
    span.succeeded(4, 5000);
    expect(span.current).toBe(4);
    // An answer for a narrower range than the current span says nothing about the span.
    span.succeeded(2, 0);
    expect(span.current).toBe(4);
    expect(new BlockSpan(1_000_000, 5000).current).toBe(5000);
    const grown = new BlockSpan(4000, 5000);
    grown.succeeded(4000, 0);
    expect(grown.current).toBe(5000);
  });
});

describe('failures: split, retry or stop', () => {
  const http = (status: number, retryAfter?: number): HttpFailure => new HttpFailure('http://node/', status, retryAfter, '');

  it('classifies as range, transient or fatal', () => {
    expect([429, 500, 502, 503, 408, 400, 401, 404].map((status) => classifyFailure(http(status)))).toEqual(['transient', 'transient', 'transient', 'transient', 'transient', 'fatal', 'fatal', 'fatal']);
    expect(classifyFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'query returned more than 10000 results' } })).toBe('range');
    expect(classifyFailure(new Error('block range is too wide'))).toBe('range');
    expect(classifyFailure(new Error('exceed maximum block range: 2000'))).toBe('range');
    expect(classifyFailure(new Error('Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range'))).toBe('range');
    expect(classifyFailure({ info: { error: { code: -32005, message: 'x' } } })).toBe('range');
    expect(classifyFailure(new Error('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }))).toBe('transient');
    expect(classifyFailure(new HoptraceError('bad --token'))).toBe('fatal');
    expect(classifyFailure(new Error('invalid argument'))).toBe('fatal');
  });

  it('describes a failure in the node\'s words', () => {
    expect(describeFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'query returned more than 10000 results' } })).toBe('query returned more than 10000 results (JSON-RPC error -32005)');
    expect(describeFailure(new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(describeFailure('plain')).toBe('plain');
  });

  it('backs off exponentially with full jitter, honouring Retry-After as a floor', () => {
    const policy: RetryPolicy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, new Error('x')))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay(3, { ...policy, random: () => 0.999 }, new Error('x'))).toBe(399);
    expect(backoffDelay(1, policy, http(429, 2))).toBe(2000);
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(new Date(Date.UTC(2026, 10, 25, 12, 0, 30)).toUTCString(), Date.UTC(2026, 10, 25, 12, 0, 0))).toBe(30);
    expect([retryAfterSeconds(''), retryAfterSeconds(null), retryAfterSeconds('soon')]).toEqual([undefined, undefined, undefined]);
  });

  it('retries transient failures, and stops at once on the others', async () => {
    const slept: number[] = [];
    const retried: number[] = [];
    const policy: RetryPolicy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, random: () => 1, sleep: async (ms) => void slept.push(ms), onRetry: (attempt) => retried.push(attempt) };
    let calls = 0;
    await expect(withRetry(async () => (++calls < 3 ? Promise.reject(http(503)) : 'ok'), policy)).resolves.toBe('ok');
    expect([calls, slept, retried]).toEqual([3, [10, 20], [1, 2]]);

    calls = 0;
    await expect(withRetry(async () => (++calls, Promise.reject(new Error('socket hang up'))), policy)).rejects.toThrow(new HoptraceError('socket hang up (after 3 attempts)'));
    expect(calls).toBe(3);

    for (const failure of [new Error('block range is too wide'), new Error('invalid argument')]) {
      calls = 0;
      slept.length = 0;
      await expect(withRetry(async () => (++calls, Promise.reject(failure)), policy)).rejects.toThrow(failure.message);
      expect([calls, slept]).toEqual([1, []]);
    }
    // A range refusal leaves untouched, for the caller to split.
    const refusal = new Error('block range is too wide');
    await expect(withRetry(() => Promise.reject(refusal), policy)).rejects.toBe(refusal);
  });
});

describe('endpoint URLs as stored', () => {
  it('drops credentials and key-like parts, keeps the rest', () => {
    expect(redactUrl('https://user:pw@mainnet.infura.io/v3/0123456789abcdef0123456789abcdef')).toBe('https://mainnet.infura.io/v3/REDACTED');
    expect(redactUrl('https://node.example/rpc?apikey=SECRET&chain=1')).toBe('https://node.example/rpc?apikey=REDACTED&chain=1');
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545/');
    expect(redactUrl('not a url')).toBe('<unreadable URL>');
  });
});

describe('request pacing and ordering', () => {
  it('spaces request starts 1000/rate ms apart', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(4, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 3; i++) await limiter.take();
    expect(waits).toEqual([250, 250]);
    now += 1000;
    await limiter.take();
    expect(waits).toEqual([250, 250]);
  });

  it('consumes results in start order, with at most `concurrency` running, and runs work added while consuming', async () => {
    const delays = [30, 5, 20, 1, 10];
    const queue = delays.map((delay, index) => ({ delay, index }));
    let running = 0;
    let most = 0;
    const consumed: number[] = [];
    let retried = false;
    await runOrdered(
      3,
      () => {
        const job = queue.shift();
        if (!job) return undefined;
        return async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, job.delay));
          running--;
          return job.index;
        };
      },
      (index) => {
        consumed.push(index);
        if (index === 4 && !retried) {
          retried = true;
          queue.push({ delay: 1, index: 5 });
        }
      },
    );
    expect(consumed).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(3);
  });

  it('stops at the first failure and consumes nothing after it', async () => {
    const consumed: number[] = [];
    let next = 0;
    const run = runOrdered(
      2,
      () => {
        const index = next++;
        if (index > 4) return undefined;
        return () => (index === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(index));
      },
      (index) => void consumed.push(index),
    );
    await expect(run).rejects.toThrow('boom');
    expect(consumed).toEqual([0]);
  });

  it('mapLimit keeps input order and the limit', async () => {
    let running = 0;
    let most = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
