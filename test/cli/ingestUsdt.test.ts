import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { caseSnapshot, hoptraceAsync } from '../support/usdtCase.js';

// Expected figures: python3 over the fixtures (distinct USDT transfers, their sums, the distinct
// accounts they touch, hashlib.sha256 of each file), never hoptrace's own output.
const PART1 = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv');
const PART2 = fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part2.csv');
const TRONGRID = fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json');
const ETHERSCAN = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
const ETL_LOGS = fixture('ethereum-etl-rpc-fixtures', 'mainnet_blocks_17173049_17173050', 'expected_logs.json');
const ALL = [PART1, PART2, TRONGRID, ETHERSCAN, ETL_LOGS];

interface InfoJson {
  transfers: number;
  accounts: number;
  tags: number;
  links: number;
  byAsset: { rail: string; asset: string; count: number; amount: string }[];
  sources: { path: string; sha256: string; adapter: string; rows: number; rejected: number }[];
}

const infoJson = (db: string): InfoJson => {
  const run = hoptrace(['--db', db, 'info', '--json']);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as InfoJson;
};

describe('hoptrace ingest usdt + info --json on five real exports', () => {
  const db = join(tempDir(), 'case.db');
  let firstRun: { status: number; stderr: string };

  beforeAll(() => {
    firstRun = hoptrace(['--db', db, 'ingest', 'usdt', ...ALL]);
  });

  it('imports each file, saying which format it detected and what it kept', () => {
    expect(firstRun.status).toBe(0);
    const repaired =
      '  note: header repaired: "result0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17" read as "result" (a pandas index row glued onto the header upstream)';
    expect(firstRun.stderr.split('\n')).toEqual([
      `${PART1}: tronscan (detected): 5373 stored, 6 already in the case, 34 skipped (other tokens or failed transactions), 28 tags`,
      repaired,
      `${PART2}: tronscan (detected): 5152 stored, 216 already in the case, 46 skipped (other tokens or failed transactions), 4 tags`,
      repaired,
      `${TRONGRID}: trongrid (detected): 11 stored, 3 skipped (other tokens or failed transactions)`,
      `${ETHERSCAN}: etherscan (detected): 2 stored, 426 skipped (other tokens or failed transactions)`,
      `${ETL_LOGS}: rpc-logs (detected): 41 stored, 640 skipped (other tokens or failed transactions)`,
      '',
    ]);
  });

  it('info --json has the documented shape and the exact figures', () => {
    const info = infoJson(db);
    expect(info).toMatchObject({
      transfers: 10525 + 11 + 2 + 41,
      accounts: 1740 + 74,
      tags: 32,
      links: 0,
      byAsset: [
        { rail: 'ethereum', asset: 'USDT', count: 43, amount: '1090121.577531' },
        { rail: 'tron', asset: 'USDT', count: 10536, amount: '66554801.728263' },
      ],
    });
    for (const asset of info.byAsset) expect(Object.keys(asset).sort()).toEqual(['amount', 'asset', 'count', 'rail']);
    expect(info.sources.map(({ path, sha256, adapter, rows, rejected }) => ({ path, sha256, adapter, rows, rejected }))).toEqual([
      { path: PART1, sha256: 'c8d4358966b30fd5f9627584b38ad06865989090f90ee576a38e8e729edda0e7', adapter: 'usdt:tronscan', rows: 5373, rejected: 0 },
      { path: PART2, sha256: 'f92520043ebbf43e4c7f8e97922d1277ce42ceaae5ec5e4c2fd5afbdac388e91', adapter: 'usdt:tronscan', rows: 5152, rejected: 0 },
      { path: TRONGRID, sha256: '13bbbcdafbe9742cf35362e99a303fb348a3eaaf3db8634cbdc9f0b47add055e', adapter: 'usdt:trongrid', rows: 11, rejected: 0 },
      { path: ETHERSCAN, sha256: '1385d8bb0d7a18e892a6524e3357f4befaa5f36537e1e1d9cd20d2db43409f14', adapter: 'usdt:etherscan', rows: 2, rejected: 0 },
      { path: ETL_LOGS, sha256: '90fdc678c11b37c996d3d5bd69b7dac431906f860b4d55bacd22fce855d96fb0', adapter: 'usdt:rpc-logs', rows: 41, rejected: 0 },
    ]);
    // Amounts are decimal strings, never JSON numbers.
    expect(hoptrace(['--db', db, 'info', '--json']).stdout).toContain('"amount": "66554801.728263"');
  });

  it('re-importing the same files (or a copy elsewhere) adds nothing and says so', () => {
    const before = caseSnapshot(db);
    const copy = join(tempDir(), 'renamed.json');
    copyFileSync(TRONGRID, copy);
    const again = hoptrace(['--db', db, 'ingest', 'usdt', PART1, copy]);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe(
      `${PART1}: already imported (source 1, sha256 c8d4358966b3…): nothing added\n` +
        `${copy}: already imported (source 3, sha256 13bbbcdafbe9…): nothing added\n`,
    );
    expect(caseSnapshot(db)).toEqual(before);
  });
});

