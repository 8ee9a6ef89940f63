import { HoptraceError, userError, withFile } from '../model/errors.js';
import { readLinksCsv } from '../../adapters/links/csv.js';
import type { Db } from '../store/caseStore.js';
import { insertLink, selectTransferRail } from '../store/links.js';
import { openSourceWriter, priorImport } from './priorImport.js';
import { resolveOneTransfer } from '../store/transferRefs.js';
import { digestFile } from './fileDigest.js';

export interface IngestLinksResult {
  path: string;
  status: 'imported' | 'already-imported';
  links: number;
  duplicates: number;
}

/**
 * `hoptrace ingest links FILE…`: each row must name transfers already in the case (a bank
 * payment and a chain transfer); an unresolved reference fails the file with its line.
 */
export async function ingestLinksFiles(db: Db, files: readonly string[]): Promise<IngestLinksResult[]> {
  const results: IngestLinksResult[] = [];
  for (const path of files) {
    const { sha256, size } = await digestFile(path);
    if (priorImport(db, path, sha256, 'links:csv', '{}')) {
      results.push({ path, status: 'already-imported', links: 0, duplicates: 0 });
      continue;
    }
    const writer = openSourceWriter(db, { path, sha256, size, adapter: 'links:csv', options: '{}' });
    if (!writer) {
      results.push({ path, status: 'already-imported', links: 0, duplicates: 0 });
      continue;
    }
    let links = 0;
    let duplicates = 0;
    try {
      for await (const item of readLinksCsv(path)) {
        if (item.kind === 'reject') throw new HoptraceError(item.reason, { file: path, line: item.line });
        const { fiatRef, cryptoRef, line } = item.record;
        const at = (error: unknown): HoptraceError => new HoptraceError(userError(error).message, { file: path, line });
        let fiatId: number;
        let cryptoId: number;
        try {
          fiatId = resolveOneTransfer(db, fiatRef);
          cryptoId = resolveOneTransfer(db, cryptoRef);
        } catch (error) {
          throw at(error);
        }
        if (selectTransferRail(db, fiatId) !== 'bank')
          throw new HoptraceError(`fiat_ref ${JSON.stringify(fiatRef)} is not a bank transfer`, { file: path, line });
        if (selectTransferRail(db, cryptoId) === 'bank')
          throw new HoptraceError(`crypto_ref ${JSON.stringify(cryptoRef)} is a bank transfer`, { file: path, line });
        if (insertLink(db, writer.sourceId, fiatId, cryptoId, line)) links++;
        else duplicates++;
      }
      writer.commit({ links, linkDuplicates: duplicates });
      results.push({ path, status: 'imported', links, duplicates });
    } catch (error) {
      writer.rollback();
      throw withFile(error, path);
    }
  }
  return results;
}
