/**
 * Clustering: pairwise precision and recall of each heuristic on generated ground-truth
 * scenarios (test/support/clusterScenario.ts); then scale: a generated case file of 1,000,000 addresses
 * and 5,000,000 transfers (cached in bench/out/), clustered as `hoptrace cluster` does it, beside a
 * bare ordered scan of the same transfers, each in its own process (time and peak RSS); and
 * `hoptrace detect --json` over a copy of that case file by the real CLI, with its processes' CPU
 * time and peak RSS (the issue's "detect likewise bounded": under the cluster's 600 MB).
 *
 *   npx tsx bench/cluster.bench.ts [--addresses N] [--transfers N]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterAccounts } from '../src/cluster/clusterAccounts.js';
import { clusterCase } from '../src/cluster/clusterCase.js';
import { childNodeEnv, childNodeFlags } from '../src/cli/childNode.js';
import { DEFAULT_CLUSTER_PARAMS, type ClusterData, type HeuristicName } from '../src/cluster/types.js';
import { openCaseDb, type Db } from '../src/store/caseStore.js';
import { writeGeneratedCase } from './generatedCase.js';
import { measureProcessTree } from './processTree.js';
import { generateScenario, pairwiseScores } from '../test/support/clusterScenario.js';
import { reportTarget } from './targets.js';

function printAccuracy(): void {
  const seeds = [101, 202, 303, 404, 505, 606, 707, 808];
  for (const heuristics of [['funder'], ['sweep'], ['deposit'], ['deposit', 'funder', 'sweep']] as HeuristicName[][]) {
    const scores = seeds.map((seed) => {
      const { data, owner } = generateScenario(seed);
      return pairwiseScores(clusterAccounts({ data, params: DEFAULT_CLUSTER_PARAMS, heuristics }).components, owner);
    });
    const mean = (f: (s: (typeof scores)[number]) => number): string => (scores.reduce((a, s) => a + f(s), 0) / scores.length).toFixed(3);
    console.log(
      `${heuristics.join('+').padEnd(20)} precision min ${Math.min(...scores.map((s) => s.precision)).toFixed(3)} mean ${mean((s) => s.precision)}   recall min ${Math.min(...scores.map((s) => s.recall)).toFixed(3)} mean ${mean((s) => s.recall)}`,
    );
  }
}

// The scale run defaults to the target scale: 1,000,000 addresses and 5,000,000 transfers.
// A scenario unit holds 237 addresses and 366 transfers besides noise (120 users each paying
// `noisePerUser` times), so the unit count fixes the addresses and the noise the transfers.
const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const wantAddresses = option('--addresses', 1_000_000);
const wantTransfers = option('--transfers', 5_000_000);
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const IMPORTS = 8;
const DB = join(OUT, `cluster-${wantAddresses}-${wantTransfers}-${IMPORTS}.db`);

function scaleScenario(): ClusterData {
  const units = Math.max(1, Math.round(wantAddresses / 237));
  const noisePerUser = Math.max(0, (wantTransfers - 366 * units) / (120 * units));
  return generateScenario(9, { operators: 6 * units, customers: 25 * units, users: 120 * units, noisePerUser }).data;
}

/** Writes the scenario as a case file once (cached in bench/out/), indexes last, as imports would leave it. */
function buildCase(data: ClusterData): void {
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
      // As IMPORTS separate imports, each chronological, would leave them: storage order is not time order.
      for (let run = 0; run < IMPORTS; run++) {
        for (let i = run; i < data.transfers.length; i += IMPORTS) {
          const t = data.transfers.row(i);
          insertTransfer.run(t.asset, t.amount, t.from, t.to, t.time, `g${t.id}`, t.id);
        }
      }
    })();
  });
}

/** `hoptrace cluster` on the case file: load, heuristics, union-find, stored clusters and evidence. */
async function measureCluster(db: Db): Promise<string> {
  const result = await clusterCase(db, { heuristics: ['deposit', 'funder', 'sweep'] });
  return `${result.clusters.length} clusters, ${result.merges.length} merges`;
}

/** The bare baseline: read every transfer in time order, the least any clustering must do. */
function measureScan(db: Db): string {
  let rows = 0;
  for (const row of db.prepare('SELECT id, from_id, to_id, asset, amount, time, decimals FROM transfers ORDER BY +time, id').raw(true).iterate())
    if (row) rows++;
  return `${rows} transfers read`;
}

