/**
 * Workbench benchmark: on a generated case of 1,000,000 USDT transfers over 100,000 accounts (one
 * exchange-like hub in 5 % of them), the p95 of the answers the page asks for most — an account
 * (GET /api/accounts/…), its first page of transfers, a page deep in the hub's history (keyset
 * cursor), its neighbours — through the real HTTP server, beside a bare indexed SQL query for the
 * same page, with and without the account_totals table (docs/workbench.md, "Scale").
 *
 *   npx tsx bench/serve.bench.ts [--transfers N] [--accounts N] [--samples N]
 */
import { request } from 'node:http';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCaseDb, type Db } from '../src/store/caseStore.js';
import { startServer } from '../src/serve/server.js';
import { refreshAccountTotals } from '../src/store/accountTotals.js';
import { writeGeneratedCase } from './generatedCase.js';
import { prng } from '../test/support/prng.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const TRANSFERS = argValue('--transfers', 1_000_000);
const ACCOUNTS = argValue('--accounts', 100_000);
const SAMPLES = argValue('--samples', 200);
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const DB = join(OUT, `serve-${TRANSFERS}-${ACCOUNTS}.db`);
const HUB = 1;
const START = Date.UTC(2024, 0, 1);
const YEAR = 365 * 86_400_000;

function fill(db: Db): void {
  const random = prng(7);
  const insertAccount = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
  db.transaction(() => {
    for (let i = 1; i <= ACCOUNTS; i++) insertAccount.run(i, `T${String(i).padStart(33, '0')}`);
  })();
  const insert = db.prepare(
    "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
  );
  const account = (): number => (random() < 0.05 ? HUB : 1 + Math.floor(random() * ACCOUNTS));
  const batch = db.transaction((from: number, count: number) => {
    for (let n = from; n < from + count; n++)
      insert.run(BigInt(1 + Math.floor(random() * 5_000_000_000)), account(), account(), START + Math.floor(random() * YEAR), `tx${n}`, n + 2);
  });
  for (let done = 0; done < TRANSFERS; done += 100_000) batch(done, Math.min(100_000, TRANSFERS - done));
}

