/**
 * `npm run bench`: runs every bench/*.bench.ts, each in its own process (so one bench's memory
 * and JIT state never colour another's figures), one after the other, and prints their output.
 *
 *   npm run bench                  every bench
 *   npm run bench -- ingestUsdt    only the benches whose file name contains "ingestUsdt"
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGET_PREFIX, targetTable } from './targets.js';

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
const targets: string[] = [];
for (const name of benches) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const status = await runBench(join(BENCH_DIR, name), (line) => {
    if (line.startsWith(TARGET_PREFIX)) targets.push(line);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status !== 0) {
    failed.push(name);
    process.stdout.write(`=== ${name} FAILED (exit ${status}) after ${seconds} s ===\n`);
  } else {
    process.stdout.write(`=== ${name} done in ${seconds} s ===\n`);
  }
}
process.stdout.write(targetTable(targets));
if (failed.length > 0) {
  process.stdout.write(`\n${failed.length} of ${benches.length} benches failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}

/** Runs one bench, its output passed on as it comes, each line of it also given to `onLine`. */
function runBench(file: string, onLine: (line: string) => void): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['inherit', 'pipe', 'inherit'] });
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (partial) onLine(partial);
      resolve(code ?? signal ?? 'unknown');
    });
  });
}
