import { createHash } from 'node:crypto';
import { fstatSync, readSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { heldDescriptor } from './heldDescriptor.js';

/**
 * The SHA-256 a trace cites for its case file (docs/design.md, "Tracing semantics": a result names
 * the case it was read from), the figure an examiner checks with `sha256sum`. It is always read
 * from the file's bytes, never remembered from an earlier read.
 *
 * Hashing was most of what a user waited for on a large case: 1.35 of the 2.3 s of `hoptrace
 * trace` on the 1,666 MB case of 10,000,000 transfers, the trace itself 0.7 s (docs/performance.md,
 * "The case file's hash"). So a file of WORKER_MIN_BYTES or more is hashed on a worker thread
 * while the trace runs, and `digest()` waits for it; `compare` hashes once for all its rules.
 */
export interface PendingHash {
  /** The file's SHA-256 in hex (waits for the worker when one hashes it); the same on every call. */
  digest(): string;
  /** Stops the work when the hash is no longer wanted (the trace failed); digest() must not be called after. */
  abandon(): void;
}

/** Files from 64 MiB up are hashed on a worker: starting one costs about as much as hashing 64 MiB. */
const WORKER_MIN_BYTES = 64 * 1024 * 1024;
const CHUNK = 1 << 20;
/** A worker that has not begun after this long (it could not start) is given up, and the file hashed here. */
const START_MS = 5_000;
/** Nor one that has read nothing for this long. */
const STALL_MS = 60_000;

export interface FileHashOptions {
  /** Hash on a worker from this size up (default 64 MiB). */
  workerMinBytes?: number;
  /** The held descriptor to read (src/store/heldDescriptor.ts), when the caller has checked which file it reads; by default the one held for `path`. */
  descriptor?: number;
}

/** Starts hashing the file at `path` (a case file: its WAL folded in first, src/store/caseCitation.ts). */
export function startFileHash(path: string, { workerMinBytes = WORKER_MIN_BYTES, descriptor }: FileHashOptions = {}): PendingHash {
  // Never closed (src/store/heldDescriptor.ts): SQLite's locks on the open case file stay held.
  const fd = descriptor ?? heldDescriptor(path);
  if (fstatSync(fd).size >= workerMinBytes) {
    try {
      return hashOnWorker(fd, path);
    } catch {
      // No worker to be had (a permission model without --allow-worker, no thread left): hash here.
    }
  }
  return hashHere(fd, path);
}

function hashHere(fd: number, path: string): PendingHash {
  let state: 'waiting' | 'abandoned' | { sha256: string } = 'waiting';
  return {
    digest: () => {
      if (state === 'abandoned') throw new Error(`the hash of ${path} was abandoned`);
      if (state === 'waiting') state = { sha256: hashFd(fd) };
      return state.sha256;
    },
    abandon: () => {
      if (state === 'waiting') state = 'abandoned';
    },
  };
}

function hashFd(fd: number): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (let position = 0, n = readSync(fd, buffer, 0, CHUNK, 0); n > 0; n = readSync(fd, buffer, 0, CHUNK, position)) {
    hash.update(buffer.subarray(0, n));
    position += n;
  }
  return hash.digest('hex');
}

/**
 * The worker reads the same descriptor at explicit positions (threads share a process's
 * descriptors) and posts the hash, or the error with its code; `digest()` blocks on a shared flag
 * until it has, so the trace, which is synchronous, needs no event loop turn to receive it. Slot 0
 * of the shared words is the flag (set last, whatever happened), slot 1 counts the MiB read (1 once
 * it has begun), so a worker that never began or stopped reading is given up on. Plain CommonJS,
 * run without the parent's preloads (execArgv), so it runs alike under the compiled package, tsx
 * and the test runner.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const words = new Int32Array(workerData.shared);
try {
  Atomics.store(words, 1, 1);
  const { createHash } = require('node:crypto');
  const { readSync } = require('node:fs');
  const { fd, chunk, port } = workerData;
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(chunk);
    for (let position = 0, n = readSync(fd, buffer, 0, chunk, 0); n > 0; n = readSync(fd, buffer, 0, chunk, position)) {
      hash.update(buffer.subarray(0, n));
      position += n;
      Atomics.add(words, 1, 1);
    }
    port.postMessage({ sha256: hash.digest('hex') });
  } catch (error) {
    port.postMessage({ error: { message: String(error && error.message), code: error && error.code, syscall: error && error.syscall, errno: error && error.errno } });
  }
} finally {
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
}
`;

interface WorkerAnswer {
  sha256?: string;
  error?: { message: string; code?: string; syscall?: string; errno?: number };
}

function hashOnWorker(fd: number, path: string): PendingHash {
  const shared = new SharedArrayBuffer(8);
  const words = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { fd, chunk: CHUNK, shared, port: port2 }, transferList: [port2] });
  // Nothing waits on the worker but digest(): it must not keep the process alive.
  worker.unref();
  let state: 'running' | 'abandoned' | { sha256: string } = 'running';
  const stop = (): void => {
    port1.close();
    void worker.terminate();
  };
  return {
    digest: () => {
      if (state === 'abandoned') throw new Error(`the hash of ${path} was abandoned`);
      if (state !== 'running') return state.sha256;
      if (!waitFor(words)) {
        stop();
        state = { sha256: hashFd(fd) };
        return state.sha256;
      }
      const answer = receiveMessageOnPort(port1)?.message as WorkerAnswer | undefined;
      port1.close();
      if (answer?.sha256 === undefined) {
        state = 'abandoned';
        const error = answer?.error;
        // As the same read on this thread would have thrown it: a system error keeps its code (src/model/errors.ts).
        throw Object.assign(new Error(`cannot hash ${path}: ${error?.message ?? 'the worker ended without an answer'}`), {
          ...(error?.code === undefined ? {} : { code: error.code }),
          ...(error?.syscall === undefined ? {} : { syscall: error.syscall }),
          ...(error?.errno === undefined ? {} : { errno: error.errno }),
          path,
        });
      }
      state = { sha256: answer.sha256 };
      return state.sha256;
    },
    abandon: () => {
      if (state !== 'running') return;
      state = 'abandoned';
      stop();
    },
  };
}

/** Waits for the worker's flag; false when it never began or stopped reading (checked once a second). */
function waitFor(words: Int32Array): boolean {
  let waited = 0;
  let read = Atomics.load(words, 1);
  for (;;) {
    if (Atomics.wait(words, 0, 0, 1000) !== 'timed-out') return true;
    const now = Atomics.load(words, 1);
    waited = now === read ? waited + 1000 : 0;
    read = now;
    if (waited >= (now === 0 ? START_MS : STALL_MS)) return false;
  }
}
