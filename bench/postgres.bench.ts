/**
 * PostgreSQL benchmark (docs/postgresql.md), on a throwaway cluster it starts itself
 * (test/support/postgres.ts), in one run:
 *
 *   ingest  `ingest usdt` of a generated Etherscan export into a PostgreSQL case (every check,
 *           COPY into staging, accounts, de-duplication, provenance, audit log) beside a bare
 *           `COPY` of the very rows it stored into a transfers table with the same indexes;
 *   trace   a 6-hop FIFO trace of a laundering tree hidden in generated noise, on PostgreSQL
 *           (the working set read frontier by frontier, then the engine) beside the same trace on
 *           the same case as a SQLite file;
 *
 * each measurement in its own process (time and peak RSS).
 *
 *   npx tsx bench/postgres.bench.ts [--rows 200000] [--transfers 1000000] [--accounts 200000]
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
  db.transaction(() => {
    for (let n = 0; n < TRANSFERS - tree; n++)
      insert.run(BigInt(1 + Math.floor(random() * 5_000_000_000)), account(), account(), START + Math.floor(random() * 365 * DAY), `noise${n}`, n + 2);
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
    cluster.createDatabase('ingest');
    const ingest = measure('--ingest', cluster.url('ingest'), csv);
    const bare = measure('--bare-copy', cluster.url('ingest'));
    cluster.createDatabase('trace');
    const handle = await openPgCase(cluster.url('trace'), 'create');
    const db = openCaseDb(caseFile, { readonly: true });
    const loadStarted = Date.now();
    for (const table of ['sources', 'accounts', 'transfers']) await copyTable(db, handle.client, table);
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
    console.log(
      `  ingest usdt  ${ROWS.toLocaleString('en')} Etherscan rows: hoptrace ${ingest.ms.toFixed(0)} ms (${perSecond(ingest)} rows/s, ${ingest.rows} stored, peak RSS ${ingest.maxRssMb.toFixed(0)} MB)`,
    );
    console.log(
      `               bare COPY of the same ${bare.rows} rows into an indexed transfers table: ${bare.ms.toFixed(0)} ms (${perSecond(bare)} rows/s); ratio ${(ingest.ms / bare.ms).toFixed(2)}`,
    );
    console.log(
      `  trace        ${TRANSFERS.toLocaleString('en')} transfers, ${ACCOUNTS.toLocaleString('en')} accounts (loaded into PostgreSQL by COPY in ${loadSeconds.toFixed(1)} s), ${HOPS}-hop fifo`,
    );
    console.log(`               PostgreSQL ${onPg.ms.toFixed(0)} ms (${onPg.rows} transfers carried traced money, peak RSS ${onPg.maxRssMb.toFixed(0)} MB)`);
    console.log(
      `               SQLite     ${onFile.ms.toFixed(0)} ms (${onFile.rows} transfers carried traced money, peak RSS ${onFile.maxRssMb.toFixed(0)} MB); ratio ${(onPg.ms / onFile.ms).toFixed(2)}`,
    );
  } finally {
    cluster.stop();
  }
}

const mode = process.argv[2];
if (mode?.startsWith('--') && !['--rows', '--transfers', '--accounts'].includes(mode)) {
  const result = await child(mode, process.argv[3]!, process.argv[4] ?? '');
  process.stdout.write(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
} else {
  await main();
}
