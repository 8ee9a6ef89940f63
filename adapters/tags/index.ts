import { basename } from 'node:path';
import { HoptraceError } from '../../src/model/errors.js';
import type { ReadContext, ReadItem } from '../types.js';
import { looksLikeOfacList, readOfacList } from './ofacList.js';
import { readOfacXml } from './ofacXml.js';
import { looksLikeTagPack, readTagPack } from './tagpack.js';
import { looksLikeTagsCsv, readTagsCsv } from './csv.js';

export type TagFormat = 'ofac' | 'tagpack' | 'csv';
export const TAG_FORMATS: readonly TagFormat[] = ['ofac', 'tagpack', 'csv'];

/** The format of an attribution file, from its name and first bytes. */
export function detectTagFormat(path: string, head: string): TagFormat | undefined {
  if (/<Sanctions\b/.test(head) || looksLikeOfacList(path, head)) return 'ofac';
  if (looksLikeTagPack(head) || /\.ya?ml$/i.test(basename(path))) return 'tagpack';
  if (looksLikeTagsCsv(head)) return 'csv';
  return undefined;
}

export function readTags(format: TagFormat, context: ReadContext, head: string): AsyncIterable<ReadItem> {
  switch (format) {
    case 'ofac':
      return /<Sanctions\b/.test(head) || /\.xml$/i.test(context.path) ? readOfacXml(context) : readOfacList(context);
    case 'tagpack':
      return readTagPack(context);
    case 'csv':
      return readTagsCsv(context);
    default:
      throw new HoptraceError(`unknown tag format ${JSON.stringify(format)}`);
  }
}
