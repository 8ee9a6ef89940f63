import { ingestBankFiles, type IngestBankOptions } from '../../ingest/ingestBank.js';
import { withCase, type GlobalOptions } from '../context.js';
import { progressReporter } from '../progress.js';
import { describeIngest } from './ingestReport.js';

export interface IngestBankCliOptions {
  profile: string;
  account?: string;
  skipBad: boolean;
  quiet: boolean;
}

export async function runIngestBank(globals: GlobalOptions, files: string[], options: IngestBankCliOptions): Promise<void> {
  await withCase(globals, async (db) => {
    const onBytes = progressReporter(options.quiet);
    const ingestOptions: IngestBankOptions = {
      profile: options.profile,
      skipBad: options.skipBad,
      ...(options.account ? { account: options.account } : {}),
      ...(onBytes ? { onBytes } : {}),
      onResult: (result) => {
        if (!options.quiet) process.stderr.write(describeIngest(result, `profile ${result.profile}${result.detected ? ' (detected)' : ''}`) + '\n');
      },
    };
    await ingestBankFiles(db, files, ingestOptions);
  });
}
