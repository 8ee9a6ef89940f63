/**
 * USDT ingest benchmark. Generates USDT transfers in Etherscan CSV shape (one file) and
 * in TronGrid shape (files of 50 pages × 200 transfers, as a fetch saves them) over 50,000
 * addresses drawn Zipf-like (a few hubs, a long tail), then, in one run, measures:
 *
 *   hoptrace   src/ingest/ingestUsdt.ts into a real case file (every check: checksums, amounts,
 *              dates, hashes, de-duplication, accounts, provenance), with the V8 flags
 *              bin/hoptrace gives `ingest` (src/cli/childNode.ts: the old generation's cap and initial size);
 *   baseline   csv-parse (or JSON.parse of each file) → one prepared INSERT per row into a table of
 *              the same shape (the transfers table's columns and its (rail, ref, seq) key), one
 *              transaction, no validation, then the three indexes a tracer needs (from/time,
 *              to/time, time) built after the load, in that transaction: the fair bare pipeline,
 *              which loads before indexing as hoptrace can on a large import;
 *
 * each size and path in its own process, reporting rows/s, the ratio hoptrace / baseline at each
 * size, and the process's peak RSS (process.resourceUsage().maxRSS) at 300k and 1M rows. Each
 * size runs three alternated pairs (baseline, then hoptrace) and reports the medians, each pair's
 * CPU ratio beside them: one process's CPU time moves by 10–20 % here from run to run.
 *
 *   npx tsx bench/ingestUsdt.bench.ts [--rows 1000000] [--small 300000] [--pairs 3] [--keep]
 *
 * Generated files are cached in bench/out/ingest-usdt/ (delete the folder to regenerate).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { tronHexToBase58 } from '../src/model/address.js';
import { childNodeFlags } from '../src/cli/childNode.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { ingestUsdtFiles } from '../src/ingest/ingestUsdt.js';
import { prng } from '../test/support/prng.js';
import { median } from './median.js';
import { reportTarget } from './targets.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const LARGE = argValue('--rows', 1_000_000);
/** Runs of each path, alternated; `--pairs 1` for a quick look. */
const PAIRS = argValue('--pairs', 3);
const SMALL = argValue('--small', 300_000);
const ADDRESSES = 50_000;
const PAGE_SIZE = 200;
const PAGES_PER_FILE = 50;
const OUT = fileURLToPath(new URL('./out/ingest-usdt/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const GENERATOR_VERSION = 'v1';

type Format = 'etherscan' | 'trongrid';
type Path = 'baseline' | 'hoptrace';

// ---------------------------------------------------------------------------------------------
// Data generation (deterministic)

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function randomHex(random: () => number, bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += HEX_BYTES[Math.floor(random() * 256)];
  return hex;
}

/** Zipf-like draw over n ranks (exponent 1.1): cumulative weights, binary search. */
function zipfSampler(n: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** 1.1;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface GeneratedTransfer {
  hash: string;
  block: number;
  time: number;
  from: number;
  to: number;
  /** USDT minor units. */
  amount: bigint;
}

/** A stream of transfers: 10% of transactions move USDT twice (batch payouts), amounts log-spread. */
function* transfers(count: number, seed: number): Generator<GeneratedTransfer> {
  const random = prng(seed);
  const pick = zipfSampler(ADDRESSES, random);
  let time = Date.UTC(2023, 0, 1);
  let block = 16_300_000;
  for (let i = 0; i < count; ) {
    const hash = randomHex(random, 32);
    time += 1000 * (1 + Math.floor(random() * 20));
    block += 1;
    const legs = random() < 0.1 ? 2 : 1;
    for (let leg = 0; leg < legs && i < count; leg++, i++) {
      const from = pick();
      let to = pick();
      if (to === from) to = (to + 1) % ADDRESSES;
      const amount = BigInt(Math.floor(Math.exp(random() * 16))) * 1000n + BigInt(Math.floor(random() * 1000));
      yield { hash, block, time, from, to, amount };
    }
  }
}

/** Etherscan's TokenValue: token units, thousands separators, no trailing zeros ("12,500.5"). */
function etherscanValue(units: bigint): string {
  const whole = (units / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (units % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

class ChunkWriter {
  private buffer = '';
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }
  flush(): void {
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const ETHERSCAN_HEADER =
  '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"\n';

function writeEtherscan(path: string, count: number, evm: string[]): void {
  const out = new ChunkWriter(path);
  out.write(ETHERSCAN_HEADER);
  for (const t of transfers(count, 1)) {
    const date = new Date(t.time).toISOString().slice(0, 19).replace('T', ' ');
    const value = etherscanValue(t.amount);
    out.write(
      `"0x${t.hash}","${t.block}","${t.time / 1000}","${date}","${evm[t.from]}","${evm[t.to]}","${value}","$${value}","0xdac17f958d2ee523a2206206994597c13d831ec7","Tether USD","USDT"\n`,
    );
  }
  out.close();
}

/** TronGrid pages as a fetch saves them: each file an array of 50 pages of 200 transfers. */
function writeTronGrid(dir: string, count: number, tron: string[]): void {
  mkdirSync(dir, { recursive: true });
  let out: ChunkWriter | undefined;
  let n = 0;
  let file = 0;
  for (const t of transfers(count, 2)) {
    const perFile = PAGE_SIZE * PAGES_PER_FILE;
    if (n % perFile === 0) {
      out?.write(']}]\n');
      out?.close();
      out = new ChunkWriter(join(dir, `trongrid-${String(++file).padStart(4, '0')}.json`));
      out.write('[{"data":[');
    } else if (n % PAGE_SIZE === 0) {
      out!.write(`],"success":true,"meta":{"at":${t.time},"page_size":${PAGE_SIZE}}},\n{"data":[`);
    } else {
      out!.write(',');
    }
    out!.write(
      `\n{"transaction_id":"${t.hash}","token_info":{"symbol":"USDT","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","decimals":6,"name":"Tether USD"},"block_timestamp":${t.time},"from":"${tron[t.from]}","to":"${tron[t.to]}","type":"Transfer","value":"${t.amount}"}`,
    );
    n++;
  }
  out?.write(`],"success":true,"meta":{"at":0,"page_size":${PAGE_SIZE}}}]\n`);
  out?.close();
}

interface Dataset {
  etherscan: string[];
  trongrid: string[];
}

function datasetFor(rows: number): Dataset {
  const dir = join(OUT, `${GENERATOR_VERSION}-${rows}`);
  const ready = join(dir, 'READY');
  const trongridDir = join(dir, 'trongrid');
  if (!existsSync(ready)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const random = prng(7);
    const evm = Array.from({ length: ADDRESSES }, () => '0x' + randomHex(random, 20));
    const tron = Array.from({ length: ADDRESSES }, () => tronHexToBase58('41' + randomHex(random, 20)));
    writeEtherscan(join(dir, 'etherscan.csv'), rows, evm);
    writeTronGrid(trongridDir, rows, tron);
    writeFileSync(ready, new Date().toISOString());
    process.stdout.write(`generated ${rows.toLocaleString('en')} transfers in each shape in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})\n`);
  }
  return {
    etherscan: [join(dir, 'etherscan.csv')],
    trongrid: readdirSync(trongridDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(trongridDir, name)),
  };
}

// ---------------------------------------------------------------------------------------------
// Measured children

interface ChildResult {
  rows: number;
  stored: number;
  seconds: number;
  /** User + system CPU time: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  maxRssMb: number;
}

const BASELINE_SCHEMA = `
  CREATE TABLE transfers (
    id INTEGER PRIMARY KEY, rail TEXT NOT NULL, asset TEXT NOT NULL, token TEXT, decimals INTEGER NOT NULL,
    amount INTEGER NOT NULL, from_id INTEGER NOT NULL, to_id INTEGER NOT NULL, time INTEGER NOT NULL,
    ref TEXT NOT NULL, seq INTEGER NOT NULL, block INTEGER, log_index INTEGER, source_id INTEGER NOT NULL,
    line INTEGER NOT NULL, description TEXT, UNIQUE (rail, ref, seq));`;
/** Built after the load, as a bare pipeline does. */
const BASELINE_INDEXES = `
  CREATE INDEX transfers_from ON transfers (from_id, time);
  CREATE INDEX transfers_to ON transfers (to_id, time);
  CREATE INDEX transfers_time ON transfers (time, block, seq);`;

async function runBaseline(format: Format, files: string[], dbPath: string): Promise<number> {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(BASELINE_SCHEMA);
  const insert = db.prepare(
    `INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, block, log_index, source_id, line, description)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, NULL)`,
  );
  let n = 0;
  db.exec('BEGIN');
  if (format === 'etherscan') {
    for (const file of files) {
      const parser = createReadStream(file).pipe(parse({ from_line: 2 }));
      for await (const r of parser as AsyncIterable<string[]>) {
        n++;
        insert.run('ethereum', r[10], r[8], 6, r[6], r[4], r[5], r[2], r[0], n, r[1], n + 1);
      }
    }
  } else {
    type Item = {
      transaction_id: string;
      token_info: { symbol: string; address: string; decimals: number };
      block_timestamp: number;
      from: string;
      to: string;
      value: string;
    };
    for (const file of files) {
      const pages = JSON.parse(readFileSync(file, 'utf8')) as { data: Item[] }[];
      for (const page of pages) {
        for (const item of page.data) {
          n++;
          insert.run(
            'tron',
            item.token_info.symbol,
            item.token_info.address,
            item.token_info.decimals,
            item.value,
            item.from,
            item.to,
            item.block_timestamp,
            item.transaction_id,
            n,
            null,
            n,
          );
        }
      }
    }
  }
  db.exec(BASELINE_INDEXES);
  db.exec('COMMIT');
  db.close();
  return n;
}

async function runHoptrace(files: string[], dbPath: string): Promise<number> {
  const db = openCaseDb(dbPath);
  try {
    const results = await ingestUsdtFiles(db, files);
    let stored = 0;
    for (const result of results) {
      if (result.status !== 'imported') throw new Error(`${result.path} was not imported`);
      if (result.rejected > 0 || result.skipped > 0) throw new Error(`${result.path}: ${result.rejected} rejected, ${result.skipped} skipped`);
      stored += result.rows;
    }
    return stored;
  } finally {
    db.close();
  }
}

async function child(): Promise<void> {
  const path = process.argv[process.argv.indexOf('--child') + 1] as Path;
  const format = process.argv[process.argv.indexOf('--format') + 1] as Format;
  const rows = argValue('--size', 0);
  const files = datasetFor(rows)[format];
  const dbPath = join(OUT, `run-${path}-${format}-${rows}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const stored = path === 'baseline' ? await runBaseline(format, files, dbPath) : await runHoptrace(files, dbPath);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  if (!process.argv.includes('--keep')) for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const result: ChildResult = { rows, stored, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function measure(path: Path, format: Format, rows: number): ChildResult {
  // The hoptrace path runs with the V8 flags bin/hoptrace gives `ingest` (its old generation's cap and initial size).
  const heap = path === 'hoptrace' ? (childNodeFlags('ingest', process.env) ?? []) : [];
  const args = [
    ...heap,
    '--import',
    'tsx',
    SELF,
    '--child',
    path,
    '--format',
    format,
    '--size',
    String(rows),
    ...(process.argv.includes('--keep') ? ['--keep'] : []),
  ];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${path} ${format} ${rows}: exit ${run.status ?? run.signal}\n${run.stdout}`);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ChildResult;
}

/** The median of each figure on its own (wall time, CPU time and peak RSS need not come from one run). */
function medianOf(runs: readonly ChildResult[]): ChildResult {
  const of = (pick: (r: ChildResult) => number): number => median(runs.map(pick));
  return { rows: runs[0]!.rows, stored: runs[0]!.stored, seconds: of((r) => r.seconds), cpuSeconds: of((r) => r.cpuSeconds), maxRssMb: of((r) => r.maxRssMb) };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const rows of [SMALL, LARGE]) datasetFor(rows);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en');
  process.stdout.write(`\nUSDT ingest: ${fmt(ADDRESSES)} addresses (Zipf 1.1), each size and path in its own process; medians of ${PAIRS} alternated runs\n\n`);
  process.stdout.write('format      rows        path       rows/s     seconds   rows/CPU-s   peak RSS MB\n');
  const summary: string[] = [];
  let worstRatio = Infinity;
  for (const format of ['etherscan', 'trongrid'] as const) {
    const bySize = new Map<number, Record<Path, ChildResult>>();
    const perPair = new Map<number, string>();
    for (const rows of [SMALL, LARGE]) {
      const pairs: Record<Path, ChildResult>[] = [];
      for (let i = 0; i < PAIRS; i++) {
        const pair = { baseline: measure('baseline', format, rows), hoptrace: measure('hoptrace', format, rows) };
        if (pair.hoptrace.stored !== rows) throw new Error(`hoptrace stored ${pair.hoptrace.stored} of ${rows} ${format} rows`);
        pairs.push(pair);
      }
      const baseline = medianOf(pairs.map((p) => p.baseline));
      const hoptrace = medianOf(pairs.map((p) => p.hoptrace));
      perPair.set(rows, pairs.map((p) => (p.baseline.cpuSeconds / p.hoptrace.cpuSeconds).toFixed(2)).join(', '));
      bySize.set(rows, { baseline, hoptrace });
      for (const [path, r] of [
        ['baseline', baseline],
        ['hoptrace', hoptrace],
      ] as const) {
        process.stdout.write(
          `${format.padEnd(11)} ${fmt(rows).padStart(9)}   ${path.padEnd(9)} ${fmt(r.rows / r.seconds).padStart(8)}   ${r.seconds.toFixed(2).padStart(7)}   ${fmt(r.rows / r.cpuSeconds).padStart(10)}   ${r.maxRssMb.toFixed(0).padStart(11)}\n`,
        );
      }
    }
    const large = bySize.get(LARGE)!;
    const small = bySize.get(SMALL)!;
    const ratios = [SMALL, LARGE].map((rows) => {
      const r = bySize.get(rows)!;
      return { rows, wall: r.baseline.seconds / r.hoptrace.seconds, cpu: r.baseline.cpuSeconds / r.hoptrace.cpuSeconds };
    });
    for (const r of ratios) worstRatio = Math.min(worstRatio, r.wall);
    for (const r of ratios) reportTarget({ name: `ingest usdt, ${format} ${fmt(r.rows)} rows: CPU ratio to the bare pipeline`, measured: r.cpu, atLeast: 0.7 });
    const rssGrowth = large.hoptrace.maxRssMb / small.hoptrace.maxRssMb;
    summary.push(
      `${format}: ratio hoptrace / baseline ${ratios.map((r) => `${r.wall.toFixed(2)} at ${fmt(r.rows)} rows (by CPU time ${r.cpu.toFixed(2)}; each pair: ${perPair.get(r.rows)})`).join(', ')} (target ≥ 0.70); ` +
        `hoptrace ${fmt(large.hoptrace.rows / large.hoptrace.seconds)} rows/s, baseline ${fmt(large.baseline.rows / large.baseline.seconds)} rows/s at ${fmt(LARGE)}; ` +
        `hoptrace peak RSS ${small.hoptrace.maxRssMb.toFixed(0)} MB at ${fmt(SMALL)} rows, ${large.hoptrace.maxRssMb.toFixed(0)} MB at ${fmt(LARGE)} (×${rssGrowth.toFixed(2)})`,
    );
  }
  process.stdout.write('\n' + summary.join('\n') + '\n');
  process.stdout.write(`worst ratio ${worstRatio.toFixed(2)}: ${worstRatio >= 0.7 ? 'meets' : 'BELOW'} the 0.70 target\n`);
}

if (process.argv.includes('--child')) await child();
else await main();
