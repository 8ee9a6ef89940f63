import { readFileSync } from 'node:fs';
import { HoptraceError } from '../model/errors.js';
import { RULE_NAMES, type TraceResult } from '../model/trace.js';

/** Reads a `hoptrace trace --out FILE` result back, refusing anything that is not one. */
export function readTraceFile(path: string): TraceResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HoptraceError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file: path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HoptraceError(`not a hoptrace trace: invalid JSON (${(error as Error).message})`, { file: path });
  }
  const result = value as Partial<TraceResult> | null;
  const ok =
    result !== null &&
    typeof result === 'object' &&
    (RULE_NAMES as readonly string[]).includes(String(result.rule)) &&
    Array.isArray(result.seeds) &&
    Array.isArray(result.edges) &&
    Array.isArray(result.endpoints) &&
    Array.isArray(result.held) &&
    typeof result.totals === 'object' &&
    result.edges.every((e) => typeof e?.from === 'string' && typeof e?.to === 'string' && typeof e?.traced === 'string' && /^\d+(\.\d+)?$/.test(e.traced));
  if (!ok) throw new HoptraceError('not a hoptrace trace result (expected the JSON written by hoptrace trace --out)', { file: path });
  return result as TraceResult;
}
