/**
 * Bank statement ingest on PostgreSQL (docs/postgresql.md, "Ingest with matching"), on a
 * throwaway cluster it starts itself (test/support/postgres.ts), in one run. Two generated
 * generic-profile statements that pay each other — A's every other line is a payment to B, which
 * B's statement shows as a receipt on the same day — so the second statement is matched line by
 * line against the first. Each measurement in its own process (wall time, CPU time, peak RSS):
 *
 *   PostgreSQL   `ingest bank` A then B into a PostgreSQL case (the case file's matching over the
 *                mirror of the accounts they name, then COPY of the rows each adds);
 *   SQLite       the same two statements into a case file;
 *   bare COPY    the rows the PostgreSQL case ended with (accounts, transfers, sightings,
 *                statement lines, references, sources), copied into tables with the same columns
 *                and indexes in one COPY each: what storing them costs at the least.
 *
 *   npx tsx bench/postgresBank.bench.ts [--rows 50000]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { formatAmount } from '../src/model/amount.js';
import { makeIban } from '../src/model/iban.js';
import { ingestBankFiles } from '../src/ingest/ingestBank.js';
import { ingestBankFilesPg } from '../src/ingest/ingestBankPg.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { closePgCase, openPgCase } from '../src/store/pg/pgCase.js';
import { startPgCluster } from '../test/support/postgres.js';
import { prng } from '../test/support/prng.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = argValue('--rows', 50_000);
const OUT = fileURLToPath(new URL('./out/postgres-bank/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const A = 'DE89370400440532013000';
const B = makeIban('NL', 'ABNA0417164300');
const COUNTERPARTIES = 5_000;
/** The tables a statement writes, parents first. */
const TABLES = ['sources', 'accounts', 'transfers', 'sightings', 'transfer_refs', 'bank_lines', 'opening_balances'];

interface Measured {
  ms: number;
  cpuMs: number;
  rows: number;
  maxRssMb: number;
}

/** Statements A and B of ROWS lines each, oldest first, balances consistent; A's even lines pay B, B's odd lines receive them. */
function generate(): { a: string; b: string } {
  mkdirSync(OUT, { recursive: true });
  const a = join(OUT, `a-${ROWS}.csv`);
  const b = join(OUT, `b-${ROWS}.csv`);
  if (existsSync(a) && existsSync(b)) return { a, b };
  const random = prng(5);
  const others = Array.from({ length: COUNTERPARTIES }, (_, i) =>
    makeIban('DE', String(50010517 + (i % 97)).padStart(8, '0') + String(1_000_000_000 + i * 7919)),
  );
  const header = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance\n';
  const files: { path: string; fd: number; buffer: string; balance: bigint }[] = [
    { path: a, fd: openSync(a + '.tmp', 'w'), buffer: header, balance: 10_000_000_00n },
    { path: b, fd: openSync(b + '.tmp', 'w'), buffer: header, balance: 10_000_000_00n },
  ];
  const [fileA, fileB] = files as [(typeof files)[number], (typeof files)[number]];
  const line = (file: (typeof files)[number], day: string, amount: bigint, counterparty: string, ref: string): void => {
    file.balance += amount;
    file.buffer += `${day},${formatAmount(amount, 2)},EUR,${counterparty},Holder,${ref},payment,${formatAmount(file.balance, 2)}\n`;
    if (file.buffer.length > 1 << 20) {
      writeSync(file.fd, file.buffer);
      file.buffer = '';
    }
  };
  const start = Date.UTC(2022, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    const day = new Date(start + Math.floor(i / 400) * 86_400_000).toISOString().slice(0, 10);
    const amount = BigInt(100 + Math.floor(random() * 100_000));
    const other = others[Math.floor(random() * COUNTERPARTIES)]!;
    if (i % 2 === 0) {
      line(fileA, day, -amount, B, `A${i}`);
      line(fileB, day, amount, A, `B${i}`);
    } else {
      line(fileA, day, amount, other, `A${i}`);
      line(fileB, day, -amount, other, `B${i}`);
    }
  }
  for (const file of files) {
    writeSync(file.fd, file.buffer);
    closeSync(file.fd);
    renameSync(file.path + '.tmp', file.path);
  }
  return { a, b };
}

