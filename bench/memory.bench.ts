/**
 * Bounded memory (issue 11): a generated 5,000,000-row Etherscan export ingested into a real case
 * file, with the peak RSS of the ingesting process; and the same at 500,000 rows, to show that
 * memory does not grow with the file.
 *
 *   npx tsx bench/memory.bench.ts [--rows N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestUsdtFiles } from '../src/ingest/ingestUsdt.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { writeEtherscanCsv } from '../test/support/generate.js';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const at = process.argv.indexOf('--rows');
const ROWS = at >= 0 ? Number(process.argv[at + 1]) : 5_000_000;

async function measure(csv: string): Promise<void> {
  const dbPath = csv + '.db';
  rmSync(dbPath, { force: true });
  const db = openCaseDb(dbPath);
  const started = Date.now();
  const [result] = await ingestUsdtFiles(db, [csv]);
  db.close();
  const seconds = (Date.now() - started) / 1000;
  const rows = result && result.status === 'imported' ? result.rows : 0;
  rmSync(dbPath, { force: true });
  process.stdout.write(JSON.stringify({ rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

async function ensureFile(rows: number): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `etherscan-${rows}.csv`);
  if (!existsSync(path)) {
    await writeEtherscanCsv(path + '.tmp', rows, 5, 200_000);
    renameSync(path + '.tmp', path);
  }
  return path;
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3]!);
} else {
  for (const rows of [Math.round(ROWS / 10), ROWS]) {
    const csv = await ensureFile(rows);
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', csv], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const figures = JSON.parse(child.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number; maxRssMb: number };
    const mb = (statSync(csv).size / 1048576).toFixed(0);
    console.log(`ingest usdt ${figures.rows.toLocaleString('en')} rows (${mb} MB file): ${(figures.rows / figures.seconds).toFixed(0)} rows/s, peak RSS ${figures.maxRssMb.toFixed(0)} MB (target < 300 MB)`);
  }
}
