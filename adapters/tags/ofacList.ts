import { basename } from 'node:path';
import { HoptraceError } from '../../src/model/errors.js';
import { parseJsonDocument } from '../common/json.js';
import { readWholeText } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';
import { OFAC_CONFIDENCE } from './categories.js';
import { routeAddress, UnsupportedRails } from './route.js';

/**
 * The per-asset lists extracted from the OFAC SDN list (0xB10C / brave-intl tooling):
 * `sanctioned_addresses_<ASSET>.txt` (one address per line) or `.json` (an array of strings).
 * The lists carry no names; the label says which list an address came from.
 */
export async function* readOfacList(context: ReadContext): AsyncGenerator<ReadItem> {
  const text = await readWholeText(context.path, context.onBytes);
  const asset = /sanctioned_addresses_([A-Z0-9]+)\./.exec(basename(context.path))?.[1] ?? 'unknown asset';
  const label = `OFAC SDN list (${asset} addresses)`;
  const entries: { address: string; line: number }[] = [];
  if (text.trimStart().startsWith('[')) {
    const list = parseJsonDocument(text, context.path);
    if (!Array.isArray(list)) throw new HoptraceError('not an OFAC address list: expected a JSON array of strings', { file: context.path });
    const lines = text.split('\n');
    let searchFrom = 0;
    for (const value of list) {
      if (typeof value !== 'string') {
        // Named by kind, not printed: an arbitrarily nested array would overflow JSON.stringify's stack.
        const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : JSON.stringify(value);
        throw new HoptraceError(`not an OFAC address list: ${what} is not a string`, { file: context.path });
      }
      const at = lines.findIndex((line, i) => i >= searchFrom && line.includes(`"${value}"`));
      searchFrom = at < 0 ? searchFrom : at + 1;
      entries.push({ address: value, line: at < 0 ? 1 : at + 1 });
    }
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() !== '' && !line.trim().startsWith('#')) entries.push({ address: line.trim(), line: i + 1 });
    });
  }
  if (entries.length === 0) throw new HoptraceError('empty file', { file: context.path });
  yield* routeAll(entries, label, context);
}

export function* routeAll(
  entries: { address: string; line: number; label?: string; asset?: string }[],
  label: string,
  _context: ReadContext,
): Generator<ReadItem> {
  const unsupported = new UnsupportedRails();
  for (const entry of entries) {
    let routed;
    try {
      routed = routeAddress(entry.address);
    } catch (error) {
      yield { kind: 'reject', line: entry.line, reason: rejectReason(error as HoptraceError) };
      continue;
    }
    if ('unsupported' in routed) {
      const kind = entry.asset ?? routed.unsupported;
      unsupported.add(kind);
      yield { kind: 'skipped', line: entry.line, reason: `unsupported rail (${kind})` };
      continue;
    }
    yield {
      kind: 'tag',
      record: { account: routed, category: 'sanctioned', label: entry.label ?? label, origin: 'OFAC', confidence: OFAC_CONFIDENCE, line: entry.line },
    };
  }
  const note = unsupported.note();
  if (note) yield { kind: 'note', message: note };
}

export function looksLikeOfacList(path: string, head: string): boolean {
  if (/sanctioned_addresses_[A-Z0-9]+\.(txt|json)$/.test(basename(path))) return true;
  const trimmed = head.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      const sample = JSON.parse(trimmed.slice(0, trimmed.indexOf(']') + 1) || '[]') as unknown;
      return Array.isArray(sample) && sample.every((v) => typeof v === 'string');
    } catch {
      return false;
    }
  }
  return false;
}