async function child(mode: string, target: string, a: string, b: string): Promise<Omit<Measured, 'maxRssMb'>> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const took = (rows: number): Omit<Measured, 'maxRssMb'> => {
    const used = process.cpuUsage(cpu);
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (used.user + used.system) / 1000, rows };
  };
  const stored = (results: { status: string; rows?: number; duplicates?: number }[]): number =>
    results.reduce((n, r) => n + (r.rows ?? 0) + (r.duplicates ?? 0), 0);
  if (mode === '--pg') {
    const handle = await openPgCase(target, 'create');
    const results = [...(await ingestBankFilesPg(handle, [a], { account: A })), ...(await ingestBankFilesPg(handle, [b], { account: B }))];
    await closePgCase(handle);
    return took(stored(results));
  }
  if (mode === '--sqlite') {
    const db = openCaseDb(target);
    const results = [...(await ingestBankFiles(db, [a], { account: A })), ...(await ingestBankFiles(db, [b], { account: B }))];
    db.close();
    return took(stored(results));
  }
  // --bare-copy: the stored rows, read out first, then copied into bare tables with the same indexes.
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const dumped = new Map<string, Buffer[]>();
  for (const table of TABLES) {
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyTo(`COPY ${table} TO STDOUT`)),
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          chunks.push(chunk);
          done();
        },
      }),
    );
    dumped.set(table, chunks);
    await client.query(`DROP TABLE IF EXISTS bare_${table}; CREATE TABLE bare_${table} (LIKE ${table} INCLUDING ALL)`);
  }
  const lines = Number((await client.query<{ n: string }>('SELECT COUNT(*)::text AS n FROM bank_lines')).rows[0]!.n);
  const copyStarted = process.hrtime.bigint();
  const copyCpu = process.cpuUsage();
  await client.query('BEGIN');
  for (const table of TABLES) {
    const chunks = dumped.get(table)!;
    await pipeline(
      async function* () {
        yield* chunks;
      },
      client.query(copyFrom(`COPY bare_${table} FROM STDIN`)),
    );
  }
  await client.query('COMMIT');
  const used = process.cpuUsage(copyCpu);
  const result = { ms: Number(process.hrtime.bigint() - copyStarted) / 1e6, cpuMs: (used.user + used.system) / 1000, rows: lines };
  await client.end();
  return result;
}

function measure(mode: string, target: string, a = '', b = ''): Measured {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SELF, mode, target, a, b], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

async function main(): Promise<void> {
  const { a, b } = generate();
  const cluster = await startPgCluster();
  try {
    cluster.createDatabase('bank');
    const caseFile = join(OUT, 'case.db');
    rmSync(caseFile, { force: true });
    rmSync(caseFile + '-wal', { force: true });
    rmSync(caseFile + '-shm', { force: true });
    const onPg = measure('--pg', cluster.url('bank'), a, b);
    const onFile = measure('--sqlite', caseFile, a, b);
    const bare = measure('--bare-copy', cluster.url('bank'));
    const perSecond = (m: Measured): string => Math.round(m.rows / (m.ms / 1000)).toLocaleString('en');
    const line = (name: string, m: Measured): string =>
      `  ${name.padEnd(11)} ${m.ms.toFixed(0)} ms wall, ${m.cpuMs.toFixed(0)} ms process CPU (${perSecond(m)} lines/s, peak RSS ${m.maxRssMb.toFixed(0)} MB)`;
    console.log(
      `postgres bank bench: two statements of ${ROWS.toLocaleString('en')} lines paying each other (load: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
    );
    console.log(line('PostgreSQL', onPg));
    console.log(`${line('SQLite', onFile)}; PostgreSQL / SQLite ${(onPg.ms / onFile.ms).toFixed(2)} wall, ${(onPg.cpuMs / onFile.cpuMs).toFixed(2)} CPU`);
    console.log(`${line('bare COPY', bare)} of the ${bare.rows} statement lines' rows; PostgreSQL / bare COPY ${(onPg.ms / bare.ms).toFixed(2)} wall`);
  } finally {
    cluster.stop();
  }
}

const mode = process.argv[2];
if (mode?.startsWith('--') && mode !== '--rows') {
  const result = await child(mode, process.argv[3]!, process.argv[4] ?? '', process.argv[5] ?? '');
  process.stdout.write(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
} else {
  await main();
}
