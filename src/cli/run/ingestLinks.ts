import { checkInputFiles } from '../inputFiles.js';
import { ingestLinksFiles, type IngestLinksResult } from '../../ingest/ingestLinks.js';
import { onPostgres, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';

export async function runIngestLinks(globals: GlobalOptions, files: string[]): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestLinksPg(globals, files);
  await withCase(
    globals,
    async (db) => {
      for (const result of await ingestLinksFiles(db, files)) process.stderr.write(describeLinksIngest(result) + '\n');
    },
    'import',
  );
}

export function describeLinksIngest(result: IngestLinksResult): string {
  return result.status === 'already-imported'
    ? `${result.path}: already imported: nothing added`
    : `${result.path}: ${result.links} links stored${result.duplicates ? `, ${result.duplicates} already known` : ''}`;
}
