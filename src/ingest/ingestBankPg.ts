import { importThroughMirror } from '../store/pg/caseMirror.js';
import { inWriteTransaction, type PgCase } from '../store/pg/pgCase.js';
import { findSourcesByShaPg } from '../store/pg/sourcesPg.js';
import { digestFile } from './fileDigest.js';
import { ingestBankFilesWith, ingestStatement, statementKeyOptions, type IngestBankOptions, type IngestBankResult } from './ingestBank.js';
import type { IngestSourceResult } from './ingestSource.js';
import { priorImportOf } from './priorImport.js';

/**
 * `ingest bank` on a PostgreSQL case: each statement in one transaction under the writer lock,
 * decided by the case file's own matching (src/store/bankMatch.ts) over a mirror of the accounts
 * it names (src/store/pg/caseMirror.ts), so the payer's and the payee's statements meet on one
 * transfer exactly as in a case file.
 */
export async function ingestBankFilesPg(
  handle: PgCase,
  files: readonly string[],
  options: IngestBankOptions = {},
  onWait?: () => void,
): Promise<IngestBankResult[]> {
  return ingestBankFilesWith(
    async (path, reader, account) => {
      const { sha256, size } = await digestFile(path);
      return inWriteTransaction(
        handle,
        async (): Promise<IngestSourceResult> => {
          const earlier = await findSourcesByShaPg(handle.client, sha256);
          const existing = priorImportOf(earlier, path, reader.adapter, statementKeyOptions(reader, account, options));
          if (existing) return { status: 'already-imported', path, sha256, size, existing };
          return importThroughMirror(handle.client, (db) => ingestStatement(db, path, reader, account, options));
        },
        onWait,
      );
    },
    files,
    options,
  );
}
