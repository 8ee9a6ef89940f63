import { storedText } from './storedText.js';
import { removeSource, type RemovedSource } from '../../store/removeSource.js';
import { NO_HOLDINGS, type SourceHoldings, type SourceInfo } from '../../model/types.js';
import { selectSourceHoldings, selectSources } from '../../store/sources.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { SourcesCliOptions } from '../commands/sources.js';

export interface SourceListing {
  id: number;
  path: string;
  sha256: string;
  size: number;
  adapter: string;
  options: Record<string, unknown>;
  /** `stored`: transfers; `tags`, `links`, `freezeEvents`: what else the source holds now. */
  rows: { stored: number; duplicate: number; skipped: number; rejected: number; tags: number; links: number; freezeEvents: number };
  importedAt: string;
}

function listing(s: SourceInfo, held: SourceHoldings = NO_HOLDINGS): SourceListing {
  return {
    id: s.id,
    path: s.path,
    sha256: s.sha256,
    size: s.size,
    adapter: s.adapter,
    options: JSON.parse(s.options) as Record<string, unknown>,
    rows: { stored: s.rows, duplicate: s.duplicates, skipped: s.skipped, rejected: s.rejected, ...held },
    importedAt: s.importedAt,
  };
}

/** `hoptrace sources [--json]`: every import, with the id remove-source takes. */
export async function runSources(globals: GlobalOptions, options: SourcesCliOptions): Promise<SourceListing[]> {
  const { sources: found, holdings } = onPostgres(globals)
    ? await (await import('./postgresRead.js')).selectSourcesOnPg(globals)
    : await withCase(globals, (db) => ({ sources: selectSources(db), holdings: selectSourceHoldings(db) }));
  const sources = found.map((s) => listing(s, holdings.get(s.id)));
  if (options.json) printJson(sources);
  else {
    for (const s of sources) {
      const opts = Object.keys(s.options).length === 0 ? '' : ` ${JSON.stringify(s.options)}`;
      process.stdout.write(
        `${String(s.id).padStart(4)}  ${s.path}\n      ${s.adapter}${opts}  sha256 ${s.sha256}  ${s.size} bytes  imported ${s.importedAt}\n`,
      );
      process.stdout.write(
        `      stored ${storedText(s.rows.stored, s.rows)}  duplicate ${s.rows.duplicate}  skipped ${s.rows.skipped}  rejected ${s.rows.rejected}\n`,
      );
    }
    if (sources.length === 0) process.stdout.write('no sources\n');
  }
  return sources;
}

/** `hoptrace remove-source ID|PATH`: undoes one import (logged). */
export async function runRemoveSource(globals: GlobalOptions, which: string): Promise<RemovedSource> {
  const result = onPostgres(globals)
    ? await (await import('./postgresIngest.js')).removeSourcePgCase(globals, which)
    : await withCase(globals, (db) => removeSource(db, which));
  const r = result;
  process.stderr.write(
    `removed source ${r.source.id} (${r.source.path}): ${r.transfersRemoved} transfers, ${r.tagsRemoved} tags, ${r.linksRemoved} links, ${r.accountsRemoved} accounts, ${r.sightingsRemoved} sightings` +
      (r.transfersKept > 0 ? `; ${r.transfersKept} transfers kept, as other sources saw them too` : '') +
      (r.notesRemoved + r.assertionsRemoved > 0
        ? `; with them ${r.notesRemoved} investigator's note${r.notesRemoved === 1 ? '' : 's'} and ${r.assertionsRemoved} cluster assertion${r.assertionsRemoved === 1 ? '' : 's'} on what was removed`
        : '') +
      '\n',
  );
  return result;
}