function get(port: number, token: string, path: string): Promise<{ ms: number; body: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
        resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function p95(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!.toFixed(2);
}

if (!existsSync(DB)) {
  const started = Date.now();
  writeGeneratedCase(DB, fill);
  process.stderr.write(`generated ${DB} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function measure(path: string, title: string): Promise<void> {
  const server = await startServer({ casePath: path, host: '127.0.0.1', port: 0, write: false });
  const bare = openCaseDb(path, { readonly: true });
  const barePage = bare.prepare(
    `SELECT * FROM (SELECT * FROM transfers WHERE from_id = ? ORDER BY time, id LIMIT 51) UNION ALL SELECT * FROM (SELECT * FROM transfers WHERE to_id = ? ORDER BY time, id LIMIT 51) ORDER BY time, id LIMIT 51`,
  );
  // The bare baseline of an account's totals: per asset each way, no exact-sum split, no counterparties.
  const bareTotals = bare.prepare(
    'SELECT asset, COUNT(*), SUM(amount) FROM transfers WHERE from_id = ? GROUP BY asset UNION ALL SELECT asset, COUNT(*), SUM(amount) FROM transfers WHERE to_id = ? GROUP BY asset',
  );
  const random = prng(99);
  const ids = Array.from({ length: SAMPLES }, () => 2 + Math.floor(random() * (ACCOUNTS - 1)));
  const ident = (id: number) => `T${String(id).padStart(33, '0')}`;
  const times: Record<string, number[]> = { account: [], 'transfers page 1': [], neighbours: [], 'bare SQL page': [] };
  // Warm-up: the first requests pay for statement preparation and page cache.
  for (const id of ids.slice(0, 10)) await get(server.port, server.token, `/api/accounts/tron/${ident(id)}`);
  for (const id of ids) {
    times['account']!.push((await get(server.port, server.token, `/api/accounts/tron/${ident(id)}`)).ms);
    times['transfers page 1']!.push((await get(server.port, server.token, `/api/accounts/tron/${ident(id)}/transfers?limit=50`)).ms);
    times['neighbours']!.push((await get(server.port, server.token, `/api/accounts/tron/${ident(id)}/neighbours`)).ms);
    const started = process.hrtime.bigint();
    barePage.all(id, id);
    times['bare SQL page']!.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  // The hub: about 100,000 transfers (5 % of each side). Walk 20 pages deep, then time pages there.
  const hub = ident(HUB);
  const hubTimes: Record<string, number[]> = {
    'hub account': [],
    'hub transfers page 1': [],
    'hub transfers page 20+': [],
    'hub neighbours (top 200)': [],
    'hub bare SQL totals': [],
  };
  let cursor = '';
  for (let page = 0; page < 20; page++)
    cursor = (
      JSON.parse((await get(server.port, server.token, `/api/accounts/tron/${hub}/transfers?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).body) as {
        next: string;
      }
    ).next;
  for (let i = 0; i < 10; i++) {
    hubTimes['hub account']!.push((await get(server.port, server.token, `/api/accounts/tron/${hub}`)).ms);
    const bareStarted = process.hrtime.bigint();
    bareTotals.all(HUB, HUB);
    hubTimes['hub bare SQL totals']!.push(Number(process.hrtime.bigint() - bareStarted) / 1e6);
    hubTimes['hub transfers page 1']!.push((await get(server.port, server.token, `/api/accounts/tron/${hub}/transfers?limit=50`)).ms);
    const deep = await get(server.port, server.token, `/api/accounts/tron/${hub}/transfers?limit=50&cursor=${cursor}`);
    hubTimes['hub transfers page 20+']!.push(deep.ms);
    cursor = (JSON.parse(deep.body) as { next: string }).next;
    if (i % 5 === 0) hubTimes['hub neighbours (top 200)']!.push((await get(server.port, server.token, `/api/accounts/tron/${hub}/neighbours`)).ms);
  }
  await server.close();
  bare.close();
  process.stdout.write(
    `${title}\ncase: ${TRANSFERS.toLocaleString('en')} transfers, ${ACCOUNTS.toLocaleString('en')} accounts; ${SAMPLES} random accounts (about ${Math.round((TRANSFERS * 2 * 0.95) / ACCOUNTS)} transfers each)\n`,
  );
  for (const [name, values] of Object.entries({ ...times, ...hubTimes }))
    process.stdout.write(`  ${name.padEnd(26)} p95 ${p95(values).padStart(8)} ms   (n=${values.length})\n`);
  process.stdout.write(`  peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
}

// The generated file is written as a bulk import leaves one; a bench file from before the
// account_totals migration is measured as it is (served read-only, never migrated: totals grouped
// from the transfers), then a migrated copy (totals kept by the schema's triggers).
const db = openCaseDb(DB, { readonly: true });
const before = !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'account_totals'").get();
db.close();
if (before) await measure(DB, 'without account_totals (a case file from before the migration, served read-only)');
const MIGRATED = DB.replace(/\.db$/, '-migrated.db');
if (!existsSync(MIGRATED)) {
  copyFileSync(DB, MIGRATED);
  const started = Date.now();
  const migrated = openCaseDb(MIGRATED);
  migrated.pragma('wal_checkpoint(TRUNCATE)');
  migrated.close();
  process.stderr.write(
    `migrated (account_totals filled) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${(statSync(DB).size / 1e6).toFixed(0)} MB → ${(statSync(MIGRATED).size / 1e6).toFixed(0)} MB\n`,
  );
}
await measure(MIGRATED, 'with account_totals (folded in by each import) and counterparties counted over the latest 2,000 transfers each way');

// What keeping account_totals costs an import: 200,000 generated transfers inserted into a fresh
// case in one transaction, then folded in (refreshAccountTotals, as SourceWriter.commit does),
// against the inserts alone, in this process, twice each.
async function refreshCost(): Promise<void> {
  const random = prng(11);
  const rows = Array.from(
    { length: 200_000 },
    (_, n) =>
      [
        BigInt(1 + Math.floor(random() * 5_000_000_000)),
        1 + Math.floor(random() * 10_000),
        1 + Math.floor(random() * 10_000),
        START + Math.floor(random() * YEAR),
        `tx${n}`,
        n + 2,
      ] as const,
  );
  const run = (): { insert: number; refresh: number } => {
    const path = join(OUT, `insert-cost-${process.pid}.db`);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
    const db = openCaseDb(path);
    db.prepare(
      "INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES (1, 'generated', ?, 0, 'bench', '{}', '2024-01-01T00:00:00Z')",
    ).run('0'.repeat(64));
    const insertAccount = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
    db.transaction(() => {
      for (let i = 1; i <= 10_000; i++) insertAccount.run(i, `T${String(i).padStart(33, '0')}`);
    })();
    const insert = db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
    );
    let insertMs = 0;
    let refreshMs = 0;
    db.transaction(() => {
      const started = process.hrtime.bigint();
      for (const row of rows) insert.run(...row);
      const inserted = process.hrtime.bigint();
      refreshAccountTotals(db);
      insertMs = Number(inserted - started) / 1e6;
      refreshMs = Number(process.hrtime.bigint() - inserted) / 1e6;
    })();
    db.close();
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
    return { insert: insertMs, refresh: refreshMs };
  };
  const runs = [run(), run()];
  const best = runs.reduce((a, b) => (a.insert + a.refresh <= b.insert + b.refresh ? a : b));
  process.stdout.write(
    `inserting 200,000 transfers ${best.insert.toFixed(0)} ms, then folding them into account_totals ${best.refresh.toFixed(0)} ms (best of 2): +${((best.refresh / best.insert) * 100).toFixed(0)} %\n`,
  );
}
await refreshCost();
