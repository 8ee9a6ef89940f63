import { looksLikeAmlsim, readAmlsimTransactions } from '../../adapters/amlsim/transactions.js';
import { decodeHead, readHeadBytes } from '../../adapters/common/text.js';
import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import { storedDayOf } from '../store/contentRows.js';
import { numberContentRows } from './contentOccurrences.js';
import { ingestSource, type IngestSourceResult } from './ingestSource.js';

/**
 * `hoptrace ingest amlsim FILE…`: each file one source. AMLSim rows carry no id, so identical rows
 * of a simulation step are numbered against what the case holds (contentOccurrences.ts): the two
 * halves of a data set, in either order, give the case the whole file gives.
 */
export async function ingestAmlsimFiles(
  db: Db,
  files: readonly string[],
  options: { skipBad?: boolean; onResult?: (r: IngestSourceResult) => void } = {},
): Promise<IngestSourceResult[]> {
  const results: IngestSourceResult[] = [];
  for (const path of files) {
    if (!looksLikeAmlsim(decodeHead(await readHeadBytes(path))))
      throw new HoptraceError('not an AMLSim transactions file (header sourceNodeId,targetNodeId,value,time)', { file: path, line: 1 });
    const stored = storedDayOf(db, 'bank', 'AMLSIM');
    const result = await ingestSource({
      db,
      path,
      adapter: 'amlsim',
      options: '{}',
      skipBad: options.skipBad ?? false,
      read: (context) => numberContentRows(readAmlsimTransactions(context), (record) => record.time, stored),
    });
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}
