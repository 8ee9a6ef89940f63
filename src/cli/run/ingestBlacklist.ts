import { checkInputFiles } from '../inputFiles.js';
import { ingestBlacklistFiles, type IngestBlacklistResult } from '../../ingest/ingestBlacklist.js';
import { onPostgres, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { IngestBlacklistCliOptions } from '../commands/ingestBlacklist.js';

export async function runIngestBlacklist(globals: GlobalOptions, files: string[], options: IngestBlacklistCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestBlacklistPg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      for (const r of await ingestBlacklistFiles(db, files, { skipBad: options.skipBad }))
        if (!options.quiet) process.stderr.write(describeBlacklistIngest(r) + '\n');
    },
    'import',
  );
}

export function describeBlacklistIngest(r: IngestBlacklistResult): string {
  if (r.status === 'already-imported') return `${r.path}: already imported: nothing added`;
  return `${r.path}: ${r.events} freeze events stored${r.known ? `, ${r.known} already known` : ''}${r.skipped ? `, ${r.skipped} other events skipped` : ''}${r.rejected ? `, ${r.rejected} rejected` : ''}`;
}
