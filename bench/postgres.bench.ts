/**
 * PostgreSQL benchmark (docs/postgresql.md), on a throwaway cluster it starts itself
 * (test/support/postgres.ts), in one run:
 *
 *   ingest  `ingest usdt` of a generated Etherscan export into a PostgreSQL case (every check,
 *           COPY into staging, accounts, de-duplication, provenance, audit log) beside a bare
 *           `COPY` of the very rows it stored into a transfers table with the same indexes;
 *   trace   a 6-hop FIFO trace of a laundering tree hidden in generated noise, on PostgreSQL
 *           (the working set read frontier by frontier, then the engine) beside the same trace on
 *           the same case as a SQLite file; then where the PostgreSQL trace's time goes, round
 *           by round (the engine's runs over the working set, the frontier's queries);
 *
 * each measurement in its own process (time and peak RSS). The trace case is the one
 * bench/trace.bench.ts generates for the same --transfers and --accounts (its 10M-transfer trace:
 * --transfers 10000000 --accounts 2000000); it is loaded into PostgreSQL through COPY, the
 * transfers' secondary indexes built once after the rows are in, as a bulk load does.
 *
 *   npx tsx bench/postgres.bench.ts [--rows 200000] [--transfers 1000000] [--accounts 200000] [--trace-only]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ingestSourcePg } from '../src/ingest/ingestSourcePg.js';
import { ingestUsdtFilesWith } from '../src/ingest/ingestUsdt.js';
import { openCaseDb, type Db } from '../src/store/caseStore.js';
import { closePgCase, openPgCase } from '../src/store/pg/pgCase.js';
import { traceCase } from '../src/trace/traceCase.js';
import { traceCasePg } from '../src/trace/traceCasePg.js';
import { traceLedger } from '../src/trace/engine.js';
import { RecordingLedger, selectExplorerExportsPg, TraceWorkingSet } from '../src/store/pg/traceWorkingSet.js';
import { startPgCluster } from '../test/support/postgres.js';
import { prng } from '../test/support/prng.js';
import { writeGeneratedCase } from './generatedCase.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = argValue('--rows', 200_000);
const TRANSFERS = argValue('--transfers', 1_000_000);
const ACCOUNTS = argValue('--accounts', 200_000);
const TRACE_ONLY = process.argv.includes('--trace-only');
const HOPS = 6;
const BRANCHING = 7;
const OUT = fileURLToPath(new URL('./out/postgres/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

interface Measured {
  ms: number;
  rows: number;
  maxRssMb: number;
}

const hex = (random: () => number, bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

/** An Etherscan token export: ROWS USDT transfers among 20,000 addresses, a tenth of transactions with two legs. */
function writeEtherscan(path: string): void {
  const random = prng(11);
  const addresses = Array.from({ length: 20_000 }, () => '0x' + hex(random, 20));
  const lines = ['"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"'];
  let time = Date.UTC(2023, 0, 1);
  for (let i = 0, block = 16_300_000; i < ROWS; block++) {
    const hash = '0x' + hex(random, 32);
    time += 1000 * (1 + Math.floor(random() * 20));
    for (let leg = random() < 0.1 ? 2 : 1; leg > 0 && i < ROWS; leg--, i++) {
      const from = addresses[Math.floor(random() * addresses.length)]!;
      const to = addresses[Math.floor(random() * addresses.length)]!;
      const value = `${1 + Math.floor(random() * 50_000)}.${String(Math.floor(random() * 1_000_000)).padStart(6, '0')}`;
      lines.push(
        `"${hash}","${block}","${time / 1000}","${new Date(time).toISOString().slice(0, 19).replace('T', ' ')}","${from}","${to}","${value}","N/A","0xdac17f958d2ee523a2206206994597c13d831ec7","Tether USD","USDT"`,
      );
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** Noise, then a victim's payment into a tree BRANCHING wide and HOPS deep (as bench/trace.bench.ts). */
function fillTraceCase(db: Db): void {
  const random = prng(42);
  const insertAccount = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
  db.transaction(() => {
    for (let i = 1; i <= ACCOUNTS + 1; i++) insertAccount.run(i, `acct${i}`);
  })();
  const insert = db.prepare(
    "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
  );
  const account = (): number => 1 + Math.floor(random() * ACCOUNTS);
  let tree = 1;
  for (let hop = 1, width = 1; hop < HOPS; hop++) tree += width *= BRANCHING;
  // A million rows a transaction, as bench/trace.bench.ts writes them (the same rows, in the same order).
  let n = 0;
  const batch = db.transaction((count: number) => {
    for (let i = 0; i < count; i++, n++)
      insert.run(BigInt(1 + Math.floor(random() * 5_000_000_000)), account(), account(), START + Math.floor(random() * 365 * DAY), `noise${n}`, n + 2);
  });
  for (let done = 0; done < TRANSFERS - tree; done += 1_000_000) batch(Math.min(1_000_000, TRANSFERS - tree - done));
  db.transaction(() => {
    let level = [{ id: account(), time: START + 30 * DAY, amount: 100_000_000_000n }];
    insert.run(level[0]!.amount, ACCOUNTS + 1, level[0]!.id, level[0]!.time, 'seed', 1);
    let ref = 0;
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

/** A table of a case file into the same table of a PostgreSQL case, through COPY. */
async function copyTable(db: Db, client: pg.Client, table: string): Promise<void> {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const rows = db
    .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
    .raw()
    .iterate() as Iterable<unknown[]>;
  async function* lines(): AsyncGenerator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += row.map((v) => (v === null ? '\\N' : String(v))).join('\t') + '\n';
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  await pipeline(lines, stream);
}

/**
 * Where the PostgreSQL trace's time goes: the rounds of src/trace/traceCasePg.ts (loadWorkingSet),
 * run here with a clock on each part: the engine's run over the working set, the frontier's
 * queries into it, then the result's own reads. Printed to stderr; `ms` is the total.
 */
async function traceRounds(target: string): Promise<Measured> {
  const handle = await openPgCase(target, 'existing');
  const clock = (): number => Number(process.hrtime.bigint()) / 1e6;
  const started = clock();
  const seedIds = (await handle.client.query<{ id: string }>("SELECT id::text AS id FROM transfers WHERE rail = 'tron' AND ref = 'seed'")).rows.map((r) =>
    Number(r.id),
  );
  const set = new TraceWorkingSet(handle.client);
  await set.addSeeds(seedIds);
  const lines: string[] = [];
  let engineMs = 0;
  let fetchMs = 0;
  for (let round = 1; ; round++) {
    const before = clock();
    const ledger = new RecordingLedger(set.db, set.degrees);
    traceLedger(
      ledger,
      seedIds.map((id) => ledger.transfer(id)!),
      { rule: 'fifo', maxHops: HOPS },
    );
    const engine = clock() - before;
    engineMs += engine;
    const frontier = new Set([...ledger.histories].filter((id) => !set.loaded.has(id)));
    const tags = [...ledger.tagsOf].filter((id) => !set.tagged.has(id));
    const fetchStarted = clock();
    if (frontier.size > 0 || tags.length > 0) {
      await set.addHistories(frontier);
      await set.addTags(tags);
    }
    const fetch = clock() - fetchStarted;
    fetchMs += fetch;
    const rows = (set.db.prepare('SELECT COUNT(*) FROM transfers').pluck().get() as bigint).toString();
    lines.push(
      `round ${round}: engine ${engine.toFixed(0)} ms, then ${frontier.size} accounts fetched in ${fetch.toFixed(0)} ms (working set ${rows} transfers)`,
    );
    if (frontier.size === 0 && tags.length === 0) break;
  }
  const finishStarted = clock();
  await set.finish();
  await selectExplorerExportsPg(handle.client);
  const finishMs = clock() - finishStarted;
  const ms = clock() - started;
  set.db.close();
  await closePgCase(handle);
  process.stderr.write(
    `${lines.join('\n')}\nengine ${engineMs.toFixed(0)} ms over ${lines.length} rounds, frontier queries ${fetchMs.toFixed(0)} ms, result's reads ${finishMs.toFixed(0)} ms, total ${ms.toFixed(0)} ms\n`,
  );
  return { ms, rows: 0, maxRssMb: 0 };
}

/**
 * A table of the case file into PostgreSQL through COPY; the transfers' secondary indexes are
 * dropped first and built once the rows are in (their definitions read back from pg_indexes).
 */
async function loadTable(db: Db, client: pg.Client, table: string): Promise<void> {
  const indexes = (
    await client.query<{ name: string; sql: string }>(
      `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
       WHERE i.tablename = $1 AND i.schemaname = current_schema() AND NOT x.indisunique`,
      [table],
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  await copyTable(db, client, table);
  for (const index of indexes) await client.query(index.sql);
}

async function child(mode: string, target: string, file: string): Promise<Measured> {
  if (mode === '--ingest') {
    const handle = await openPgCase(target, 'create');
    const started = process.hrtime.bigint();
    const [result] = await ingestUsdtFilesWith((params) => ingestSourcePg({ ...params, pg: handle }), [file]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await closePgCase(handle);
    return { ms, rows: result?.status === 'imported' ? result.rows : 0, maxRssMb: 0 };
  }
  if (mode === '--bare-copy') {
    // The rows hoptrace stored, as COPY text, into a table with the transfers table's columns and indexes.
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyTo('COPY (SELECT * FROM transfers ORDER BY id) TO STDOUT')),
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          chunks.push(chunk);
          done();
        },
      }),
    );
    await client.query('DROP TABLE IF EXISTS bare_transfers; CREATE TABLE bare_transfers (LIKE transfers INCLUDING ALL)');
    const started = process.hrtime.bigint();
    await client.query('BEGIN');
    const stream = client.query(copyFrom('COPY bare_transfers FROM STDIN'));
    await pipeline(async function* () {
      yield* chunks;
    }, stream);
    await client.query('COMMIT');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const rows = Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM bare_transfers')).rows[0]!.n);
    await client.end();
    return { ms, rows, maxRssMb: 0 };
  }
  if (mode === '--trace-sqlite') {
    const db = openCaseDb(target, { readonly: true });
    const started = process.hrtime.bigint();
    const result = traceCase({ db, casePath: null, seeds: ['seed'], options: { rule: 'fifo', maxHops: HOPS } });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows: result.totals.edges, maxRssMb: 0 };
  }
  if (mode === '--trace-pg-rounds') return traceRounds(target);
  const handle = await openPgCase(target, 'existing');
  const started = process.hrtime.bigint();
  const result = await traceCasePg(handle, ['seed'], { rule: 'fifo', maxHops: HOPS });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await closePgCase(handle);
  return { ms, rows: result.totals.edges, maxRssMb: 0 };
}

function measure(mode: string, target: string, file = ''): Measured {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SELF, mode, target, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
  if (mode === '--trace-pg-rounds') process.stdout.write(run.stderr.replace(/^/gm, '               '));
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const csv = join(OUT, `etherscan-${ROWS}.csv`);
  if (!existsSync(csv)) writeEtherscan(csv);
  const caseFile = join(OUT, `trace-${TRANSFERS}-${ACCOUNTS}.db`);
  if (!existsSync(caseFile)) writeGeneratedCase(caseFile, fillTraceCase);
  const cluster = await startPgCluster();
  try {
    let ingest: Measured | undefined;
    let bare: Measured | undefined;
    if (!TRACE_ONLY) {
      cluster.createDatabase('ingest');
      ingest = measure('--ingest', cluster.url('ingest'), csv);
      bare = measure('--bare-copy', cluster.url('ingest'));
    }
    cluster.createDatabase('trace');
    const handle = await openPgCase(cluster.url('trace'), 'create');
    const db = openCaseDb(caseFile, { readonly: true });
    const loadStarted = Date.now();
    for (const table of ['sources', 'accounts', 'transfers']) await loadTable(db, handle.client, table);
    await handle.client.query('ANALYZE');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    db.close();
    await closePgCase(handle);
    // Warm both caches once, then measure.
    measure('--trace-sqlite', caseFile);
    measure('--trace-pg', cluster.url('trace'));
    const onFile = measure('--trace-sqlite', caseFile);
    const onPg = measure('--trace-pg', cluster.url('trace'));
    const perSecond = (m: Measured): string => Math.round(m.rows / (m.ms / 1000)).toLocaleString('en');
    console.log(
      `postgres bench (load: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
    );
    if (ingest && bare) {
      console.log(
        `  ingest usdt  ${ROWS.toLocaleString('en')} Etherscan rows: hoptrace ${ingest.ms.toFixed(0)} ms (${perSecond(ingest)} rows/s, ${ingest.rows} stored, peak RSS ${ingest.maxRssMb.toFixed(0)} MB)`,
      );
      console.log(
        `               bare COPY of the same ${bare.rows} rows into an indexed transfers table: ${bare.ms.toFixed(0)} ms (${perSecond(bare)} rows/s); ratio ${(ingest.ms / bare.ms).toFixed(2)}`,
      );
    }
    console.log(
      `  trace        ${TRANSFERS.toLocaleString('en')} transfers, ${ACCOUNTS.toLocaleString('en')} accounts (loaded into PostgreSQL by COPY in ${loadSeconds.toFixed(1)} s), ${HOPS}-hop fifo`,
    );
    console.log(`               PostgreSQL ${onPg.ms.toFixed(0)} ms (${onPg.rows} transfers carried traced money, peak RSS ${onPg.maxRssMb.toFixed(0)} MB)`);
    console.log(
      `               SQLite     ${onFile.ms.toFixed(0)} ms (${onFile.rows} transfers carried traced money, peak RSS ${onFile.maxRssMb.toFixed(0)} MB); ratio ${(onPg.ms / onFile.ms).toFixed(2)}`,
    );
    console.log("  where the PostgreSQL trace's time goes (src/trace/traceCasePg.ts, one run):");
    measure('--trace-pg-rounds', cluster.url('trace'));
  } finally {
    cluster.stop();
  }
}

const mode = process.argv[2];
if (mode?.startsWith('--') && !['--rows', '--transfers', '--accounts', '--trace-only'].includes(mode)) {
  const result = await child(mode, process.argv[3]!, process.argv[4] ?? '');
  process.stdout.write(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
} else {
  await main();
}
