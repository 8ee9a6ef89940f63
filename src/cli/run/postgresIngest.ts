import { ingestBankFilesPg } from '../../ingest/ingestBankPg.js';
import type { IngestBankOptions } from '../../ingest/ingestBank.js';
import { closePgCase, openPgCase, type PgCase } from '../../store/pg/pgCase.js';
import type { IngestBankCliOptions } from '../commands/ingestBank.js';
import { caseFilePath } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { progressReporter } from '../progress.js';
import { describeBankIngest } from './ingestBank.js';

/**
 * The ingest commands beyond `ingest usdt` on a PostgreSQL case (docs/postgresql.md, "What runs on
 * PostgreSQL"), with the same options and output as on a case file. Their SQLite versions dispatch
 * here when --db is a postgres:// URL.
 */
async function withPgWriter<T>(globals: GlobalOptions, run: (handle: PgCase, onWait: () => void) => Promise<T>): Promise<T> {
  const url = caseFilePath(globals);
  const onWait = (): void => {
    process.stderr.write(`hoptrace: another hoptrace process is writing to this case (${url.replace(/:[^:@/]*@/, '@')}); waiting for it to finish…\n`);
  };
  const handle = await openPgCase(url, 'create', onWait);
  try {
    return await run(handle, onWait);
  } finally {
    await closePgCase(handle);
  }
}

export async function runIngestBankPg(globals: GlobalOptions, files: string[], options: IngestBankCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    const onBytes = progressReporter(options.quiet);
    const ingestOptions: IngestBankOptions = {
      profile: options.profile,
      skipBad: options.skipBad,
      balance: options.balance,
      ...(options.account ? { account: options.account } : {}),
      ...(options.sheet ? { sheet: options.sheet } : {}),
      ...(onBytes ? { onBytes } : {}),
      onResult: (result) => {
        if (!options.quiet) process.stderr.write(describeBankIngest(result) + '\n');
      },
    };
    await ingestBankFilesPg(handle, files, ingestOptions, onWait);
  });
}
