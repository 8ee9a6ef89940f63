import type pg from 'pg';
import { readBankItems, type StatementReader } from '../../adapters/bank/index.js';
import { emptyMirrorLoad, importThroughMirror } from '../store/pg/caseMirror.js';
import { inWriteTransaction, type PgCase } from '../store/pg/pgCase.js';
import { findSourcesByShaPg } from '../store/pg/sourcesPg.js';
import { digestFile } from './fileDigest.js';
import { ingestBankFilesWith, ingestStatement, statementReading, type IngestBankOptions, type IngestBankResult } from './ingestBank.js';
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
          const { keyOptions, sheets } = await statementReading(path, reader, account, options);
          const existing = priorImportOf(earlier, path, reader.adapter, keyOptions, sheets);
          if (existing) return { status: 'already-imported', path, sha256, size, existing };
          const load = emptyMirrorLoad();
          for (const id of await namedAccounts(handle.client, path, reader, account, options)) load.accounts.add(id);
          return importThroughMirror(handle.client, (db) => ingestStatement(db, path, reader, account, options), load);
        },
        onWait,
      );
    },
    files,
    options,
  );
}

/**
 * The bank accounts a statement names that the case holds already, read before the import so
 * that the mirror starts with them: a statement of known accounts is then read once more, not
 * imported twice (src/store/pg/caseMirror.ts). A case without bank accounts skips the read; a
 * file the read cannot finish is left to the import, which reports it.
 */
async function namedAccounts(
  client: pg.Client,
  path: string,
  reader: StatementReader,
  account: string | undefined,
  options: IngestBankOptions,
): Promise<number[]> {
  if ((await client.query("SELECT 1 FROM accounts WHERE rail = 'bank' LIMIT 1")).rowCount === 0) return [];
  const idents = new Set<string>();
  try {
    const context = { path, ...(account === undefined ? {} : { account }), ...(options.sheet === undefined ? {} : { sheet: options.sheet }) };
    for await (const item of readBankItems(reader, context)) {
      if (item.kind === 'line') {
        idents.add(item.line.own);
        idents.add(item.line.counterparty);
      } else if (item.kind === 'opening') idents.add(item.opening.account);
      else if (item.kind === 'gap') idents.add(item.gap.account);
    }
  } catch {
    return [];
  }
  const found = await client.query<{ id: string }>("SELECT id::text AS id FROM accounts WHERE rail = 'bank' AND ident = ANY($1::text[])", [[...idents]]);
  return found.rows.map((r) => Number(r.id));
}
