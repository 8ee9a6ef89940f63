/**
 * Report benchmark. A real trace: the 10,827 TRC-20 transfers of the 40 Tron wallets
 * named in NBCTF seizure orders (test/fixtures/tron-aso-nbctf-hfuhruhurr), every USDT outflow of
 * the named wallets as a seed (40 victims' worth of seeds, ~5,000 hops), under FIFO and pro-rata
 * (pro-rata spreads every seed over many accounts: the widest per-victim tables). Then, each in its
 * own process so peak RSS is its own:
 *
 *   report     writeReport(trace, md|html|csv|json): evidence chains, the per-hop and per-account
 *              re-check, escaping, the SVG;
 *   baseline   JSON.stringify(trace, null, 2): the bare serialisation of the same result;
 *
 * printing hops/s, MB written, the ratio report / baseline, and peak RSS (process.resourceUsage()).
 *
 *   npx tsx bench/report.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleName, TraceResult } from '../src/model/trace.js';

const SELF = fileURLToPath(import.meta.url);
const OUT = fileURLToPath(new URL('./out/report/', import.meta.url));
const DATA = fileURLToPath(new URL('../test/fixtures/tron-aso-nbctf-hfuhruhurr/', import.meta.url));

interface Measure {
  seconds: number;
  bytes: number;
  peakRssMb: number;
}

/** Child: time one writer on one trace file, print JSON. */
async function child(format: string, traceFile: string): Promise<void> {
  const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as TraceResult;
  const { writeReport } = await import('../src/report/writeReport.js');
  const write = (): string => (format === 'baseline' ? JSON.stringify(trace, null, 2) : writeReport(trace, format as 'md', { timestamp: null }));
  write(); // warm the JIT on the same input
  const started = process.hrtime.bigint();
  const text = write();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const measure: Measure = { seconds, bytes: Buffer.byteLength(text), peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(measure));
}

async function buildTraces(): Promise<Map<RuleName, string>> {
  const { openCaseDb } = await import('../src/store/caseStore.js');
  const { ingestUsdtFiles } = await import('../src/ingest/ingestUsdt.js');
  const { resolveTransferIds } = await import('../src/store/transferRefs.js');
  const { traceCase } = await import('../src/trace/traceCase.js');
  mkdirSync(OUT, { recursive: true });
  const casePath = join(OUT, `nbctf-${process.pid}.db`);
  const db = openCaseDb(casePath);
  await ingestUsdtFiles(db, [join(DATA, 'trc20_xfers.part1.csv'), join(DATA, 'trc20_xfers.part2.csv')]);
  const wallets = readFileSync(join(DATA, 'trc20_wallets_processed.txt'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(line))
    .filter((w) => resolveTransferIds(db, `account:${w}`).length > 0);
  const files = new Map<RuleName, string>();
  for (const rule of ['fifo', 'pro-rata'] as const) {
    const result = traceCase({ db, casePath, seeds: wallets.map((w) => `account:${w}`), options: { rule } });
    const file = join(OUT, `trace-${rule}.json`);
    writeFileSync(file, JSON.stringify(result));
    files.set(rule, file);
  }
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
  return files;
}

function measure(format: string, traceFile: string): Measure {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', format, traceFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${format}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Measure;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) return child(process.argv[at + 1]!, process.argv[at + 2]!);
  const traces = await buildTraces();
  console.log('rule      format    hops   seconds   hops/s     MB   ×baseline  peak RSS MB');
  const { auditTrace } = await import('../src/report/hopAudit.js');
  for (const [rule, file] of traces) {
    const trace = JSON.parse(readFileSync(file, 'utf8')) as TraceResult;
    const hops = trace.edges.length;
    console.log(`${rule}: the report's re-check of ${hops} hops finds ${auditTrace(trace).problemCount} problems`);
    const baseline = measure('baseline', file);
    for (const format of ['baseline', 'json', 'csv', 'md', 'html']) {
      const m = format === 'baseline' ? baseline : measure(format, file);
      console.log(
        `${rule.padEnd(9)} ${format.padEnd(8)} ${String(hops).padStart(5)} ${m.seconds.toFixed(3).padStart(9)} ${Math.round(hops / m.seconds)
          .toLocaleString('en')
          .padStart(
            8,
          )} ${(m.bytes / 1e6).toFixed(1).padStart(6)} ${(m.seconds / baseline.seconds).toFixed(1).padStart(10)} ${m.peakRssMb.toFixed(0).padStart(12)}`,
      );
    }
  }
}

await main();
