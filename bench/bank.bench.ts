/**
 * Bank statement ingest benchmark. Generates a generic-profile bank CSV (one statement
 * account, counterparties drawn from 50,000 valid IBANs, a running balance on every line, one line
 * in ten without a bank reference) and measures, in one run, each path in its own process:
 *
 *   hoptrace   `ingest bank` (src/ingest/ingestBank.ts) into a real case file: auto-detection,
 *              every check (dates, amounts, IBAN mod-97, running balance), deterministic
 *              references, the two-sided match query per line, provenance tables;
 *   baseline   csv-parse → one prepared INSERT per row into a bare table, one transaction, no
 *              validation;
 *
 * reporting rows/s, the ratio hoptrace / baseline, and each process's peak RSS
 * (process.resourceUsage().maxRSS) at 100k and 1M lines: a streaming reader keeps it flat.
 *
 *   npx tsx bench/bank.bench.ts [--rows 1000000] [--small 100000]
 *
 * Generated files are cached in bench/out/bank/ (delete the folder to regenerate).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { formatAmount } from '../src/model/amount.js';
import { makeIban } from '../src/model/iban.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { ingestBankFiles } from '../src/ingest/ingestBank.js';
import { prng } from '../test/support/prng.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const LARGE = argValue('--rows', 1_000_000);
const SMALL = argValue('--small', 100_000);
const COUNTERPARTIES = 50_000;
const OWN = 'DE89370400440532013000';
const OUT = fileURLToPath(new URL('./out/bank/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const GENERATOR_VERSION = 'v1';

const NAMES = ['Maria Müller', 'Jens Kramer', 'Walter Weiß', 'J. de Vries B.V.', 'OTC Desk Ltd', 'Łukasz Nowak', 'Ana García', 'Chen Wei'];

/** A generic-profile statement of `rows` lines, oldest first, balances consistent throughout. */
function generate(rows: number): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `generic-${GENERATOR_VERSION}-${rows}.csv`);
  if (existsSync(path)) return path;
  const random = prng(7);
  const ibans = Array.from({ length: COUNTERPARTIES }, (_, i) => makeIban('DE', String(50010517 + (i % 97)).padStart(8, '0') + String(1_000_000_000 + i * 7919).padStart(10, '0')));
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
  spawnSync('mv', [path + '.tmp', path]);
  return path;
}

interface Measured {
  rows: number;
  ms: number;
  maxRssMb: number;
}

async function runHoptrace(file: string, db: string): Promise<Measured> {
  rmSync(db, { force: true });
  rmSync(db + '-wal', { force: true });
  rmSync(db + '-shm', { force: true });
  const started = performance.now();
  const caseDb = openCaseDb(db);
  const [result] = await ingestBankFiles(caseDb, [file], { account: OWN });
  caseDb.close();
  const ms = performance.now() - started;
  if (result?.status !== 'imported') throw new Error('ingest did not import');
  return { rows: result.rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function runBaseline(file: string, db: string): Promise<Measured> {
  rmSync(db, { force: true });
  const started = performance.now();
  const sqlite = new Database(db);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('CREATE TABLE lines (date TEXT, amount TEXT, currency TEXT, counterparty_account TEXT, counterparty_name TEXT, reference TEXT, description TEXT, balance TEXT)');
  const insert = sqlite.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let rows = 0;
  sqlite.exec('BEGIN');
  const parser = createReadStream(file).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    insert.run(...record);
    rows++;
  }
  sqlite.exec('COMMIT');
  sqlite.close();
  return { rows, ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 };
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
  for (const rows of [SMALL, LARGE]) {
    const file = generate(rows);
    const baseline = child('baseline', file);
    const hoptrace = child('hoptrace', file);
    if (hoptrace.rows !== rows || baseline.rows !== rows) throw new Error(`row counts: hoptrace ${hoptrace.rows}, baseline ${baseline.rows}, expected ${rows}`);
    process.stdout.write(
      `${rows.toLocaleString('en')} lines (generic bank CSV, ${COUNTERPARTIES.toLocaleString('en')} counterparty IBANs, running balance)\n` +
        `  hoptrace ingest bank  ${rate(hoptrace).toLocaleString('en').padStart(9)} rows/s  ${(hoptrace.ms / 1000).toFixed(1).padStart(6)} s  peak RSS ${hoptrace.maxRssMb.toFixed(0)} MB\n` +
        `  baseline (bare INSERT) ${rate(baseline).toLocaleString('en').padStart(8)} rows/s  ${(baseline.ms / 1000).toFixed(1).padStart(6)} s  peak RSS ${baseline.maxRssMb.toFixed(0)} MB\n` +
        `  ratio hoptrace / baseline: ${(rate(hoptrace) / rate(baseline)).toFixed(2)}\n`,
    );
  }
  rmSync(join(OUT, 'hoptrace.db'), { force: true });
  rmSync(join(OUT, 'baseline.db'), { force: true });
}

await main();
