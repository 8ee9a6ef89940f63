import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { ingestUsdtFiles, type IngestUsdtOptions, type IngestUsdtResult } from '../../src/ingest/ingestUsdt.js';
import { selectCaseInfo, type CaseInfo } from '../../src/store/info.js';
import { BIN, ROOT, runProcess, tempDir, type CliRun } from './cli.js';

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

/** The real CLI, asynchronously, so that independent cases can run side by side. */
export function hoptraceAsync(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return runProcess(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
}

/** Every row of every table, for "the case file is unchanged" (test case files are small). */
export function caseSnapshot(path: string): Record<string, unknown[]> {
  const db = openCaseDb(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]));
  } finally {
    db.close();
  }
}

/** A copy of a text file with some lines replaced (1-based line → new text, or a function of the old). */
export function withLines(source: string, target: string, edits: Record<number, string | ((line: string) => string)>): string {
  const lines = readFileSync(source, 'utf8').split('\n');
  for (const [at, edit] of Object.entries(edits)) {
    const index = Number(at) - 1;
    lines[index] = typeof edit === 'string' ? edit : edit(lines[index] ?? '');
  }
  writeFileSync(target, lines.join('\n'));
  return target;
}
