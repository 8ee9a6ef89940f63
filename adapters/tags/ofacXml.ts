import { HoptraceError } from '../../src/model/errors.js';
import { readTextChunks } from '../common/text.js';
import { descendants, readXmlElements, type XmlElement, type XmlTag } from '../common/xml.js';
import type { ReadContext, ReadItem } from '../types.js';
import { routeAll } from './ofacList.js';

/**
 * OFAC's SDN "advanced" XML: each DistinctParty's Features of a type "Digital Currency Address -
 * XXX" hold addresses (Feature/FeatureVersion/VersionDetail); the party's primary alias names it.
 * Streamed through the common XML reader: only FeatureType and DistinctParty elements are kept.
 */
export async function* readOfacXml(context: ReadContext): AsyncGenerator<ReadItem> {
  let root: XmlTag | undefined;
  const select = (open: readonly XmlTag[]): boolean => {
    root ??= open[0];
    const name = open[open.length - 1]!.name;
    return name === 'FeatureType' || name === 'DistinctParty';
  };
  const featureTypes = new Map<string, string>();
  const features: { typeId: string; address: string; line: number; name: string }[] = [];
  let parties = 0;
  for await (const element of readXmlElements(readTextChunks(context.path, undefined, context.onBytes), context.path, select)) {
    if (element.name === 'FeatureType') {
      const id = element.attributes['ID'];
      const asset = /^Digital Currency Address - ([A-Za-z0-9]+)$/.exec(element.text)?.[1];
      if (id !== undefined && /^\d+$/.test(id) && asset !== undefined) featureTypes.set(id, asset);
      continue;
    }
    parties++;
    const name = primaryName(descendants(element, 'Alias').find((alias) => alias.attributes['Primary'] === 'true'));
    for (const feature of descendants(element, 'Feature')) {
      const typeId = feature.attributes['FeatureTypeID'];
      const detail = descendants(feature, 'VersionDetail')[0];
      if (typeId === undefined || !detail) continue;
      features.push({ typeId, address: detail.text.trim(), line: feature.line, name });
    }
  }
  if (root?.name !== 'Sanctions' || parties === 0) {
    throw new HoptraceError('not an OFAC SDN advanced XML: no <Sanctions> with <DistinctParty> elements', { file: context.path });
  }
  if (featureTypes.size === 0) throw new HoptraceError('no "Digital Currency Address" feature types in the reference values', { file: context.path });
  const entries: { address: string; line: number; label: string; asset: string }[] = [];
  for (const feature of features) {
    const asset = featureTypes.get(feature.typeId);
    if (asset) entries.push({ address: feature.address, line: feature.line, label: `${feature.name} (OFAC SDN, ${asset})`, asset });
  }
  if (entries.length === 0) throw new HoptraceError('no digital currency addresses in this SDN file', { file: context.path });
  yield* routeAll(entries, 'OFAC SDN', context);
}

function primaryName(alias: XmlElement | undefined): string {
  const parts = alias ? descendants(alias, 'NamePartValue').map((part) => part.text) : [];
  return parts.join(' ').trim() || 'unnamed SDN party';
}
