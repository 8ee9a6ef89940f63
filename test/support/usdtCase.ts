import { join } from 'node:path';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { ingestUsdtFiles, type IngestUsdtOptions, type IngestUsdtResult } from '../../src/ingest/ingestUsdt.js';
import { selectCaseInfo, type CaseInfo } from '../../src/store/info.js';
import { tempDir } from './cli.js';

export interface IngestedCase {
  db: Db;
  path: string;
  results: IngestUsdtResult[];
  info: CaseInfo;
}

/** Ingests files into a fresh case file in a temp dir through the library (no CLI process). */
export async function ingestIntoNewCase(files: readonly string[], options: IngestUsdtOptions = {}): Promise<IngestedCase> {
  const path = join(tempDir(), 'case.db');
  const db = openCaseDb(path);
  const results = await ingestUsdtFiles(db, files, options);
  return { db, path, results, info: selectCaseInfo(db) };
}

/** One asset line of info, or a failure naming what is there. */
export function assetTotal(info: CaseInfo, rail: string, asset: string): { count: number; amount: string } {
  const found = info.byAsset.find((a) => a.rail === rail && a.asset === asset);
  if (!found) throw new Error(`no ${rail} ${asset} in ${JSON.stringify(info.byAsset)}`);
  return { count: found.count, amount: found.amount };
}