describe("the same transfer in the sender's and the receiver's download", () => {
  it('is stored once, with a sighting that points at the second download', () => {
    // part1 line 6 (wallet TDX3…, the receiver) and part2 line 2699 (wallet TRWpS2…, the sender)
    // are one transfer: 393 USDT, tx ad543fbe…
    const dir = tempDir();
    const header = readFileSync(PART1, 'utf8').split('\n')[0]!;
    const receiver = join(dir, 'receiver-TDX3.csv');
    const sender = join(dir, 'sender-TRWpS2.csv');
    writeFileSync(receiver, `${header}\n${readFileSync(PART1, 'utf8').split('\n')[5]}\n`);
    writeFileSync(sender, `${header}\n${readFileSync(PART2, 'utf8').split('\n')[2698]}\n`);
    const db = join(dir, 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'usdt', receiver, sender]).status).toBe(0);
    const info = infoJson(db);
    expect(info.byAsset).toEqual([{ rail: 'tron', asset: 'USDT', count: 1, amount: '393.000000' }]);
    expect(info.sources.map((s) => [s.path, s.rows])).toEqual([
      [receiver, 1],
      [sender, 0],
    ]);
    const store = openCaseDb(db, { readonly: true });
    const seen = store
      .prepare(
        'SELECT t.ref, t.source_id AS stored_from, t.line AS stored_line, s.source_id AS seen_in, s.line AS seen_line FROM sightings s JOIN transfers t ON t.id = s.transfer_id',
      )
      .all();
    store.close();
    expect(seen).toEqual([
      { ref: 'ad543fbeabe82a67fc651471fa625211ff9136b2c7729006f2fea443820af563', stored_from: 1n, stored_line: 2n, seen_in: 2n, seen_line: 2n },
    ]);
  });
});

describe('which case file', () => {
  it('--db FILE, env HOPTRACE_DB, else ./hoptrace.db; --db wins over the environment', async () => {
    const dir = tempDir();
    const viaFlag = join(dir, 'flag.db');
    const viaEnv = join(dir, 'env.db');
    const env = { HOPTRACE_DB: viaEnv };
    const [flag, fromEnv, fromCwd] = await Promise.all([
      hoptraceAsync(['--db', viaFlag, 'ingest', 'usdt', TRONGRID], { env }),
      hoptraceAsync(['ingest', 'usdt', ETHERSCAN], { env }),
      // An undefined value leaves the variable out of the child's environment.
      hoptraceAsync(['ingest', 'usdt', '--quiet', TRONGRID], { cwd: dir, env: { HOPTRACE_DB: undefined } }),
    ]);
    expect([flag.status, fromEnv.status, fromCwd.status]).toEqual([0, 0, 0]);
    expect(fromCwd.stderr).toBe('');
    expect(infoJson(viaFlag).byAsset).toEqual([{ rail: 'tron', asset: 'USDT', count: 11, amount: '84.998778' }]);
    expect(infoJson(viaEnv).byAsset).toEqual([{ rail: 'ethereum', asset: 'USDT', count: 2, amount: '2000.000000' }]);
    expect(existsSync(join(dir, 'hoptrace.db'))).toBe(true);
    expect(infoJson(join(dir, 'hoptrace.db')).transfers).toBe(11);
  });
});

describe('help', () => {
  /** Every command path: `ingest`, `ingest usdt`, `trace` … */
  function commandPaths(command: CommandUnknownOpts, prefix: string[] = []): string[][] {
    return command.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
  }

  it('hoptrace --help exits 0 and lists the commands', () => {
    const run = hoptrace(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: hoptrace [options] [command]');
    expect(run.stdout).toMatch(/Examples?:\n {2}\$ hoptrace /);
  });

  it("every command's --help exits 0 and shows an example of it", async () => {
    const paths = commandPaths(buildProgram());
    expect(paths.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['ingest', 'ingest usdt', 'info']));
    const runs = await Promise.all(paths.map((path) => hoptraceAsync([...path, '--help'])));
    paths.forEach((path, i) => {
      const run = runs[i]!;
      expect(run.status, path.join(' ')).toBe(0);
      expect(run.stdout, path.join(' ')).toMatch(new RegExp(`Examples?:\\n(?: {2}\\$ .*\\n)*? {2}\\$ (?:npx )?hoptrace (?:--db \\S+ )?${path.join(' ')}\\b`));
    });
  });
});
