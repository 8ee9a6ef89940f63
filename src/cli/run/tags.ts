import { checkInputFiles } from '../inputFiles.js';
import { writeOutputFile } from '../../export/outputFile.js';
import { HoptraceError } from '../../model/errors.js';
import { ENDPOINT_CATEGORIES, isTagCategory, TAG_CATEGORIES } from '../../model/types.js';
import type { Db } from '../../store/caseStore.js';
import { ingestTagFiles, type IngestTagsResult } from '../../ingest/ingestTags.js';
import { routeAddress } from '../../../adapters/tags/route.js';
import { exportTagPack } from '../../export/tagpack.js';
import { selectEndpoints, selectOwnTags, selectTags, type TagRow } from '../../store/tags.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { checkOutputFile } from '../outputPath.js';
import { describeIngest } from './ingestReport.js';
import type { EndpointsCliOptions } from '../commands/endpoints.js';
import type { ExportCliOptions } from '../commands/export.js';
import type { IngestTagsCliOptions } from '../commands/ingestTags.js';
import type { TagsCliOptions } from '../commands/tags.js';

export async function runIngestTags(globals: GlobalOptions, files: string[], options: IngestTagsCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestTagsPg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      await ingestTagFiles(db, files, {
        format: options.format,
        skipBad: options.skipBad,
        onResult: (result) => {
          if (!options.quiet) process.stderr.write(describeTagsIngest(result) + '\n');
        },
      });
    },
    'import',
  );
}

export function describeTagsIngest(result: IngestTagsResult): string {
  return describeIngest(result, result.detected ? `${result.format} (detected)` : result.format, 'rails or categories hoptrace does not use');
}

export async function runTags(globals: GlobalOptions, options: TagsCliOptions): Promise<TagRow[]> {
  if (options.category !== undefined && !isTagCategory(options.category))
    throw new HoptraceError(`unknown category ${JSON.stringify(options.category)}`, { hint: `use one of ${TAG_CATEGORIES.join(', ')}` });
  const tags = await withTagsOf(globals, undefined, (db) => {
    let account: { ident: string } | undefined;
    if (options.account !== undefined) {
      const routed = (() => {
        try {
          return routeAddress(options.account!);
        } catch {
          return undefined;
        }
      })();
      account = { ident: routed && !('unsupported' in routed) ? routed.ident : options.account.trim() };
    }
    return selectTags(db, { ...(account ? { account } : {}), ...(options.category ? { category: options.category } : {}) });
  });
  if (options.json) printJson(tags.map(({ rail, ident, category, label, confidence, origin }) => ({ rail, ident, category, label, confidence, origin })));
  else
    for (const t of tags)
      process.stdout.write(`${t.rail.padEnd(9)} ${t.ident}  ${t.category.padEnd(17)} ${t.label}  [${t.origin}, confidence ${t.confidence}]\n`);
  return tags;
}

export async function runEndpoints(globals: GlobalOptions, options: EndpointsCliOptions): Promise<void> {
  const endpoints = await withTagsOf(globals, ENDPOINT_CATEGORIES, (db) => selectEndpoints(db));
  if (options.json) printJson(endpoints);
  else for (const e of endpoints) process.stdout.write(`${e.rail.padEnd(9)} ${e.ident}  ${e.categories.join(', ').padEnd(17)} ${e.labels.join('; ')}\n`);
}

export async function runExportTagPack(globals: GlobalOptions, options: ExportCliOptions): Promise<void> {
  // A TagPack is the case's own tags, whole: the graph options select nothing in it (they were ignored).
  const graphOption =
    options.trace !== undefined
      ? '--trace'
      : options.clusters
        ? '--clusters'
        : options.minAmount !== undefined
          ? '--min-amount'
          : options.level !== 'account'
            ? '--level'
            : undefined;
  if (graphOption !== undefined)
    throw new HoptraceError(`${graphOption} is not an option of --format tagpack: a TagPack holds the case's own tags, all of them`, {
      hint: `leave ${graphOption} out, or export a graph format`,
    });
  checkOutputFile(options.out, '--out', ['.yaml', '.yml']);
  const exported = await withCase(globals, (db) =>
    exportTagPack(selectOwnTags(db), { title: 'hoptrace case tags', lastmod: new Date().toISOString().slice(0, 10) }),
  );
  writeOutputFile(options.out, exported.yaml, 'TagPack');
  process.stderr.write(
    `${options.out}: ${exported.tags} tags${exported.skippedBank ? ` (${exported.skippedBank} bank-account tags left out: TagPacks describe crypto addresses)` : ''}\n`,
  );
}

/** A command that reads only tags: on PostgreSQL, over those tags and their accounts (src/store/pg/tagWorkingSet.ts), not a copy of the case. */
async function withTagsOf<T>(globals: GlobalOptions, categories: readonly string[] | undefined, run: (db: Db) => T): Promise<T> {
  if (onPostgres(globals)) return (await import('./postgresRead.js')).withTagsOnPg(globals, categories, run);
  return withCase(globals, run);
}
