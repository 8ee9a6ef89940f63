/**
 * Bank statement ingest against a bare pipeline that ends with the same indexes. Generates a
 * generic-profile bank CSV (one statement account, counterparties drawn from 50,000 valid IBANs,
 * a running balance on every line, one line in ten without a bank reference) and measures, each
 * in its own process:
 *
 *   hoptrace   `ingest bank` (src/ingest/ingestBank.ts) into a real case file: every check (dates,
 *              amounts, IBAN mod-97, running balance and gaps, same-day order), deterministic
 *              references, duplicate and other-side matching, provenance tables;
 *   baseline   csv-parse → one prepared INSERT per row into a table with the transfers' columns
 *              (counterparty as text, no accounts table), one transaction, no validation, then the
 *              indexes a case file's bank transfers end with, built after the load: the unique
 *              reference key, from/time, to/time, time, and the bank pair index.
 *
 * Reports rows/s, the ratio hoptrace / baseline, and each process's peak RSS
 * (process.resourceUsage().maxRSS): a streaming reader keeps it flat as the file grows.
 *
 * Each size runs three alternated pairs (baseline, then hoptrace) and reports the medians.
 *
 *   npx tsx bench/ingestBank.bench.ts [--rows 1000000] [--small 200000] [--pairs 3]
 *
 * Generated files are cached in bench/out/ingest-bank/ (delete the folder to regenerate).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { formatAmount } from '../src/model/amount.js';
import { makeIban } from '../src/model/iban.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { ingestBankFiles } from '../src/ingest/ingestBank.js';
import { prng } from '../test/support/prng.js';
import { median } from './median.js';
import { reportTarget } from './targets.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const LARGE = argValue('--rows', 1_000_000);
const SMALL = argValue('--small', 200_000);
const COUNTERPARTIES = 50_000;
const OWN = 'DE89370400440532013000';
const OUT = fileURLToPath(new URL('./out/ingest-bank/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

const NAMES = ['Maria Müller', 'Jens Kramer', 'Walter Weiß', 'J. de Vries B.V.', 'OTC Desk Ltd', 'Łukasz Nowak', 'Ana García', 'Chen Wei'];

/** A generic-profile statement of `rows` lines, oldest first, balances consistent throughout. */
function generate(rows: number): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `generic-${rows}.csv`);
  if (existsSync(path)) return path;
  const random = prng(7);
  const ibans = Array.from({ length: COUNTERPARTIES }, (_, i) =>
    makeIban('DE', String(50010517 + (i % 97)).padStart(8, '0') + String(1_000_000_000 + i * 7919).padStart(10, '0')),
  );
  const fd = openSync(path + '.tmp', 'w');
  let buffer = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
  let balance = 100_000_00n;
  const start = Date.UTC(2021, 0, 1);
  for (let i = 0; i < rows; i++) {
    const day = new Date(start + Math.floor(i / 900) * 86_400_000).toISOString().slice(0, 10);
    let amount = BigInt(1 + Math.floor(random() * 500_000));
    if (random() < 0.5 && balance > amount) amount = -amount;
    balance += amount;
    const counterparty = ibans[Math.floor(random() * COUNTERPARTIES)]!;
    const name = NAMES[Math.floor(random() * NAMES.length)]!;
    const reference = random() < 0.1 ? '' : `REF${String(i).padStart(9, '0')}`;
    buffer += `${day},${formatAmount(amount, 2)},EUR,${counterparty},${name},${reference},payment ${i % 1000},${formatAmount(balance, 2)}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  renameSync(path + '.tmp', path);
  return path;
}

interface Measured {
  rows: number;
  /** Wall-clock time. */
  ms: number;
  /** CPU time of the process (user + system): on a shared machine, what the other processes' load does not inflate. */
  cpuMs: number;
  maxRssMb: number;
}

function usage(started: number, cpu: NodeJS.CpuUsage, rows: number): Measured {
  const used = process.cpuUsage(cpu);
  return { rows, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function removeDb(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

async function runHoptrace(file: string, db: string): Promise<Measured> {
  removeDb(db);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const caseDb = openCaseDb(db);
  const [result] = await ingestBankFiles(caseDb, [file], { account: OWN });
  caseDb.close();
  if (!result || result.status !== 'imported') throw new Error('ingest did not import');
  return usage(started, cpu, result.rows);
}

async function runBaseline(file: string, db: string): Promise<Measured> {
  removeDb(db);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const sqlite = new Database(db);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec(
    `CREATE TABLE transfers (id INTEGER PRIMARY KEY, rail TEXT NOT NULL, asset TEXT NOT NULL, amount TEXT NOT NULL, from_ident TEXT NOT NULL, to_ident TEXT NOT NULL,
       time TEXT NOT NULL, ref TEXT NOT NULL, seq INTEGER NOT NULL, line INTEGER NOT NULL, description TEXT, balance TEXT)`,
  );
  const insert = sqlite.prepare(
    "INSERT INTO transfers (rail, asset, amount, from_ident, to_ident, time, ref, seq, line, description, balance) VALUES ('bank', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  let rows = 0;
  sqlite.exec('BEGIN');
  const parser = createReadStream(file).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    const [date, amount, currency, counterparty, name, reference, description, balance] = record as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    rows++;
    const out = amount.startsWith('-');
    insert.run(
      currency,
      amount,
      out ? OWN : counterparty,
      out ? counterparty : OWN,
      date,
      reference || `row-${rows}`,
      rows + 1,
      rows + 1,
      `${name} | ${description}`,
      balance,
    );
  }
  sqlite.exec(`CREATE UNIQUE INDEX transfers_key ON transfers (rail, ref, seq);
    CREATE INDEX transfers_from ON transfers (from_ident, time);
    CREATE INDEX transfers_to ON transfers (to_ident, time);
    CREATE INDEX transfers_time ON transfers (time, seq);
    CREATE INDEX transfers_bank_pair ON transfers (from_ident, to_ident, amount, time);`);
  sqlite.exec('COMMIT');
  sqlite.close();
  return usage(started, cpu, rows);
}

/** Runs of each path, alternated; `--pairs 1` for a quick look. */
const PAIRS = argValue('--pairs', 3);

/** The median of each figure on its own (wall time, CPU time and peak RSS need not come from one run). */
function medianOf(runs: readonly Measured[]): Measured {
  const of = (pick: (m: Measured) => number): number => median(runs.map(pick));
  return { rows: runs[0]!.rows, ms: of((m) => m.ms), cpuMs: of((m) => m.cpuMs), maxRssMb: of((m) => m.maxRssMb) };
}

function child(path: 'hoptrace' | 'baseline', file: string): Measured {
  const db = join(OUT, `${path}.db`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', path, file, db], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${path} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [path, file, db] = process.argv.slice(at + 1) as ['hoptrace' | 'baseline', string, string];
    const measured = path === 'hoptrace' ? await runHoptrace(file, db) : await runBaseline(file, db);
    process.stdout.write(JSON.stringify(measured) + '\n');
    return;
  }
  const rate = (m: Measured): number => Math.round(m.rows / (m.ms / 1000));
  const cpuRate = (m: Measured): number => Math.round(m.rows / (m.cpuMs / 1000));
  for (const rows of [...new Set([SMALL, LARGE])]) {
    const file = generate(rows);
    // Alternated, PAIRS of each, medians: on this shared machine one process's CPU time moves by
    // 10–20 % from run to run, as much as a ratio's distance from its target (docs/performance.md).
    const pairs: { baseline: Measured; hoptrace: Measured }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const baseline = child('baseline', file);
      const hoptrace = child('hoptrace', file);
      if (hoptrace.rows !== rows || baseline.rows !== rows)
        throw new Error(`row counts: hoptrace ${hoptrace.rows}, baseline ${baseline.rows}, expected ${rows}`);
      pairs.push({ baseline, hoptrace });
    }
    const baseline = medianOf(pairs.map((p) => p.baseline));
    const hoptrace = medianOf(pairs.map((p) => p.hoptrace));
    const perPair = pairs.map((p) => (cpuRate(p.hoptrace) / cpuRate(p.baseline)).toFixed(2)).join(', ');
    process.stdout.write(
      `${rows.toLocaleString('en')} lines (generic bank CSV, ${COUNTERPARTIES.toLocaleString('en')} counterparty IBANs, running balance; medians of ${PAIRS} alternated runs)\n` +
        `  hoptrace ingest bank      ${rate(hoptrace).toLocaleString('en').padStart(9)} rows/s  ${(hoptrace.ms / 1000).toFixed(1).padStart(6)} s wall  ${cpuRate(hoptrace).toLocaleString('en').padStart(9)} rows/CPU-s  peak RSS ${hoptrace.maxRssMb.toFixed(0)} MB\n` +
        `  baseline (INSERT+indexes) ${rate(baseline).toLocaleString('en').padStart(9)} rows/s  ${(baseline.ms / 1000).toFixed(1).padStart(6)} s wall  ${cpuRate(baseline).toLocaleString('en').padStart(9)} rows/CPU-s  peak RSS ${baseline.maxRssMb.toFixed(0)} MB\n` +
        `  ratio hoptrace / baseline: ${(rate(hoptrace) / rate(baseline)).toFixed(2)} wall, ${(cpuRate(hoptrace) / cpuRate(baseline)).toFixed(2)} CPU (each pair: ${perPair} CPU)\n`,
    );
    reportTarget({
      name: `bank ingest, ${rows.toLocaleString('en')} lines: CPU ratio to the bare pipeline`,
      measured: cpuRate(hoptrace) / cpuRate(baseline),
      atLeast: 0.5,
    });
  }
  for (const name of ['hoptrace.db', 'baseline.db']) removeDb(join(OUT, name));
}

await main();
