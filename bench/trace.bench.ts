/**
 * Tracer benchmark: 10,000,000 transfers over 2,000,000 accounts with a laundering
 * tree hidden in the noise; a 6-hop FIFO trace from its seed beside two bare baselines over the
 * same case file, each in its own process (wall and CPU time, peak RSS), in the same run: a bare
 * read of the accounts the trace reaches (each read whole, its balance replayed: what FIFO needs,
 * docs/performance.md "Trace against a bare read"), and an indexed BFS that follows outflows only
 * (the first baseline, kept); and a first trace with the case file evicted from the page cache (cold).
 *
 * The bare baselines map the case file into memory as the trace's ledger does (BARE_NO_MMAP=1: they
 * read it as earlier rounds did).
 *
 * Then what a user waits for: `hoptrace trace --json` by bin/hoptrace, which also hashes the case
 * file for the result's provenance (on a worker while the trace runs: src/store/caseFileHash.ts),
 * beside that hash alone.
 *
 *   npx tsx bench/trace.bench.ts [--transfers N] [--accounts N]
 *   npx tsx bench/trace.bench.ts --generate [--transfers N] [--accounts N]   (only writes the case file)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFileHash } from '../src/store/caseFileHash.js';
import { openCaseDb, type Db } from '../src/store/caseStore.js';
import { SqliteTraceLedger } from '../src/store/traceLedger.js';
import { resolveTransferIds } from '../src/store/transferRefs.js';
import { traceLedger } from '../src/trace/engine.js';
import { traceCase } from '../src/trace/traceCase.js';
import { writeGeneratedCase } from './generatedCase.js';
import { median } from './median.js';
import { measureProcessTree, type TreeMeasure } from './processTree.js';
import { prng } from '../test/support/prng.js';
import { residentMemory } from './residentMemory.js';
import { reportTarget } from './targets.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const TRANSFERS = argValue('--transfers', 10_000_000);
const ACCOUNTS = argValue('--accounts', 2_000_000);
const HOPS = 6;
const BRANCHING = 7;
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const DB = join(OUT, `trace-${TRANSFERS}-${ACCOUNTS}-${BRANCHING}.db`);
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** Builds the case file once (cached in bench/out/): noise, then the tree, then the indexes. */
function generate(): void {
  const random = prng(42);
  const started = Date.now();
  writeGeneratedCase(DB, (db) => fill(db, random));
  process.stderr.write(`generated ${DB} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function fill(db: Db, random: () => number): void {
  const insertAccount = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
  db.transaction(() => {
    for (let i = 1; i <= ACCOUNTS + 1; i++) insertAccount.run(i, `acct${i}`);
  })();
  const insert = db.prepare(
    "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
  );
  const account = (): number => 1 + Math.floor(random() * ACCOUNTS);
  let n = 0;
  const batch = db.transaction((count: number) => {
    for (let i = 0; i < count; i++, n++)
      insert.run(BigInt(1 + Math.floor(random() * 5_000_000_000)), account(), account(), START + Math.floor(random() * 365 * DAY), `noise${n}`, n + 2);
  });
  const noise = TRANSFERS - treeSize();
  for (let done = 0; done < noise; done += 1_000_000) batch(Math.min(1_000_000, noise - done));
  // The tree: a victim (the extra account) pays the root; each level forwards to BRANCHING noise
  // accounts a few hours later, so the traced money meets their real histories.
  const victim = ACCOUNTS + 1;
  let level = [{ id: account(), time: START + 30 * DAY, amount: 100_000_000_000n }];
  let ref = 0;
  db.transaction(() => {
    insert.run(level[0]!.amount, victim, level[0]!.id, level[0]!.time, 'seed', 1);
    for (let hop = 1; hop < HOPS; hop++) {
      const next: typeof level = [];
      for (const node of level) {
        for (let b = 0; b < BRANCHING; b++) {
          const child = { id: account(), time: node.time + (1 + b) * 3_600_000, amount: node.amount / BigInt(BRANCHING + 1) };
          insert.run(child.amount, node.id, child.id, child.time, `tree${ref++}`, 1);
          next.push(child);
        }
      }
      level = next;
    }
  })();
}

function treeSize(): number {
  let total = 1;
  for (let hop = 1, width = 1; hop < HOPS; hop++) total += width *= BRANCHING;
  return total;
}

function measureTrace(db: Db): { transfers: number } {
  const result = traceCase({ db, casePath: null, seeds: ['seed'], options: { rule: 'fifo', maxHops: HOPS } });
  return { transfers: result.totals.edges };
}

/** The bare baseline: a time-respecting BFS over the same index, no pools, no rules. */
function measureBfs(db: Db): { transfers: number } {
  if (process.env['BARE_NO_MMAP'] === undefined) db.pragma('mmap_size = 2147418112');
  // By the (rail, ref, seq) index, as the trace resolves its seed: `ref = 'seed'` alone scanned
  // all 10M rows, which was most of this baseline's time.
  const seed = db.prepare("SELECT to_id, time FROM transfers WHERE rail = 'tron' AND ref = 'seed'").get() as { to_id: bigint; time: bigint };
  const next = db.prepare('SELECT to_id, time FROM transfers WHERE from_id = ? AND time >= ? ORDER BY time').raw();
  const arrived = new Map<bigint, bigint>([[seed.to_id, seed.time]]);
  let frontier = [seed.to_id];
  let transfers = 1;
  for (let hop = 2; hop <= HOPS && frontier.length > 0; hop++) {
    const following: bigint[] = [];
    for (const account of frontier) {
      for (const [to, time] of next.all(account, arrived.get(account)!) as [bigint, bigint][]) {
        transfers++;
        if (!arrived.has(to)) {
          arrived.set(to, time);
          following.push(to);
        }
      }
    }
    frontier = following;
  }
  return { transfers };
}

/**
 * The accounts the trace reads, with the time traced money first arrived at each (the recipients
 * of the transfers that carried it on), in the order it reached them: the bare read below is given
 * them, untimed, so it reads exactly what the trace's answer needs.
 */
function listReached(db: Db, out: string): void {
  const ledger = new SqliteTraceLedger(db);
  const seeds = resolveTransferIds(db, 'seed').map((id) => ledger.transfer(id)!);
  const raw = traceLedger(ledger, seeds, { rule: 'fifo', maxHops: HOPS });
  const reached = new Map<number, number>();
  for (const edge of raw.edges) if (edge.outcome === 'carried' && !reached.has(edge.transfer.toId)) reached.set(edge.transfer.toId, edge.transfer.time);
  const listed: Reached = { accounts: [...reached], edges: raw.edges.map((edge) => edge.transfer.id) };
  writeFileSync(out, JSON.stringify(listed));
}

/** What listReached writes: the accounts with the time traced money first arrived, and the transfers the trace's edges are. */
interface Reached {
  accounts: [number, number][];
  edges: number[];
}

/**
 * The bare baseline that answers the trace's question: under FIFO (docs/design.md, "Tracing
 * semantics") what an account held before the traced money arrived is ahead of it in the queue,
 * and what it receives later joins behind it, so each account the money reaches is read whole, in
 * and out, in time order, by its two indexes, and its balance replayed up to the arrival (an
 * outflow beyond it leaving zero). No pools, no rules, no result: what is left of the trace's
 * time above this is hoptrace's own work. A BFS that follows every outflow after the arrival
 * (which this replaces as the target's baseline, and which the bench still runs) answers another
 * question: it reads no balances, and it follows money the trace shows never left.
 */
function measureReadReached(db: Db, list: string): { transfers: number } {
  // The connection as the trace's ledger sets it up (src/store/traceLedger.ts): the case file mapped into memory.
  if (process.env['BARE_NO_MMAP'] === undefined) db.pragma('mmap_size = 2147418112');
  const reached = (JSON.parse(readFileSync(list, 'utf8')) as Reached).accounts;
  const history = db
    .prepare(
      'SELECT amount, from_id, to_id, time FROM transfers WHERE to_id = ? UNION ALL SELECT amount, from_id, to_id, time FROM transfers WHERE from_id = ? ORDER BY time',
    )
    .raw();
  let transfers = 0;
  let balances = 0n;
  for (const [account, arrival] of reached) {
    const id = BigInt(account);
    let balance = 0n;
    for (const [amount, , to, time] of history.all(id, id) as [bigint, bigint, bigint, bigint][]) {
      transfers++;
      if (time >= arrival) continue;
      if (to === id) balance += amount;
      else balance = amount > balance ? 0n : balance - amount;
    }
    balances += balance;
  }
  // The balances are used, so no engine can drop their replay as dead code.
  return { transfers: balances < 0n ? -1 : transfers };
}

/**
 * The reads no trace's answer can do without: the bare read above, and then what the answer cites
 * for each of its edges (docs/reports.md: the transaction, both ends' addresses, the source file
 * and line), read bare, by one statement as the trace reads it. What is left of the trace's time
 * above this is the engine, the answer's objects, and V8 compiling and collecting them.
 */
function measureFloor(db: Db, list: string): { transfers: number } {
  const { transfers } = measureReadReached(db, list);
  const edges = [...new Set((JSON.parse(readFileSync(list, 'utf8')) as Reached).edges)].sort((a, b) => a - b);
  const evidence = db
    .prepare(
      `SELECT t.id, t.ref, t.seq, t.log_index, f.ident, r.ident, s.path, s.sha256, t.line
       FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id JOIN sources s ON s.id = t.source_id
       WHERE t.id IN (SELECT value FROM json_each(?))`,
    )
    .raw();
  let cited = 0;
  for (let start = 0; start < edges.length; start += 20_000) cited += evidence.all(JSON.stringify(edges.slice(start, start + 20_000))).length;
  return { transfers: cited === edges.length ? transfers : -1 };
}

const reachedList = (db: string): string => db + '.reached.json';

/** The case file's SHA-256 alone, as a trace result cites it, read and hashed on this thread. */
function measureHash(path: string): { transfers: number } {
  const sha256 = startFileHash(path, { workerMinBytes: Number.POSITIVE_INFINITY }).digest();
  return { transfers: sha256.length === 64 ? 0 : -1 };
}

const mode = process.argv[2];
const MEASURES: Record<string, (db: Db) => { transfers: number }> = {
  '--measure-trace': measureTrace,
  '--measure-bfs': measureBfs,
  '--measure-read': (db) => measureReadReached(db, reachedList(process.argv[3]!)),
  '--measure-floor': (db) => measureFloor(db, reachedList(process.argv[3]!)),
  '--measure-hash': () => measureHash(process.argv[3]!),
};
if (mode === '--generate') {
  // Only the case file (for bench/export.bench.ts, which exports it): nothing measured.
  if (!existsSync(DB)) generate();
} else if (mode === '--list-reached') {
  listReached(openCaseDb(process.argv[3]!, { readonly: true }), reachedList(process.argv[3]!));
} else if (mode !== undefined && MEASURES[mode]) {
  const db = openCaseDb(process.argv[3]!, { readonly: true });
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const { transfers } = MEASURES[mode]!(db);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStarted);
  // At the end, what the resident memory is made of: the mapped case file's pages count in peak RSS.
  const resident = residentMemory();
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      transfers,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      anonMb: resident?.anonMb ?? null,
    }) + '\n',
  );
} else {
  if (!existsSync(DB)) generate();
  type Measured = { ms: number; cpuMs: number; transfers: number; maxRssMb: number; anonMb: number | null };
  const run = (flag: string): Measured => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), flag, DB], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Measured;
  };
  // A cold first trace: only this case file's pages are evicted from the page cache (GNU dd's
  // nocache flag, posix_fadvise DONTNEED), so other work on the machine keeps its cache.
  const evicted = spawnSync('dd', [`if=${DB}`, 'iflag=nocache', 'count=0'], { encoding: 'utf8' }).status === 0;
  const cold = evicted ? run('--measure-trace') : undefined;
  // Warm the page cache with one run of each, so the measurements read from memory: the trace
  // also reads accounts' incoming rows, which a BFS-only warm-up left on disk.
  run('--measure-bfs');
  if (!cold) run('--measure-trace');
  // What the bare read is given: the accounts this trace reaches (written beside the case file).
  const listed = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--list-reached', DB], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(listed.stderr);
  // Alternated, three of each, medians: the machine is shared, and CPU time (user + system)
  // varies far less than wall time when other jobs compete for the cores.
  const bfsRuns: Measured[] = [];
  const readRuns: Measured[] = [];
  const floorRuns: Measured[] = [];
  const traceRuns: Measured[] = [];
  for (let round = 0; round < 3; round++) {
    bfsRuns.push(run('--measure-bfs'));
    readRuns.push(run('--measure-read'));
    floorRuns.push(run('--measure-floor'));
    traceRuns.push(run('--measure-trace'));
  }
  const [trace, bfs, read, floor] = [traceRuns, bfsRuns, readRuns, floorRuns].map((runs) => ({
    ms: median(runs.map((m) => m.ms)),
    cpuMs: median(runs.map((m) => m.cpuMs)),
    maxRssMb: median(runs.map((m) => m.maxRssMb)),
    anonMb: runs.every((m) => m.anonMb !== null) ? median(runs.map((m) => m.anonMb!)) : null,
    transfers: runs[0]!.transfers,
  })) as [Measured, Measured, Measured, Measured];
  // Peak RSS counts the mapped case file's pages (page cache); the anonymous part is the heaps.
  const anon = (m: Measured): string => (m.anonMb === null ? '' : ` (anonymous ${m.anonMb.toFixed(0).padStart(3)} MB at the end)`);
  const line = (label: string, m: Measured, what: string): string =>
    `  ${label.padEnd(24)}${m.ms.toFixed(0).padStart(6)} ms  CPU ${m.cpuMs.toFixed(0).padStart(5)} ms  peak RSS ${m.maxRssMb.toFixed(0).padStart(4)} MB${anon(m)}  ${m.transfers} ${what}`;
  const ratio = (base: Measured): string => `${(trace.ms / base.ms).toFixed(2)} wall, ${(trace.cpuMs / base.cpuMs).toFixed(2)} CPU`;
  console.log(
    `trace bench: ${TRANSFERS.toLocaleString('en')} transfers, ${ACCOUNTS.toLocaleString('en')} accounts, ${HOPS}-hop fifo (medians of 3, wall and CPU)`,
  );
  console.log(line('hoptrace trace', trace, 'transfers carried traced money'));
  console.log(line('bare read of its accounts', read, 'rows: each account the money reached, read whole, its balance replayed'));
  console.log(line('bare BFS, outflows only', bfs, 'transfers visited (no balances: not the FIFO question)'));
  console.log(line('reads any answer needs', floor, 'rows: the bare read, then what the answer cites for each edge'));
  console.log(
    `  those reads alone, as a multiple of the baselines' CPU: ${(floor.cpuMs / read.cpuMs).toFixed(2)} × the bare read, ${(floor.cpuMs / bfs.cpuMs).toFixed(2)} × the BFS (a trace with no engine at all could do no better)`,
  );
  console.log(`  ratio trace / bare read ${ratio(read)} (target ≤ 1.2), trace < 1 s: ${trace.ms < 1000 ? 'yes' : 'no'}`);
  reportTarget({ name: `trace, ${TRANSFERS.toLocaleString('en')} transfers: CPU ratio to the bare read`, measured: trace.cpuMs / read.cpuMs, atMost: 1.2 });
  reportTarget({
    name: `trace, ${TRANSFERS.toLocaleString('en')} transfers: CPU ratio to the outflow-only BFS`,
    measured: trace.cpuMs / bfs.cpuMs,
    atMost: 1.2,
  });
  reportTarget({ name: `trace, ${TRANSFERS.toLocaleString('en')} transfers: wall time`, measured: trace.ms / 1000, atMost: 1, unit: 's' });
  console.log(`  ratio trace / bare BFS, outflows only ${ratio(bfs)} (the first baseline: it reads no balances)`);
  // The real CLI, as a user runs it: its process start, the case file's SHA-256 and the JSON printed.
  const bin = fileURLToPath(new URL('../bin/hoptrace', import.meta.url));
  const cliRuns: TreeMeasure[] = [];
  const hashRuns: Measured[] = [];
  for (let round = 0; round < 3; round++) {
    const cli = await measureProcessTree(
      process.execPath,
      [bin, '--db', DB, 'trace', 'seed', '--rule', 'fifo', '--max-hops', String(HOPS), '--json'],
      ['ignore', 'ignore', 'inherit'],
    );
    if (cli.code !== 0) throw new Error(`hoptrace trace failed with exit ${cli.code}`);
    cliRuns.push(cli);
    hashRuns.push(run('--measure-hash'));
  }
  const cliTrace = {
    ms: median(cliRuns.map((m) => m.seconds * 1000)),
    cpuMs: median(cliRuns.map((m) => m.cpuSeconds * 1000)),
    maxRssMb: median(cliRuns.map((m) => m.peakMb)),
  };
  const hash = { ms: median(hashRuns.map((m) => m.ms)), cpuMs: median(hashRuns.map((m) => m.cpuMs)) };
  console.log(
    `  hoptrace trace --json by the CLI: ${cliTrace.ms.toFixed(0)} ms wall, CPU ${cliTrace.cpuMs.toFixed(0)} ms, peak RSS ${cliTrace.maxRssMb.toFixed(0)} MB (process start, the case file's SHA-256 on a worker, the JSON printed; medians of 3)`,
  );
  console.log(
    `  the case file's SHA-256 alone (${(statSync(DB).size / 2 ** 20).toFixed(0)} MB): ${hash.ms.toFixed(0)} ms wall, CPU ${hash.cpuMs.toFixed(0)} ms`,
  );
  console.log(
    cold
      ? `  cold first trace (case file evicted from the page cache): ${cold.ms.toFixed(0)} ms, CPU ${cold.cpuMs.toFixed(0)} ms, peak RSS ${cold.maxRssMb.toFixed(0)} MB${anon(cold)}`
      : '  cold first trace: not measured (could not evict the case file from the page cache)',
  );
}