const mode = process.argv[2];
if (mode === '--measure-cluster' || mode === '--measure-scan') {
  const db = openCaseDb(process.argv[3]!);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const what = mode === '--measure-cluster' ? await measureCluster(db) : measureScan(db);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStarted);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, what, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
} else {
  printAccuracy();
  if (!existsSync(DB)) {
    const started = Date.now();
    const data = scaleScenario();
    const generated = Date.now();
    const result = clusterAccounts({ data, params: DEFAULT_CLUSTER_PARAMS, heuristics: ['deposit', 'funder', 'sweep'] });
    console.log(
      `heuristics alone, in memory: ${((Date.now() - generated) / 1000).toFixed(1)} s for ${result.components.length.toLocaleString('en')} clusters (scenario generated in ${((generated - started) / 1000).toFixed(1)} s)`,
    );
    buildCase(data);
    console.log(`case file written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${DB}`);
  }
  type Measured = { ms: number; cpuMs: number; what: string; maxRssMb: number };
  const measure = (flag: string): Measured => {
    // As bin/hoptrace starts `hoptrace cluster`: its V8 flags and environment (src/cli/childNode.ts).
    const child = spawnSync(
      process.execPath,
      [...(childNodeFlags('cluster', process.env) ?? []), '--import', 'tsx', fileURLToPath(import.meta.url), flag, DB],
      {
        encoding: 'utf8',
        env: { ...process.env, ...childNodeEnv('cluster', process.env) },
      },
    );
    if (child.status !== 0) throw new Error(`${flag} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Measured;
  };
  const scan = measure('--measure-scan');
  const cluster = measure('--measure-cluster');
  const rate = (ms: number): string => Math.round(wantTransfers / (ms / 1000)).toLocaleString('en');
  console.log(`scale: ${wantAddresses.toLocaleString('en')} addresses, ${wantTransfers.toLocaleString('en')} transfers in a case file (wall and CPU time)`);
  console.log(
    `  hoptrace cluster   ${(cluster.ms / 1000).toFixed(1)} s  CPU ${(cluster.cpuMs / 1000).toFixed(1)} s  ${rate(cluster.ms)} transfers/s  peak RSS ${cluster.maxRssMb.toFixed(0)} MB  (${cluster.what})`,
  );
  console.log(
    `  bare ordered scan  ${(scan.ms / 1000).toFixed(1)} s  CPU ${(scan.cpuMs / 1000).toFixed(1)} s  ${rate(scan.ms)} transfers/s  peak RSS ${scan.maxRssMb.toFixed(0)} MB  (${scan.what})`,
  );
  console.log(`  ratio ${(cluster.ms / scan.ms).toFixed(2)} wall, ${(cluster.cpuMs / scan.cpuMs).toFixed(2)} CPU (target: under 15 s and 600 MB)`);
  const scale = `${wantAddresses.toLocaleString('en')} addresses`;
  reportTarget({ name: `cluster, ${scale}: CPU time`, measured: cluster.cpuMs / 1000, atMost: 15, unit: 's' });
  reportTarget({ name: `cluster, ${scale}: wall time`, measured: cluster.ms / 1000, atMost: 15, unit: 's' });
  reportTarget({ name: `cluster, ${scale}: peak RSS`, measured: cluster.maxRssMb, atMost: 600, unit: 'MB' });
  await measureDetect(scale);
}

/**
 * `hoptrace detect --json` as a user runs it (bin/hoptrace, its child Node included), over a copy
 * of the case file, since detect stores its findings in the case: every typology, the findings
 * saved, then printed (to /dev/null, as to a file).
 */
async function measureDetect(scale: string): Promise<void> {
  const copy = `${DB}.detect.db`;
  copyFileSync(DB, copy);
  try {
    const bin = fileURLToPath(new URL('../bin/hoptrace', import.meta.url));
    const run = await measureProcessTree(process.execPath, [bin, '--db', copy, 'detect', '--json'], ['ignore', 'ignore', 'inherit']);
    if (run.code !== 0) throw new Error(`hoptrace detect failed with exit ${run.code}`);
    console.log(
      `  hoptrace detect --json  ${run.seconds.toFixed(1)} s  CPU ${run.cpuSeconds.toFixed(1)} s  peak RSS ${run.peakMb.toFixed(0)} MB  (every typology, the findings stored and printed; target: under 600 MB)`,
    );
    reportTarget({ name: `detect, ${scale}: peak RSS`, measured: run.peakMb, atMost: 600, unit: 'MB' });
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  }
}
