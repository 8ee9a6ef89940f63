import { ingestLinksFiles } from '../../ingest/ingestLinks.js';
import { withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';

export async function runIngestLinks(globals: GlobalOptions, files: string[]): Promise<void> {
  await withCase(
    globals,
    async (db) => {
      for (const result of await ingestLinksFiles(db, files)) {
        process.stderr.write(
          result.status === 'already-imported'
            ? `${result.path}: already imported: nothing added\n`
            : `${result.path}: ${result.links} links stored${result.duplicates ? `, ${result.duplicates} already known` : ''}\n`,
        );
      }
    },
    'create',
  );
}
