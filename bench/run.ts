/**
 * `npm run bench`: runs every bench/*.bench.ts, each in its own process (so one bench's memory
 * and JIT state never colour another's figures), one after the other, and prints their output.
 *
 *   npm run bench                  every bench
 *   npm run bench -- ingestUsdt    only the benches whose file name contains "ingestUsdt"
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);

const benches = readdirSync(BENCH_DIR)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no bench/*.bench.ts${filters.length ? ` matching ${filters.join(', ')}` : ''}\n`);
  process.exit(1);
}

const failed: string[] = [];
for (const name of benches) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, name)], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed.push(name);
    process.stdout.write(`=== ${name} FAILED (exit ${run.status ?? run.signal}) after ${seconds} s ===\n`);
  } else {
    process.stdout.write(`=== ${name} done in ${seconds} s ===\n`);
  }
}
if (failed.length > 0) {
  process.stdout.write(`\n${failed.length} of ${benches.length} benches failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
