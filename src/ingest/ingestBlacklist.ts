import { openSourceWriter } from './priorImport.js';
import { HoptraceError, withFile } from '../model/errors.js';
import { readBlacklistFile } from '../../adapters/blacklist/index.js';
import type { Db } from '../store/caseStore.js';
import { insertFreezeEvent } from '../store/freezeEvents.js';
import { findSourceByContent } from '../store/sources.js';
import { digestFile } from './fileDigest.js';

export type IngestBlacklistResult =
  | { status: 'imported'; path: string; events: number; known: number; skipped: number; rejected: number }
  | { status: 'already-imported'; path: string };

/** `hoptrace ingest blacklist FILE…`: Tether freeze events, one transaction per file. */
export async function ingestBlacklistFiles(db: Db, files: readonly string[], options: { skipBad?: boolean } = {}): Promise<IngestBlacklistResult[]> {
  const results: IngestBlacklistResult[] = [];
  for (const path of files) {
    const { sha256, size } = await digestFile(path);
    if (findSourceByContent(db, sha256, 'blacklist:csv', '{}')) {
      results.push({ status: 'already-imported', path });
      continue;
    }
    const writer = openSourceWriter(db, { path, sha256, size, adapter: 'blacklist:csv', options: '{}' });
    if (!writer) {
      results.push({ status: 'already-imported', path });
      continue;
    }
    let events = 0;
    let known = 0;
    try {
      for await (const item of readBlacklistFile(path)) {
        if (item.kind === 'skipped') writer.addSkipped();
        else if (item.kind === 'reject') {
          if (!options.skipBad)
            throw new HoptraceError(item.reason, {
              file: path,
              line: item.line,
              hint: 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones',
            });
          writer.addReject(item.line, item.reason);
        } else if (insertFreezeEvent(db, writer.sourceId, item.line, item.record)) events++;
        else known++;
      }
      const summary = writer.commit();
      results.push({ status: 'imported', path, events, known, skipped: summary.skipped, rejected: summary.rejected });
    } catch (error) {
      writer.rollback();
      throw withFile(error, path);
    }
  }
  return results;
}
