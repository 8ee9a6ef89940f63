import { AddressCache } from '../model/address.js';
import { withFile } from '../model/errors.js';
import type { ReadContext } from '../../adapters/types.js';
import { PgSourceWriter } from '../store/pg/copySourceWriter.js';
import { inWriteTransaction, type PgCase } from '../store/pg/pgCase.js';
import { findSourcesByShaPg } from '../store/pg/sourcesPg.js';
import { conflictError, describeConflict, rejectError, type IngestSourceParams, type IngestSourceResult } from './ingestSource.js';
import { digestFile } from './fileDigest.js';
import { priorImportOf } from './priorImport.js';

export type IngestSourcePgParams = Omit<IngestSourceParams, 'db'> & {
  pg: PgCase;
  /** Called when another writer holds the case: this one waits for it. */
  onWait?: () => void;
};

/**
 * ingestSource (./ingestSource.ts) on a PostgreSQL case: the same adapters, re-import rule,
 * reject and conflict handling, one transaction per source under the writer lock, rows through
 * COPY.
 */
export async function ingestSourcePg(params: IngestSourcePgParams): Promise<IngestSourceResult> {
  const { pg: handle, path } = params;
  const { sha256, size } = await digestFile(path);
  return inWriteTransaction(
    handle,
    async () => {
      const existing = priorImportOf(await findSourcesByShaPg(handle.client, sha256), path, params.adapter, params.options);
      if (existing) return { status: 'already-imported', path, sha256, size, existing };
      const writer = await PgSourceWriter.open(handle.client, { path, sha256, size, adapter: params.adapter, options: params.options });
      try {
        const context: ReadContext = {
          path,
          addresses: params.addresses ?? new AddressCache(),
          ...(params.onBytes ? { onBytes: (n: number) => params.onBytes?.(n, size) } : {}),
        };
        for await (const item of params.read(context)) {
          switch (item.kind) {
            case 'transfer':
              await writer.addTransfer(item.record);
              break;
            case 'tag':
              writer.addTag(item.record);
              break;
            case 'skipped':
              writer.addSkipped();
              break;
            case 'note':
              writer.addNote(item.message);
              break;
            case 'reject':
              if (!params.skipBad) throw rejectError(path, item.line, item.reason);
              writer.addReject(item.line, item.reason);
              break;
          }
        }
        for (const conflict of await writer.store()) {
          const reason = describeConflict(conflict);
          if (!params.skipBad) throw conflictError(path, conflict.line, reason);
          await writer.rejectConflict(conflict, reason);
        }
        const summary = await writer.finish();
        return { status: 'imported', path, sha256, size, ...summary };
      } catch (error) {
        await writer.abort();
        throw withFile(error, path);
      }
    },
    params.onWait,
  );
}
