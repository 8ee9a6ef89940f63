import { ingestBankFilesPg } from '../../ingest/ingestBankPg.js';
import { ingestAmlsimFilesPg, ingestBlacklistFilesPg, ingestExchangeFilesPg, ingestLinksFilesPg } from '../../ingest/ingestMirroredPg.js';
import { ingestNativeFilesWith } from '../../ingest/ingestNative.js';
import { ingestSourcePg } from '../../ingest/ingestSourcePg.js';
import { ingestTagFilesWith } from '../../ingest/ingestTags.js';
import { closePgCase, inWriteTransaction, openPgCase, type PgCase } from '../../store/pg/pgCase.js';
import { removeSourcePg } from '../../store/pg/removeSourcePg.js';
import type { RemovedSource } from '../../store/removeSource.js';
import type { CaseFileMode } from '../../store/caseFile.js';
import type { IngestBankCliOptions } from '../commands/ingestBank.js';
import type { IngestAmlsimCliOptions } from '../commands/ingestAmlsim.js';
import type { IngestBlacklistCliOptions } from '../commands/ingestBlacklist.js';
import type { IngestExchangeCliOptions } from '../commands/ingestExchange.js';
import type { IngestNativeCliOptions } from '../commands/ingestNative.js';
import type { IngestTagsCliOptions } from '../commands/ingestTags.js';
import { caseFilePath } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { bankIngestOptions } from './ingestBank.js';
import { describeIngest } from './ingestReport.js';
import { describeBlacklistIngest } from './ingestBlacklist.js';
import { describeExchangeIngest, exchangeOptions } from './ingestExchange.js';
import { describeLinksIngest } from './ingestLinks.js';
import { describeTagsIngest } from './tags.js';

/**
 * The ingest commands beyond `ingest usdt` on a PostgreSQL case (docs/postgresql.md, "What runs on
 * PostgreSQL"), with the same options and output as on a case file. Their SQLite versions dispatch
 * here when --db is a postgres:// URL.
 */
async function withPgWriter<T>(globals: GlobalOptions, run: (handle: PgCase, onWait: () => void) => Promise<T>, mode: CaseFileMode = 'create'): Promise<T> {
  const url = caseFilePath(globals);
  const onWait = (): void => {
    process.stderr.write(`hoptrace: another hoptrace process is writing to this case (${url.replace(/:[^:@/]*@/, '@')}); waiting for it to finish…\n`);
  };
  const handle = await openPgCase(url, mode, onWait);
  try {
    return await run(handle, onWait);
  } finally {
    await closePgCase(handle);
  }
}

export async function runIngestBankPg(globals: GlobalOptions, files: string[], options: IngestBankCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    await ingestBankFilesPg(handle, files, bankIngestOptions(options), onWait);
  });
}

export async function runIngestTagsPg(globals: GlobalOptions, files: string[], options: IngestTagsCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    await ingestTagFilesWith((params) => ingestSourcePg({ ...params, pg: handle, onWait }), files, {
      format: options.format,
      skipBad: options.skipBad,
      onResult: (result) => {
        if (!options.quiet) process.stderr.write(describeTagsIngest(result) + '\n');
      },
    });
  });
}

export async function runIngestLinksPg(globals: GlobalOptions, files: string[]): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    for (const result of await ingestLinksFilesPg(handle, files, onWait)) process.stderr.write(describeLinksIngest(result) + '\n');
  });
}

export async function runIngestBlacklistPg(globals: GlobalOptions, files: string[], options: IngestBlacklistCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    for (const result of await ingestBlacklistFilesPg(handle, files, { skipBad: options.skipBad }, onWait))
      if (!options.quiet) process.stderr.write(describeBlacklistIngest(result) + '\n');
  });
}

export async function runIngestExchangePg(globals: GlobalOptions, files: string[], options: IngestExchangeCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    const results = await ingestExchangeFilesPg(handle, files, exchangeOptions(options), onWait);
    if (!options.quiet) for (const result of results) process.stderr.write(describeExchangeIngest(result) + '\n');
  });
}

export async function runIngestNativePg(globals: GlobalOptions, files: string[], options: IngestNativeCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    await ingestNativeFilesWith((params) => ingestSourcePg({ ...params, pg: handle, onWait }), files, {
      skipBad: options.skipBad,
      onResult: (result) => {
        if (!options.quiet) process.stderr.write(describeIngest(result, result.format, 'failed or zero-value transactions, other contracts') + '\n');
      },
    });
  });
}

/** `remove-source` on a PostgreSQL case: one transaction under the writer lock (../../store/pg/removeSourcePg.ts). */
export async function removeSourcePgCase(globals: GlobalOptions, which: string): Promise<RemovedSource> {
  return withPgWriter(globals, (handle, onWait) => inWriteTransaction(handle, () => removeSourcePg(handle.client, which), onWait), 'existing');
}

export async function runIngestAmlsimPg(globals: GlobalOptions, files: string[], options: IngestAmlsimCliOptions): Promise<void> {
  await withPgWriter(globals, async (handle, onWait) => {
    // Each file reported as it commits, as on a case file (a file the mirror reads twice is reported once).
    for (const file of files)
      for (const result of await ingestAmlsimFilesPg(handle, [file], { skipBad: options.skipBad }, onWait))
        process.stderr.write(describeIngest(result, 'amlsim') + '\n');
  });
}
