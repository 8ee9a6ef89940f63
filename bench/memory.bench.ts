/**
 * Bounded memory: a generated 1,000,000-row Etherscan export ingested into a real case file by the
 * real CLI (bin/hoptrace), with the peak RSS of its processes (read from /proc while it runs); and
 * the same at a tenth of the rows, to show that memory does not grow with the file (the ratio of
 * the two peaks: 1.00 is flat).
 *
 *   npx tsx bench/memory.bench.ts [--rows N]      (--rows 5000000 for the 5M / 500k pair)
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEtherscanCsv } from '../test/support/generate.js';
import { measureProcessTree } from './processTree.js';
import { reportTarget } from './targets.js';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const at = process.argv.indexOf('--rows');
const ROWS = at >= 0 ? Number(process.argv[at + 1]) : 1_000_000;

async function ensureFile(rows: number): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `etherscan-${rows}.csv`);
  if (!existsSync(path)) {
    await writeEtherscanCsv(path + '.tmp', rows, 5, 200_000);
    renameSync(path + '.tmp', path);
  }
  return path;
}

const BIN = fileURLToPath(new URL('../bin/hoptrace', import.meta.url));
const peaks: number[] = [];
for (const rows of [Math.round(ROWS / 10), ROWS]) {
  const csv = await ensureFile(rows);
  const db = csv + '.db';
  rmSync(db, { force: true });
  const run = await measureProcessTree(process.execPath, [BIN, '--db', db, 'ingest', 'usdt', csv, '--quiet'], 'ignore');
  rmSync(db, { force: true });
  if (run.code !== 0) throw new Error(`ingest failed with exit ${run.code}`);
  const mb = (statSync(csv).size / 1048576).toFixed(0);
  console.log(
    `hoptrace ingest usdt ${rows.toLocaleString('en')} rows (${mb} MB file): ${(rows / run.seconds).toFixed(0)} rows/s, peak RSS ${run.peakMb.toFixed(0)} MB (target < 300 MB)`,
  );
  peaks.push(run.peakMb);
  reportTarget({ name: `ingest usdt, ${rows.toLocaleString('en')} rows: peak RSS`, measured: run.peakMb, atMost: 300, unit: 'MB' });
}
console.log(`peak RSS at 10× the rows: ×${(peaks[1]! / peaks[0]!).toFixed(2)} (flat is 1.00)`);
// "Flat": within a fifth of the smaller input's peak at ten times the rows.
reportTarget({ name: 'ingest usdt: peak RSS at 10× the rows, as a multiple', measured: peaks[1]! / peaks[0]!, atMost: 1.2 });
