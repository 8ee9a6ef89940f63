import { describe, expect, it } from 'vitest';
import { HoptraceError } from '../../src/model/errors.js';
import { addInterval, intervalBlocks, missingIntervals, type BlockInterval } from '../../src/fetch/blockIntervals.js';
import { BlockSpan } from '../../src/fetch/blockSpan.js';
import { HttpFailure, retryAfterSeconds } from '../../src/fetch/httpFailure.js';
import { mapLimit, runOrdered } from '../../src/fetch/orderedPool.js';
import { RateLimiter } from '../../src/fetch/rateLimiter.js';
import { redactUrl } from '../../src/fetch/redactUrl.js';
import { backoffDelay, classifyFailure, describeFailure, withRetry, type RetryPolicy } from '../../src/fetch/retry.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  const handles: Pick<Deferred<T>, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
  const promise = new Promise<T>((resolve, reject) => Object.assign(handles, { resolve, reject }));
  return { promise, ...handles };
}

/** Lets every pending promise callback run (microtasks drain before the check phase). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const http = (status: number, retryAfter?: number): HttpFailure => new HttpFailure('http://node.test/', status, retryAfter, '');

describe('addInterval', () => {
  it('merges touching, overlapping and contained ranges, keeps gaps', () => {
    expect(addInterval([[1, 5]], [6, 9])).toEqual([[1, 9]]);
    expect(addInterval([[6, 9]], [1, 5])).toEqual([[1, 9]]);
    expect(addInterval([[1, 5]], [7, 9])).toEqual([
      [1, 5],
      [7, 9],
    ]);
    expect(addInterval([[1, 10]], [5, 20])).toEqual([[1, 20]]);
    expect(addInterval([[1, 100]], [10, 20])).toEqual([[1, 100]]);
    expect(
      addInterval(
        [
          [1, 2],
          [4, 5],
          [7, 8],
        ],
        [3, 6],
      ),
    ).toEqual([[1, 8]]);
    expect(addInterval([], [3, 3])).toEqual([[3, 3]]);
  });

  it('sorts unsorted input and leaves the input list untouched', () => {
    const input: BlockInterval[] = [
      [20, 30],
      [1, 5],
    ];
    expect(addInterval(input, [6, 9])).toEqual([
      [1, 9],
      [20, 30],
    ]);
    expect(input).toEqual([
      [20, 30],
      [1, 5],
    ]);
    expect(
      addInterval(
        [
          [50, 60],
          [10, 12],
          [30, 31],
        ],
        [13, 29],
      ),
    ).toEqual([
      [10, 31],
      [50, 60],
    ]);
  });

  it('names the uncovered parts of the asked range', () => {
    expect(missingIntervals([], 10, 20)).toEqual([[10, 20]]);
    expect(missingIntervals([[0, 4]], 10, 20)).toEqual([[10, 20]]);
    expect(missingIntervals([[25, 30]], 10, 20)).toEqual([[10, 20]]);
    expect(missingIntervals([[0, 10]], 10, 20)).toEqual([[11, 20]]);
    expect(missingIntervals([[18, 40]], 10, 20)).toEqual([[10, 17]]);
    expect(
      missingIntervals(
        [
          [0, 12],
          [18, 40],
        ],
        10,
        20,
      ),
    ).toEqual([[13, 17]]);
    expect(
      missingIntervals(
        [
          [12, 14],
          [16, 16],
        ],
        10,
        20,
      ),
    ).toEqual([
      [10, 11],
      [15, 15],
      [17, 20],
    ]);
    expect(
      missingIntervals(
        [
          [0, 4],
          [12, 14],
          [30, 40],
        ],
        10,
        20,
      ),
    ).toEqual([
      [10, 11],
      [15, 20],
    ]);
    expect(missingIntervals([], 5, 5)).toEqual([[5, 5]]);
  });

  it('returns nothing when the range is fully covered', () => {
    expect(missingIntervals([[0, 100]], 10, 20)).toEqual([]);
    expect(missingIntervals([[10, 20]], 10, 20)).toEqual([]);
    expect(
      missingIntervals(
        [
          [10, 15],
          [16, 20],
        ],
        10,
        20,
      ),
    ).toEqual([]);
  });

  it('counts blocks inclusively', () => {
    expect(intervalBlocks([])).toBe(0);
    expect(intervalBlocks([[0, 0]])).toBe(1);
    expect(
      intervalBlocks([
        [1, 5],
        [10, 10],
        [20, 29],
      ]),
    ).toBe(16);
  });
});

describe('BlockSpan', () => {
  it('clamps the initial span to [1, max]', () => {
    expect(new BlockSpan(5000, 2000).current).toBe(2000);
    expect(new BlockSpan(1500, 2000).current).toBe(1500);
    expect(new BlockSpan(0, 2000).current).toBe(1);
  });

  it('halves on refusal down to 1 and never below', () => {
    const span = new BlockSpan(16, 100);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      span.refused(span.current);
      seen.push(span.current);
    }
    expect(seen).toEqual([8, 4, 2, 1, 1, 1]);
    const big = new BlockSpan(1000, 1000);
    big.refused(300);
    expect(big.current).toBe(150);
  });

  it('doubles only after a full-span query with few results, up to max', () => {
    const span = new BlockSpan(100, 500, 1000);
    span.succeeded(100, 999);
    expect(span.current).toBe(200);
    span.succeeded(100, 0); // narrower than the span: says nothing
    expect(span.current).toBe(200);
    span.succeeded(200, 1000); // not below growBelow
    expect(span.current).toBe(200);
    span.succeeded(200, 10);
    expect(span.current).toBe(400);
    span.succeeded(400, 10);
    expect(span.current).toBe(500);
    span.succeeded(500, 0);
    expect(span.current).toBe(500);
  });
});

describe('classifyFailure', () => {
  it('classifies HTTP statuses', () => {
    expect([429, 503, 500, 408].map((status) => classifyFailure(http(status)))).toEqual(['transient', 'transient', 'transient', 'transient']);
    expect([400, 401, 404].map((status) => classifyFailure(http(status)))).toEqual(['fatal', 'fatal', 'fatal']);
  });

  it('recognises range refusals in ethers-shaped errors', () => {
    expect(classifyFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'query returned more than 10000 results' } })).toBe('range');
    expect(classifyFailure(new Error('block range is too wide'))).toBe('range');
    expect(classifyFailure(new Error('exceed maximum block range: 2000'))).toBe('range');
    expect(classifyFailure(new Error('Log response size exceeded'))).toBe('range');
    expect(classifyFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'x' } })).toBe('range');
    expect(classifyFailure({ message: 'outer', info: { error: { code: -32005, message: 'x' } } })).toBe('range');
  });

  it('treats dropped connections and timeouts as transient', () => {
    expect(classifyFailure(new Error('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe('transient');
    const timeout = new Error('The operation was aborted due to timeout');
    timeout.name = 'TimeoutError';
    expect(classifyFailure(timeout)).toBe('transient');
  });

  it('treats our own errors and anything unknown as fatal', () => {
    expect(classifyFailure(new HoptraceError('bad --from'))).toBe('fatal');
    expect(classifyFailure(new Error('invalid argument'))).toBe('fatal');
  });

  it("prefers the node's JSON-RPC message, and joins causes", () => {
    const nested = { message: 'could not coalesce error', error: { code: -32005, message: 'query returned more than 10000 results' } };
    expect(describeFailure(nested)).toBe('query returned more than 10000 results (JSON-RPC error -32005)');
    expect(describeFailure({ message: 'outer', error: { message: 'no code here' } })).toBe('no code here');
    expect(describeFailure(new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe(
      'fetch failed: connect ECONNREFUSED 127.0.0.1:9',
    );
    expect(describeFailure(new Error('plain'))).toBe('plain');
    expect(describeFailure({ message: 'outer', info: { error: { code: -32005, message: 'deep' } } })).toBe('deep (JSON-RPC error -32005)');
    expect(describeFailure({ message: 'only a message' })).toBe('only a message');
  });

  it('treats throttling as transient even when it looks like a cap (waiting helps, splitting does not)', () => {
    expect(classifyFailure(new Error('rate limit exceeded'))).toBe('transient');
    expect(classifyFailure(new Error('Too Many Requests: rate limit exceeded'))).toBe('transient');
    expect(classifyFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'project ID request rate exceeded' } })).toBe('transient');
    // A real cap stays a range refusal.
    expect(classifyFailure({ message: 'could not coalesce error', error: { code: -32005, message: 'query returned more than 10000 results' } })).toBe('range');
  });

  it("reads an error's name: a timeout is transient, an abort (someone stopped it) is not", () => {
    expect(classifyFailure(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }))).toBe('fatal');
    expect(classifyFailure(Object.assign(new Error('signal fired'), { name: 'TimeoutError' }))).toBe('transient');
  });
});

describe('backoffDelay and retryAfterSeconds', () => {
  const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };

  it('draws half the doubling ceiling with random 0.5, capped by maxDelayMs', () => {
    expect(backoffDelay(1, policy, new Error('x'))).toBe(50);
    expect(backoffDelay(3, policy, new Error('x'))).toBe(200);
    expect(backoffDelay(10, policy, new Error('x'))).toBe(500);
    expect(backoffDelay(1, { ...policy, random: () => 0 }, new Error('x'))).toBe(0);
  });

  it('stays below the ceiling with random just under 1', () => {
    const high = { ...policy, random: () => 0.999 };
    expect(backoffDelay(1, high, new Error('x'))).toBe(99);
    expect(backoffDelay(3, high, new Error('x'))).toBe(399);
    expect(backoffDelay(10, high, new Error('x'))).toBe(999);
  });

  it('takes Retry-After as a floor, even above maxDelayMs', () => {
    expect(backoffDelay(1, policy, http(429, 2))).toBe(2000);
    expect(backoffDelay(1, { ...policy, maxDelayMs: 5000 }, http(503, 2))).toBe(2000);
    expect(backoffDelay(10, { ...policy, maxDelayMs: 5000, random: () => 0.999 }, http(503, 2))).toBe(4995);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(' 7 ')).toBe(7);
    expect(retryAfterSeconds('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0);
    expect([retryAfterSeconds(''), retryAfterSeconds(null), retryAfterSeconds('   '), retryAfterSeconds('soon')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Date.parse would read these as dates in 2001.
    expect([retryAfterSeconds('1.5', now), retryAfterSeconds('-1', now), retryAfterSeconds('Soon 5', now)]).toEqual([undefined, undefined, undefined]);
  });
});

describe('withRetry', () => {
  function recording(attempts: number): { policy: RetryPolicy; slept: number[]; retries: [number, number][] } {
    const slept: number[] = [];
    const retries: [number, number][] = [];
    const sleep = async (ms: number): Promise<void> => void slept.push(ms);
    const onRetry = (attempt: number, delayMs: number): void => void retries.push([attempt, delayMs]);
    return { policy: { attempts, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, sleep, onRetry }, slept, retries };
  }

  it('succeeds after two transient failures', async () => {
    const { policy, slept, retries } = recording(5);
    const failures: unknown[] = [http(503), new Error('fetch failed', { cause: { code: 'ECONNRESET' } })];
    let calls = 0;
    const result = await withRetry(async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return 'ok';
    }, policy);
    expect([result, calls, slept, retries]).toEqual([
      'ok',
      3,
      [50, 100],
      [
        [1, 50],
        [2, 100],
      ],
    ]);
  });

  it('gives up after `attempts` transient failures with the last error', async () => {
    const { policy, slept } = recording(3);
    const thrown: HttpFailure[] = [];
    const run = withRetry(async () => {
      const failure = http(503);
      thrown.push(failure);
      throw failure;
    }, policy);
    const error = await run.catch((failure: unknown) => failure);
    expect([error === thrown[2], thrown.length, slept]).toEqual([true, 3, [50, 100]]);
  });

  it("wraps a last non-Hoptrace transient failure in the node's words", async () => {
    const { policy } = recording(3);
    let calls = 0;
    const error = await withRetry(async () => {
      calls++;
      throw new Error('socket hang up');
    }, policy).catch((failure: unknown) => failure);
    expect([error instanceof HoptraceError, error instanceof Error ? error.message : '', calls]).toEqual([true, 'socket hang up (after 3 attempts)', 3]);
  });

  it('throws range refusals and fatal errors at once', async () => {
    const refusal = new Error('block range is too wide');
    const own = new HoptraceError('bad --to');
    for (const failure of [refusal, own]) {
      const { policy, slept } = recording(5);
      let calls = 0;
      await expect(withRetry(async () => (calls++, Promise.reject(failure)), policy)).rejects.toBe(failure);
      expect([calls, slept]).toEqual([1, []]);
    }
    const { policy, slept } = recording(5);
    let calls = 0;
    const error = await withRetry(async () => (calls++, Promise.reject(new Error('invalid argument'))), policy).catch((failure: unknown) => failure);
    expect([error instanceof HoptraceError, error instanceof Error ? error.message : '', calls, slept]).toEqual([true, 'invalid argument', 1, []]);
  });
});

describe('redactUrl', () => {
  it('drops credentials and key-like parts', () => {
    expect(redactUrl('https://user:pw@mainnet.infura.io/v3/0123456789abcdef0123456789abcdef')).toBe('https://mainnet.infura.io/v3/REDACTED');
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/abcdefghijABCDEFGHIJabcdefghij12')).toBe('https://eth-mainnet.g.alchemy.com/v2/REDACTED');
    expect(redactUrl('https://api.etherscan.io/api?apikey=SECRET&chain=1')).toBe('https://api.etherscan.io/api?apikey=REDACTED&chain=1');
    expect(redactUrl('https://x.test/?access_token=1&sig=2&limit=5')).toBe('https://x.test/?access_token=REDACTED&sig=REDACTED&limit=5');
    expect(redactUrl('https://x.example/rpc#token=abc')).toBe('https://x.example/rpc');
  });

  it('keeps ordinary URLs apart from normalisation, and refuses garbage', () => {
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545/');
    expect(redactUrl('https://node.test/jsonrpc-endpoint-for-mainnet')).toBe('https://node.test/jsonrpc-endpoint-for-mainnet');
    expect(redactUrl('not a url')).toBe('<unreadable URL>');
    expect(redactUrl('')).toBe('<unreadable URL>');
  });
});

describe('RateLimiter', () => {
  function fakeClock(advance: boolean): { clock: { now: number }; waits: number[]; limiter: RateLimiter } {
    const clock = { now: 0 };
    const waits: number[] = [];
    const wait = async (ms: number): Promise<void> => {
      waits.push(ms);
      if (advance) clock.now += ms;
    };
    const limiter = new RateLimiter(4, () => clock.now, wait);
    return { clock, waits, limiter };
  }

  it('spaces sequential takes 250 ms apart at 4/s', async () => {
    const { clock, waits, limiter } = fakeClock(true);
    for (let i = 0; i < 3; i++) await limiter.take();
    expect([waits, clock.now]).toEqual([[250, 250], 500]);
    clock.now = 2000; // idle time earns no burst
    await limiter.take();
    await limiter.take();
    expect([waits, clock.now]).toEqual([[250, 250, 250], 2250]);
  });

  it('queues takes made at the same instant at 0, 250 and 500 ms', async () => {
    const { waits, limiter } = fakeClock(false);
    await Promise.all([limiter.take(), limiter.take(), limiter.take()]);
    expect(waits).toEqual([250, 500]);
  });
});

describe('runOrdered', () => {
  it('consumes in start order with at most 3 outstanding', async () => {
    const tasks = Array.from({ length: 5 }, () => deferred<number>());
    const started: number[] = [];
    const consumed: number[] = [];
    let most = 0;
    let handed = 0;
    const start = (index: number) => (): Promise<number> => {
      started.push(index);
      most = Math.max(most, started.length - consumed.length);
      return tasks[index]!.promise;
    };
    const run = runOrdered(
      3,
      () => (handed < tasks.length ? start(handed++) : undefined),
      (value) => void consumed.push(value),
    );
    await flush();
    expect([started, consumed]).toEqual([[0, 1, 2], []]);
    tasks[2]!.resolve(2);
    tasks[1]!.resolve(1);
    await flush();
    expect([started, consumed]).toEqual([[0, 1, 2], []]);
    tasks[0]!.resolve(0);
    await flush();
    expect([started, consumed]).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2],
    ]);
    tasks[4]!.resolve(4);
    await flush();
    expect(consumed).toEqual([0, 1, 2]);
    tasks[3]!.resolve(3);
    await run;
    expect([consumed, most]).toEqual([[0, 1, 2, 3, 4], 3]);
  });

  it('runs work that consume adds, even when nothing else is running', async () => {
    for (const [concurrency, labels, expected] of [
      [2, ['a', 'b', 'c'], ['a', 'b', 'c', 'b-retry']],
      [1, ['b'], ['b', 'b-retry']],
    ] as const) {
      const queue: string[] = [...labels];
      const consumed: string[] = [];
      const next = (): (() => Promise<{ label: string; retry: boolean }>) | undefined => {
        const label = queue.shift();
        return label === undefined ? undefined : () => Promise.resolve({ label, retry: label === 'b' });
      };
      await runOrdered(concurrency, next, (result) => {
        consumed.push(result.label);
        if (result.retry) queue.push('b-retry');
      });
      expect(consumed).toEqual(expected);
    }
  });

  it('rejects on the first failure in start order and consumes nothing after it', async () => {
    const tasks = Array.from({ length: 3 }, () => deferred<number>());
    const consumed: number[] = [];
    let handed = 0;
    const next = (): (() => Promise<number>) | undefined =>
      handed < tasks.length
        ? (
            (index) => () =>
              tasks[index]!.promise
          )(handed++)
        : undefined;
    const run = runOrdered(3, next, (value) => void consumed.push(value));
    const outcome = run.then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : 'non-error'),
    );
    tasks[2]!.resolve(2);
    tasks[1]!.reject(new Error('boom'));
    tasks[0]!.resolve(0);
    expect(await outcome).toBe('boom');
    await flush();
    expect(consumed).toEqual([0]);
  });

  it('keeps input order and the limit', async () => {
    const gates = new Map(['a', 'b', 'c', 'd'].map((item) => [item, deferred<void>()]));
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const run = mapLimit(['a', 'b', 'c', 'd'], 2, async (item) => {
      started.push(item);
      most = Math.max(most, ++running);
      await gates.get(item)!.promise;
      running--;
      return item.toUpperCase();
    });
    await flush();
    expect(started).toEqual(['a', 'b']);
    gates.get('b')!.resolve();
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const item of ['d', 'c', 'a']) gates.get(item)!.resolve();
    expect([await run, started, most]).toEqual([['A', 'B', 'C', 'D'], ['a', 'b', 'c', 'd'], 2]);
  });

  it('handles no items and a zero limit', async () => {
    let calls = 0;
    expect(await mapLimit([], 3, async () => ++calls)).toEqual([]);
    expect(calls).toBe(0);
    expect(await mapLimit([1, 2, 3], 0, async (n) => n * 2)).toEqual([2, 4, 6]);
  });
});
