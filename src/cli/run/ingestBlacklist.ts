import { ingestBlacklistFiles } from '../../ingest/ingestBlacklist.js';
import { withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { IngestBlacklistCliOptions } from '../commands/ingestBlacklist.js';

export async function runIngestBlacklist(globals: GlobalOptions, files: string[], options: IngestBlacklistCliOptions): Promise<void> {
  await withCase(
    globals,
    async (db) => {
      for (const r of await ingestBlacklistFiles(db, files, { skipBad: options.skipBad })) {
        if (options.quiet) continue;
        if (r.status === 'already-imported') process.stderr.write(`${r.path}: already imported: nothing added\n`);
        else
          process.stderr.write(
            `${r.path}: ${r.events} freeze events stored${r.known ? `, ${r.known} already known` : ''}${r.skipped ? `, ${r.skipped} other events skipped` : ''}${r.rejected ? `, ${r.rejected} rejected` : ''}\n`,
          );
      }
    },
    'create',
  );
}
