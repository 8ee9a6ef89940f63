/**
 * Graph export streaming: the whole case of bench/trace.bench.ts's 1,000,000-transfer
 * case file exported as GraphML and graphology JSON by the real CLI, with time and peak RSS
 * (memory must not hold the edges). Run bench/trace.bench.ts --transfers 1000000 --accounts 200000 first;
 * a smaller case with the same flags on both: npx tsx bench/export.bench.ts --transfers 200000 --accounts 40000.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const TRANSFERS = argValue('--transfers', 1_000_000);
const ACCOUNTS = argValue('--accounts', 200_000);
const DB = fileURLToPath(new URL(`./out/trace-${TRANSFERS}-${ACCOUNTS}-7.db`, import.meta.url));
const BIN = fileURLToPath(new URL('../bin/hoptrace', import.meta.url));

async function peakRss(args: string[]): Promise<{ seconds: number; peakMb: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // exited
    }
  }, 50);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  return { seconds: (Date.now() - started) / 1000, peakMb: peak / 1024 };
}

if (!existsSync(DB)) {
  console.log(`no ${DB}: run npx tsx bench/trace.bench.ts --transfers ${TRANSFERS} --accounts ${ACCOUNTS} first`);
} else {
  for (const format of ['graphml', 'graphology']) {
    const out = fileURLToPath(new URL(`./out/export.${format}`, import.meta.url));
    const run = await peakRss(['--db', DB, 'export', '--format', format, '--out', out]);
    const mb = (statSync(out).size / 1048576).toFixed(0);
    console.log(`export ${format}: ${TRANSFERS.toLocaleString('en-US')} edges in ${run.seconds.toFixed(1)} s (${(TRANSFERS / run.seconds).toFixed(0)} edges/s), ${mb} MB written, peak RSS ${run.peakMb.toFixed(0)} MB`);
    rmSync(out, { force: true });
  }
}
