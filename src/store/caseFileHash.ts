import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Db } from './caseStore.js';

/**
 * The SHA-256 a trace cites for its case file (docs/design.md, "Tracing semantics": every result
 * names the case it was read from), which an examiner checks with `sha256sum`.
 *
 * Hashing is most of what a user waits for on a large case: 1.35 of the 2.3 s of `hoptrace trace`
 * on a 1.4 GB case of 10,000,000 transfers, the trace itself 0.7 s (docs/performance.md, "The case
 * file's hash"). So:
 *
 * - a file of WORKER_MIN_BYTES or more is hashed on a worker thread while the trace runs, and
 *   `digest()` waits for it (on one core it costs what hashing after the trace did);
 * - a process remembers the hash of each case file it hashed with the file's identity and times
 *   (device, inode, size, modification and change times in nanoseconds, taken before and after the
 *   read): `compare` traces once per rule and `serve` once per request, and hashed the file each
 *   time. Any write to the file moves its change time, which no program can set back (only the
 *   system clock can), so a remembered hash is the hash of the bytes the file holds; a file that
 *   changed while it was read is not remembered. Nor is one that changed less than SETTLED_MS
 *   before the read began: a file's times move by the clock's tick (a few ms; 2 s on FAT, which
 *   keeps no change time), so a write in the same tick as the one before it leaves them as they
 *   were (git's "racily clean" index entries are the same problem).
 */
export interface PendingHash {
  /** The file's SHA-256 in hex; waits for the worker when one hashes it. */
  digest(): string;
  /** Stops the work when the hash is no longer wanted (the trace failed); digest() must not be called after. */
  abandon(): void;
  /** Whether the hash was remembered from an earlier read of the same, unchanged file. */
  readonly remembered: boolean;
}

/** Files from 64 MiB up are hashed on a worker: starting one costs about as much as hashing 64 MiB. */
const WORKER_MIN_BYTES = 64 * 1024 * 1024;
/** How long a file must have been left alone before its hash is remembered: FAT's 2 s tick, and a second more. */
const SETTLED_MS = 3000;

export interface FileHashOptions {
  /** Hash on a worker from this size up (default 64 MiB). */
  workerMinBytes?: number;
  /** Remember the hash only of a file unchanged for this long before the read (default 3 s). */
  settledMs?: number;
}
const CHUNK = 1 << 20;

/** The last hash of each case file, by resolved path. */
const remembered = new Map<string, { identity: string; sha256: string }>();

/**
 * Starts hashing the file at `path`. A case file's WAL must be folded into it first
 * (checkpointCaseFile), so that the hash covers everything a trace reads.
 */
export function startFileHash(path: string, { workerMinBytes = WORKER_MIN_BYTES, settledMs = SETTLED_MS }: FileHashOptions = {}): PendingHash {
  const key = resolve(path);
  const readFrom = BigInt(Date.now()) * 1_000_000n;
  const fd = openSync(path, 'r');
  let identity: string;
  let size: number;
  let settled: boolean;
  try {
    const stat = fstatSync(fd, { bigint: true });
    identity = identityOf(stat);
    size = Number(stat.size);
    const before = readFrom - BigInt(settledMs) * 1_000_000n;
    settled = stat.mtimeNs < before && stat.ctimeNs < before;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const known = remembered.get(key);
  if (known?.identity === identity) {
    closeSync(fd);
    return { digest: () => known.sha256, abandon: () => undefined, remembered: true };
  }
  // Kept only if the file did not change while it was read.
  const settle = (sha256: string): string => {
    try {
      if (settled && identityOf(fstatSync(fd, { bigint: true })) === identity) remembered.set(key, { identity, sha256 });
    } finally {
      closeSync(fd);
    }
    return sha256;
  };
  if (size < workerMinBytes) {
    let open = true;
    return {
      digest: () => {
        if (!open) throw new Error(`the hash of ${path} was already taken or abandoned`);
        open = false;
        let sha256: string;
        try {
          sha256 = hashFd(fd);
        } catch (error) {
          closeSync(fd);
          throw error;
        }
        return settle(sha256);
      },
      abandon: () => {
        if (open) closeSync(fd);
        open = false;
      },
      remembered: false,
    };
  }
  return hashOnWorker(fd, path, settle);
}

/** Folds the WAL into the case file when the connection may write (a read-only one cannot). */
export function checkpointCaseFile(db: Db): void {
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
}

function identityOf(stat: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
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
 * descriptors) and posts the hash; `digest()` blocks on a shared flag until it has, so the trace,
 * which is synchronous, needs no event loop turn to receive it. Plain CommonJS evaluated in the
 * worker, so it runs the same under the compiled package, tsx and the test runner.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const { fd, chunk, done, port } = workerData;
try {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(chunk);
  for (let position = 0, n = readSync(fd, buffer, 0, chunk, 0); n > 0; n = readSync(fd, buffer, 0, chunk, position)) {
    hash.update(buffer.subarray(0, n));
    position += n;
  }
  port.postMessage({ sha256: hash.digest('hex') });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
const flag = new Int32Array(done);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

function hashOnWorker(fd: number, path: string, settle: (sha256: string) => string): PendingHash {
  const done = new SharedArrayBuffer(4);
  const flag = new Int32Array(done);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { fd, chunk: CHUNK, done, port: port2 }, transferList: [port2] });
  // Nothing waits on the worker but digest(): it must not keep the process alive.
  worker.unref();
  let state: 'running' | 'taken' | 'abandoned' = 'running';
  return {
    digest: () => {
      if (state !== 'running') throw new Error(`the hash of ${path} was already ${state}`);
      state = 'taken';
      Atomics.wait(flag, 0, 0);
      const message = receiveMessageOnPort(port1)?.message as { sha256?: string; error?: string } | undefined;
      port1.close();
      if (message?.sha256 === undefined) {
        closeSync(fd);
        throw new Error(`cannot hash ${path}: ${message?.error ?? 'the worker ended without an answer'}`);
      }
      return settle(message.sha256);
    },
    abandon: () => {
      if (state !== 'running') return;
      state = 'abandoned';
      port1.close();
      // The descriptor is closed once the worker has stopped, so it never reads a reused one.
      worker.once('exit', () => closeSync(fd));
      void worker.terminate();
    },
    remembered: false,
  };
}
