import { basename } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { HoptraceError } from '../../src/model/errors.js';
import { isTagCategory, type TagCategory } from '../../src/model/types.js';
import { readWholeText } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';
import { TAGPACK_CATEGORY_MAP, TAGPACK_CONFIDENCE } from './categories.js';
import { routeAddress, UnsupportedRails } from './route.js';

/**
 * GraphSense TagPacks (YAML; schema in test/fixtures/graphsense-tagpacks/schema_tagpack-tool):
 * header fields (label, source, category, abuse, currency, network, confidence …) are inherited by
 * every item of `tags:` unless the item overrides them. Errors name the YAML line.
 */
const SANCTIONS_SOURCE = /\bOFAC\b|sanctions list|treasury\.gov\/ofac|sanctionssearch/i;

export async function* readTagPack(context: ReadContext): AsyncGenerator<ReadItem> {
  const text = await readWholeText(context.path, context.onBytes);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const firstError = document.errors[0];
  if (firstError) throw new HoptraceError(`YAML: ${firstError.message.split('\n')[0]}`, { file: context.path, line: firstError.linePos?.[0]?.line ?? 1 });
  const root = document.contents;
  if (!isMap(root)) throw new HoptraceError('not a TagPack: the document is not a mapping', { file: context.path, line: lineOf(root) });
  const header = plainFields(root);
  const tags = root.get('tags', true);
  if (!isSeq(tags)) throw new HoptraceError('not a TagPack: no "tags:" list', { file: context.path, line: lineOf(root) });
  const origin = `TagPack:${basename(context.path)}`;
  const unsupported = new UnsupportedRails();
  let unmapped = 0;
  for (const item of tags.items) {
    const line = lineOf(item as Node);
    if (!isMap(item)) {
      yield { kind: 'reject', line, reason: 'tag is not a mapping' };
      continue;
    }
    const tag = { ...header, ...plainFields(item) };
    try {
      const address = tag['address'];
      if (!address) throw new HoptraceError('tag has no address');
      const network = (tag['network'] ?? tag['currency'] ?? '').toUpperCase();
      if (!network) throw new HoptraceError('tag has neither currency nor network');
      if (!['ETH', 'TRX', 'USDT'].includes(network)) {
        unsupported.add(network.toLowerCase());
        yield { kind: 'skipped', line, reason: `unsupported rail (${network})` };
        continue;
      }
      const routed = routeAddress(address);
      if ('unsupported' in routed) {
        unsupported.add(routed.unsupported);
        yield { kind: 'skipped', line, reason: `unsupported rail (${routed.unsupported})` };
        continue;
      }
      if ((network === 'ETH' && routed.rail !== 'ethereum') || (network === 'TRX' && routed.rail !== 'tron'))
        throw new HoptraceError(`address ${address} is not a ${network} address`);
      // Sanction lists in TagPack form (packs/ofac.yaml) call the designated person a `user`:
      // a tag whose label or source is an OFAC/sanctions list is a sanctions designation.
      const category = SANCTIONS_SOURCE.test(`${tag['label'] ?? ''} ${tag['source'] ?? ''}`) ? 'sanctioned' : mapCategory(tag['category'], tag['abuse']);
      if (category === null) {
        unmapped++;
        yield { kind: 'skipped', line, reason: `category ${tag['category'] ?? tag['abuse']} is not one hoptrace uses` };
        continue;
      }
      const label = tag['label'];
      if (!label) throw new HoptraceError('tag has no label (neither in the tag nor in the header)');
      yield { kind: 'tag', record: { account: routed, category, label, origin, confidence: confidenceOf(tag['confidence']), line } };
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line, reason: rejectReason(error) };
    }
  }
  const note = unsupported.note();
  if (note) yield { kind: 'note', message: note };
  if (unmapped > 0) yield { kind: 'note', message: `${unmapped} tags in categories hoptrace does not use (counted as skipped)` };
}

function plainFields(map: YAMLMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of map.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (key === 'tags') continue;
    const value = (pair.value as { value?: unknown } | null)?.value;
    if (value === undefined || value === null) continue;
    out[key] = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  }
  return out;
}

function mapCategory(category: string | undefined, abuse: string | undefined): TagCategory | null {
  for (const concept of [abuse, category]) {
    if (concept === undefined) continue;
    if (!(concept in TAGPACK_CATEGORY_MAP)) {
      if (isTagCategory(concept)) return concept;
      throw new HoptraceError(`unknown category ${JSON.stringify(concept)}`, {
        hint: "use a GraphSense concept (concepts.yaml) or one of hoptrace's categories",
      });
    }
    const mapped = TAGPACK_CATEGORY_MAP[concept];
    if (mapped) return mapped;
  }
  if (category === undefined && abuse === undefined) throw new HoptraceError('tag has no category (neither in the tag nor in the header)');
  return null;
}

function confidenceOf(value: string | undefined): number {
  if (value === undefined) return TAGPACK_CONFIDENCE['unknown']!;
  if (/^\d+$/.test(value) && Number(value) <= 100) return Number(value);
  const level = TAGPACK_CONFIDENCE[value];
  if (level === undefined)
    throw new HoptraceError(`unknown confidence ${JSON.stringify(value)}`, { hint: `use one of ${Object.keys(TAGPACK_CONFIDENCE).join(', ')}` });
  return level;
}

export function looksLikeTagPack(head: string): boolean {
  return /^tags:\s*$/m.test(head) && /^(title|creator|label|category|currency|network|confidence):/m.test(head);
}
