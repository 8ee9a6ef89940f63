import { checkInputFiles } from '../inputFiles.js';
import { ingestUsdtFiles, type IngestUsdtOptions } from '../../ingest/ingestUsdt.js';
import { onPostgres, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { progressReporter } from '../progress.js';
import { describeIngest } from './ingestReport.js';
import type { IngestUsdtCliOptions } from '../commands/ingestUsdt.js';

export async function runIngestUsdt(globals: GlobalOptions, files: string[], options: IngestUsdtCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgres.js')).runIngestUsdtPg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      const onBytes = progressReporter(options.quiet);
      const ingestOptions: IngestUsdtOptions = {
        format: options.format,
        skipBad: options.skipBad,
        ...(options.token ? { token: options.token } : {}),
        ...(options.blocks ? { blocks: options.blocks } : {}),
        ...(onBytes ? { onBytes } : {}),
        onResult: (result) => {
          if (!options.quiet) process.stderr.write(describeIngest(result, result.detected ? `${result.format} (detected)` : result.format) + '\n');
        },
        // The files are read a second time (progress bars start again): say why.
        onRewrite: (failed) => {
          if (!options.quiet)
            process.stderr.write(
              `note: ${failed} failed after the files began to be written together; reading them again, each on its own, so that those before it are stored\n`,
            );
        },
      };
      await ingestUsdtFiles(db, files, ingestOptions);
    },
    'import',
  );
}
