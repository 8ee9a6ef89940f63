import { createRequire } from 'node:module';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { HoptraceError } from '../model/errors.js';

export type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

/**
 * ELK's layered algorithm (Eclipse Layout Kernel, compiled to JavaScript as elkjs), run
 * synchronously. elkjs offers a Promise API over a worker; its Node build ships the worker as a
 * class whose dispatcher answers each message at once. Calling that dispatcher directly keeps
 * report writing synchronous (writeReport is a pure function called from the CLI, the demo and
 * tests) with the very same layout code the async API runs. elkjs is pinned (package.json), so
 * this entry point does not move under us; should it, the error says so.
 */
interface ElkDispatcher {
  dispatch(event: { data: { cmd: string; id: number; graph?: ElkNode; algorithms?: string[] } }): void;
}

let dispatcher: ElkDispatcher | null = null;
let answer: { data?: ElkNode; error?: unknown } | null = null;

function elk(): ElkDispatcher {
  if (dispatcher) return dispatcher;
  const require = createRequire(import.meta.url);
  const { Worker } = require('elkjs/lib/elk-worker.min.js') as {
    Worker: new () => { dispatcher?: ElkDispatcher; onmessage: (m: { data: { data?: ElkNode; error?: unknown } }) => void };
  };
  const worker = new Worker();
  worker.onmessage = (message) => {
    answer = message.data;
  };
  if (!worker.dispatcher || typeof worker.dispatcher.dispatch !== 'function')
    throw new Error('elkjs: the worker has no synchronous dispatcher (elkjs version changed?)');
  worker.dispatcher.dispatch({ data: { cmd: 'register', id: 0, algorithms: ['layered'] } });
  dispatcher = worker.dispatcher;
  return dispatcher;
}

/** Lays out `graph` in place with ELK and returns it (positions, edge sections, label positions). */
export function layoutSync(graph: ElkNode): ElkNode {
  answer = null;
  try {
    elk().dispatch({ data: { cmd: 'layout', id: 1, graph } });
  } catch (error) {
    throw new HoptraceError(`the flow diagram's layout failed: ${(error as Error).message ?? String(error)}`);
  }
  const result = answer as { data?: ElkNode; error?: unknown } | null;
  if (!result || result.error || !result.data)
    throw new HoptraceError(`the flow diagram's layout failed: ${String((result?.error as Error | undefined)?.message ?? result?.error ?? 'no answer')}`);
  return result.data;
}
