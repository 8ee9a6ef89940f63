/**
 * Graph export streaming: the whole case of bench/trace.bench.ts's 1,000,000-transfer
 * case file exported as GraphML and graphology JSON by the real CLI, with wall and CPU time and
 * peak RSS (memory must not hold the edges), beside a bare pipeline in the same run: the same
 * ordered query written as GraphML edges (ids, amount, time; no nodes, keys or escaping).
 * The case files (this one and one a tenth its size, for the memory at 10×) are written by
 * bench/trace.bench.ts --generate when missing; a smaller case:
 * npx tsx bench/export.bench.ts --transfers 100000 --accounts 20000.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openCaseDb } from '../src/store/caseStore.js';
import { measureProcessTree, type TreeMeasure } from './processTree.js';
import { reportTarget } from './targets.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const TRANSFERS = argValue('--transfers', 1_000_000);
const ACCOUNTS = argValue('--accounts', 200_000);
const BIN = fileURLToPath(new URL('../bin/hoptrace', import.meta.url));
const TRACE_BENCH = fileURLToPath(new URL('./trace.bench.ts', import.meta.url));

/** The trace bench's case file of this many transfers and accounts (cached in bench/out/), written by it when missing. */
function generatedCase(transfers: number, accounts: number): string {
  const db = fileURLToPath(new URL(`./out/trace-${transfers}-${accounts}-7.db`, import.meta.url));
  if (!existsSync(db)) {
    const args = ['--import', 'tsx', TRACE_BENCH, '--generate', '--transfers', String(transfers), '--accounts', String(accounts)];
    const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (child.status !== 0) throw new Error(`${TRACE_BENCH} --generate: exit ${child.status}`);
  }
  return db;
}

/** The bare pipeline: one ordered query, each row as a GraphML edge into a 4 MB buffer. */
function bareGraphml(db: string, out: string): void {
  const rows = openCaseDb(db, { readonly: true })
    .prepare('SELECT id, from_id, to_id, ref, time, CAST(amount AS TEXT) FROM transfers ORDER BY +time, id')
    .raw(true)
    .safeIntegers(false);
  const fd = openSync(out, 'w');
  const buffer = Buffer.allocUnsafe(4 << 20);
  let used = 0;
  for (const [id, from, to, ref, time, amount] of rows.iterate() as IterableIterator<[number, number, number, string, number, string]>) {
    if (used > buffer.length - 4096) {
      writeSync(fd, buffer, 0, used);
      used = 0;
    }
    used += buffer.write(
      `<edge id="t${id}" source="${from}" target="${to}"><data key="ref">${ref}</data><data key="time">${time}</data><data key="amount">${amount}</data></edge>\n`,
      used,
    );
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
}

/** Wall time, CPU time and peak RSS of a run, with the child Node bin/hoptrace runs `export` in; a failed run is no measure. */
async function measured(args: string[]): Promise<TreeMeasure> {
  const run = await measureProcessTree(process.execPath, args);
  if (run.code !== 0) throw new Error(`${args.join(' ')}: exit ${run.code}`);
  return run;
}

if (process.argv[2] === '--bare') {
  bareGraphml(process.argv[3]!, process.argv[4]!);
} else {
  const DB = generatedCase(TRANSFERS, ACCOUNTS);
  const bareOut = fileURLToPath(new URL('./out/export-bare.graphml', import.meta.url));
  const bare = await measured(['--import', 'tsx', fileURLToPath(import.meta.url), '--bare', DB, bareOut]);
  rmSync(bareOut, { force: true });
  console.log(`bare ordered query → GraphML edges: ${bare.seconds.toFixed(1)} s, CPU ${bare.cpuSeconds.toFixed(1)} s, peak RSS ${bare.peakMb.toFixed(0)} MB`);
  for (const format of ['graphml', 'graphology']) {
    const out = fileURLToPath(new URL(`./out/export.${format === 'graphology' ? 'json' : format}`, import.meta.url));
    const run = await measured([BIN, '--db', DB, 'export', '--format', format, '--out', out]);
    const mb = (statSync(out).size / 1048576).toFixed(0);
    console.log(
      `export ${format}: ${TRANSFERS.toLocaleString('en-US')} edges in ${run.seconds.toFixed(1)} s, CPU ${run.cpuSeconds.toFixed(1)} s (ratio to bare ${(run.seconds / bare.seconds).toFixed(2)} wall, ${(run.cpuSeconds / bare.cpuSeconds).toFixed(2)} CPU; target < 10 s), ${mb} MB written, peak RSS ${run.peakMb.toFixed(0)} MB`,
    );
    if (format === 'graphml')
      reportTarget({ name: `export GraphML, ${TRANSFERS.toLocaleString('en-US')} edges: CPU time`, measured: run.cpuSeconds, atMost: 10, unit: 's' });
    rmSync(out, { force: true });
    if (format === 'graphml') await memoryAtATenth(run.peakMb);
  }
}

/**
 * Memory as the case grows 10×: the same GraphML export of the case a tenth the size (made by
 * bench/trace.bench.ts with a tenth of both flags), its peak RSS against this one's. "Flat" as the
 * ingest's memory bench reads it: within a fifth of the smaller case's peak.
 */
async function memoryAtATenth(peakMb: number): Promise<void> {
  const transfers = TRANSFERS / 10;
  const accounts = ACCOUNTS / 10;
  const db = generatedCase(transfers, accounts);
  const out = fileURLToPath(new URL('./out/export-tenth.graphml', import.meta.url));
  const small = await measured([BIN, '--db', db, 'export', '--format', 'graphml', '--out', out]);
  rmSync(out, { force: true });
  const growth = peakMb / small.peakMb;
  console.log(
    `export graphml: peak RSS ${small.peakMb.toFixed(0)} MB at ${transfers.toLocaleString('en-US')} edges, ${peakMb.toFixed(0)} MB at ${TRANSFERS.toLocaleString('en-US')} (×${growth.toFixed(2)}; flat is 1.00)`,
  );
  reportTarget({ name: 'export GraphML: peak RSS at 10× the edges, as a multiple', measured: growth, atMost: 1.2 });
}
