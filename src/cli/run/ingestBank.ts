import { checkInputFiles } from '../inputFiles.js';
import { ingestBankFiles, type IngestBankOptions, type IngestBankResult } from '../../ingest/ingestBank.js';
import { onPostgres, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { progressReporter } from '../progress.js';
import type { IngestBankCliOptions } from '../commands/ingestBank.js';

export async function runIngestBank(globals: GlobalOptions, files: string[], options: IngestBankCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestBankPg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      await ingestBankFiles(db, files, bankIngestOptions(options));
    },
    'import',
  );
}

/** One line per file, as `describeIngest` writes for other sources, in a bank statement's words. */
/** What `ingest bank`'s options ask of the import, on either backend. */
export function bankIngestOptions(options: IngestBankCliOptions): IngestBankOptions {
  const onBytes = progressReporter(options.quiet);
  return {
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
}

export function describeBankIngest(result: IngestBankResult): string {
  const profile = `profile ${result.profile}${result.detected ? ' (detected)' : ''}`;
  if (result.status === 'already-imported') {
    return `${result.path}: already imported (source ${result.existing.id}, sha256 ${result.sha256.slice(0, 12)}…): nothing added`;
  }
  const parts = [`${result.rows} stored`];
  if (result.duplicates) parts.push(`${result.duplicates} already in the case`);
  if (result.skipped) parts.push(`${result.skipped} skipped (zero amounts, pending entries, rows the profile does not keep)`);
  if (result.rejected) parts.push(`${result.rejected} rejected (see hoptrace info)`);
  return `${result.path}: ${profile}: ${parts.join(', ')}${result.notes.map((note) => `\n  note: ${note}`).join('')}`;
}
