import { HoptraceError } from '../model/errors.js';
import { wrongKindError } from './fileKind.js';
import { decodeHead, readHeadBytes } from '../../adapters/common/text.js';
import { detectTagFormat, readTags, TAG_FORMATS, type TagFormat } from '../../adapters/tags/index.js';
import type { Db } from '../store/caseStore.js';
import { ingestSource, type IngestSourceParams, type IngestSourceResult } from './ingestSource.js';

export interface IngestTagsOptions {
  format?: TagFormat | 'auto';
  skipBad?: boolean;
  onResult?: (result: IngestTagsResult) => void;
}

export type IngestTagsResult = IngestSourceResult & { format: TagFormat; detected: boolean };

/**
 * `hoptrace ingest tags FILE…`: OFAC lists and SDN XML, GraphSense TagPacks, tag CSVs; each file
 * one source (its SHA-256 is what a report cites for a label), in one transaction.
 */
export async function ingestTagFiles(db: Db, files: readonly string[], options: IngestTagsOptions = {}): Promise<IngestTagsResult[]> {
  return ingestTagFilesWith((params) => ingestSource({ db, ...params }), files, options);
}

/** ingestTagFiles with the backend's source import (ingestSource on a case file, ingestSourcePg on PostgreSQL). */
export async function ingestTagFilesWith(
  ingestOne: (params: Omit<IngestSourceParams, 'db'>) => Promise<IngestSourceResult>,
  files: readonly string[],
  options: IngestTagsOptions = {},
): Promise<IngestTagsResult[]> {
  const results: IngestTagsResult[] = [];
  for (const path of files) {
    const head = decodeHead(await readHeadBytes(path));
    if (head.trim() === '') throw new HoptraceError('empty file', { file: path });
    let format: TagFormat;
    let detected = false;
    if (options.format && options.format !== 'auto') {
      if (!TAG_FORMATS.includes(options.format))
        throw new HoptraceError(`unknown format ${JSON.stringify(options.format)}`, { hint: `use one of ${TAG_FORMATS.join(', ')} or auto` });
      format = options.format;
    } else {
      const found = detectTagFormat(path, head);
      if (!found) {
        throw (
          (await wrongKindError(path, 'tags', 'attribution tags')) ??
          new HoptraceError('unknown tag format', {
            file: path,
            line: 1,
            hint: 'expected an OFAC list or SDN XML, a GraphSense TagPack (YAML), or a CSV with chain,address,category,label',
          })
        );
      }
      format = found;
      detected = true;
    }
    const result = await ingestOne({
      path,
      adapter: `tags:${format}`,
      options: '{}',
      skipBad: options.skipBad ?? false,
      read: (context) => readTags(format, context, head),
    });
    const withFormat = { ...result, format, detected };
    options.onResult?.(withFormat);
    results.push(withFormat);
  }
  return results;
}
