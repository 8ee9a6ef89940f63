/**
 * The whole-case commands on PostgreSQL (docs/postgresql.md, "Whole-case commands"), on a
 * throwaway cluster it starts itself (test/support/postgres.ts), in one run:
 *
 *   copy     the working copy: every table of a generated case streamed by cursor into a
 *            temporary case file, beside a bare `COPY … TO STDOUT` of the same tables read and
 *            thrown away (the least any reading of the whole case must do);
 *   cluster  `hoptrace cluster` on PostgreSQL (working copy, heuristics, clusters written back
 *            with their audit-log entry) beside `hoptrace cluster` on the same case as a file;
 *
 * each measurement in its own process (time and peak RSS).
 *
 *   npx tsx bench/postgresRead.bench.ts [--addresses 100000] [--transfers 500000]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { clusterCase } from '../src/cluster/clusterCase.js';
import { openCaseDb } from '../src/store/caseStore.js';
import { closePgCase, openPgCase } from '../src/store/pg/pgCase.js';
import { schemaTables } from '../src/store/pg/schema.js';
import { openWorkingCopy } from '../src/store/pg/workingCopy.js';
import { writeBackPg } from '../src/store/pg/writeBackPg.js';
import { copySqliteCaseToPg } from '../test/support/pgFromSqlite.js';
import { startPgCluster } from '../test/support/postgres.js';
import { generateScenario } from '../test/support/clusterScenario.js';
import { writeGeneratedCase } from './generatedCase.js';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ADDRESSES = option('--addresses', 100_000);
const TRANSFERS = option('--transfers', 500_000);
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const DB = join(OUT, `postgres-read-${ADDRESSES}-${TRANSFERS}.db`);
const SELF = fileURLToPath(import.meta.url);
const HEURISTICS = ['deposit', 'funder', 'sweep'] as const;

interface Measured {
  ms: number;
  what: string;
  maxRssMb: number;
}

/** The clustering scenario of bench/cluster.bench.ts at this size, as a case file (cached in bench/out/). */
function buildCase(): void {
  const units = Math.max(1, Math.round(ADDRESSES / 237));
  const noisePerUser = Math.max(0, (TRANSFERS - 366 * units) / (120 * units));
  const data = generateScenario(9, { operators: 6 * units, customers: 25 * units, users: 120 * units, noisePerUser }).data;
  writeGeneratedCase(DB, (db) => {
    const insertAccount = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
    const insertTag = db.prepare(
      "INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (?, 'exchange', 'Exchange hot wallet', 'bench', 100)",
    );
    const insertTransfer = db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', ?, NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
    );
    db.transaction(() => {
      for (const id of data.accounts.ids()) {
        insertAccount.run(id, data.accounts.ident(id));
        if (data.accounts.isExchange(id)) insertTag.run(id);
      }
      for (let i = 0; i < data.transfers.length; i++) {
        const t = data.transfers.row(i);
        insertTransfer.run(t.asset, t.amount, t.from, t.to, t.time, `g${t.id}`, t.id);
      }
    })();
  });
}

async function child(mode: string, target: string): Promise<string> {
  if (mode === '--cluster-sqlite') {
    const db = openCaseDb(target);
    try {
      const result = await clusterCase(db, { heuristics: [...HEURISTICS] });
      return `${result.clusters.length} clusters, ${result.merges.length} merges`;
    } finally {
      db.close();
    }
  }
  if (mode === '--bare') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    let bytes = 0;
    for (const table of schemaTables())
      await pipeline(
        client.query(copyTo(`COPY ${table} TO STDOUT`)),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            done();
          },
        }),
      );
    await client.end();
    return `${(bytes / 1e6).toFixed(0)} MB of COPY text read`;
  }
  const handle = await openPgCase(target, 'existing');
  try {
    const copy = await openWorkingCopy(handle.client);
    try {
      if (mode === '--copy') return `${Number(copy.db.prepare('SELECT COUNT(*) FROM transfers').pluck().get())} transfers copied`;
      const result = await clusterCase(copy.db, { heuristics: [...HEURISTICS] });
      await writeBackPg(handle, copy, { tables: ['cluster_assertions', 'clusters', 'cluster_evidence'], meta: ['clusters_basis'] }, 'cluster');
      return `${result.clusters.length} clusters, ${result.merges.length} merges`;
    } finally {
      copy.close();
    }
  } finally {
    await closePgCase(handle);
  }
}

function measure(mode: string, target: string): Measured {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SELF, mode, target], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

async function main(): Promise<void> {
  if (!existsSync(DB)) buildCase();
  const cluster = await startPgCluster();
  try {
    cluster.createDatabase('whole');
    const url = cluster.url('whole');
    const loadStarted = Date.now();
    await copySqliteCaseToPg(DB, url);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const file = join(OUT, 'postgres-read-cluster.db');
    copyFileSync(DB, file);
    // Warm the server's cache once, then measure.
    measure('--bare', url);
    const bare = measure('--bare', url);
    const copied = measure('--copy', url);
    const onPg = measure('--cluster-pg', url);
    const onFile = measure('--cluster-sqlite', file);
    rmSync(file, { force: true });
    const line = (name: string, m: Measured): string =>
      `  ${name.padEnd(40)} ${(m.ms / 1000).toFixed(1).padStart(6)} s  peak RSS ${m.maxRssMb.toFixed(0).padStart(4)} MB  (${m.what})`;
    console.log(
      `postgres whole-case bench: ${ADDRESSES.toLocaleString('en')} addresses, ${TRANSFERS.toLocaleString('en')} transfers (loaded into PostgreSQL by COPY in ${loadSeconds.toFixed(1)} s; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
    );
    console.log(line('working copy (cursor → temporary file)', copied));
    console.log(line('bare COPY TO STDOUT of every table', bare));
    console.log(`  ratio ${(copied.ms / bare.ms).toFixed(2)}`);
    console.log(line('cluster on PostgreSQL (copy, run, write back)', onPg));
    console.log(line('cluster on the same case as a file', onFile));
    console.log(`  ratio ${(onPg.ms / onFile.ms).toFixed(2)}`);
  } finally {
    cluster.stop();
  }
}

const mode = process.argv[2];
if (mode?.startsWith('--') && !['--addresses', '--transfers'].includes(mode)) {
  const started = process.hrtime.bigint();
  const what = await child(mode, process.argv[3]!);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, what, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
} else {
  await main();
}
