import { HoptraceError } from '../../src/model/errors.js';
import { readWholeText } from '../common/text.js';
import { xmlCharacter } from '../common/xmlCharacter.js';
import type { ReadContext, ReadItem } from '../types.js';
import { routeAll } from './ofacList.js';

/**
 * OFAC's SDN "advanced" XML: each DistinctParty's Features of a type "Digital Currency Address -
 * XXX" hold addresses (Feature/FeatureVersion/VersionDetail); the party's primary alias names it.
 * Read with anchored patterns over the document (no XML parser dependency); entities decoded.
 */
export async function* readOfacXml(context: ReadContext): AsyncGenerator<ReadItem> {
  const text = await readWholeText(context.path, context.onBytes);
  if (!/<Sanctions\b/.test(text) || !/<DistinctParty\b/.test(text)) {
    throw new HoptraceError('not an OFAC SDN advanced XML: no <Sanctions> with <DistinctParty> elements', { file: context.path });
  }
  if (!/<\/Sanctions>\s*$/.test(text)) throw new HoptraceError('XML ends early (truncated download?)', { file: context.path, line: text.split('\n').length });
  const featureTypes = new Map<string, string>();
  for (const m of text.matchAll(/<FeatureType ID="(\d+)"[^>]*>Digital Currency Address - ([A-Za-z0-9]+)<\/FeatureType>/g)) featureTypes.set(m[1]!, m[2]!);
  if (featureTypes.size === 0) throw new HoptraceError('no "Digital Currency Address" feature types in the reference values', { file: context.path });
  const lineAt = lineIndex(text);
  const entries: { address: string; line: number; label: string; asset: string }[] = [];
  for (const party of text.matchAll(/<DistinctParty\b[\s\S]*?<\/DistinctParty>/g)) {
    const block = party[0];
    const offset = party.index ?? 0;
    const name = primaryName(block, context.path, (at) => lineAt(offset + at));
    for (const feature of block.matchAll(/<Feature\b[^>]*FeatureTypeID="(\d+)"[^>]*>([\s\S]*?)<\/Feature>/g)) {
      const asset = featureTypes.get(feature[1]!);
      if (!asset) continue;
      const detail = /<VersionDetail\b[^>]*>([^<]*)<\/VersionDetail>/.exec(feature[2]!);
      if (!detail) continue;
      const line = lineAt(offset + (feature.index ?? 0));
      const detailLine = lineAt(offset + (feature.index ?? 0) + feature[0].indexOf(detail[0]));
      entries.push({ address: decodeEntities(detail[1]!, context.path, detailLine).trim(), line, label: `${name} (OFAC SDN, ${asset})`, asset });
    }
  }
  if (entries.length === 0) throw new HoptraceError('no digital currency addresses in this SDN file', { file: context.path });
  yield* routeAll(entries, 'OFAC SDN', context);
}

/** `lineOf`: the line of an offset within `block`, for an error in a name part. */
function primaryName(block: string, path: string, lineOf: (at: number) => number): string {
  const alias = /<Alias\b[^>]*Primary="true"[^>]*>([\s\S]*?)<\/Alias>/.exec(block);
  const start = (alias?.index ?? 0) + (alias ? alias[0].indexOf(alias[1]!) : 0);
  const parts = alias ? [...alias[1]!.matchAll(/<NamePartValue\b[^>]*>([^<]*)<\/NamePartValue>/g)].map((m) => decodeEntities(m[1]!, path, lineOf(start + (m.index ?? 0)))) : [];
  return parts.join(' ').trim() || 'unnamed SDN party';
}

function decodeEntities(text: string, path: string, line: number): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return xmlCharacter(whole, path, line);
  });
}

/** Offset → 1-based line, by binary search over the newline positions (one pass over the text). */
function lineIndex(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  return (offset) => {
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (newlines[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  };
}
