import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress } from 'ethers';
import { tempDir } from '../support/cli.js';
import { hoptraceAsync as hoptrace } from '../support/usdtCase.js';
import { startEthNode, type EthNode } from '../support/ethNode.js';
import { recordedTransfers, startTronReplay, type TronReplay } from '../support/tronReplay.js';

// The victim pays 6,000 USDT to W1 and 4,000 to W2; the case holds that history (fetched live),
// and the trace says both still hold it. Afterwards, on chain: W1 spends 1,500 (its balance is
// 4,500 now), Tether blacklists W2 and destroys its 4,000, and blacklists then clears W3.
let node: EthNode;
let dir: string;
let db: string;
let traceFile: string;
let fetchedTo: number;
const victim = (): string => getAddress(node.accounts[1]!);
const w1 = (): string => getAddress(node.accounts[2]!);
const w2 = (): string => getAddress(node.accounts[3]!);

beforeAll(async () => {
  node = await startEthNode(6);
  const call = (fn: string, args: unknown[]): string => node.token.encodeFunctionData(fn, args);
  await node.send(node.accounts[0]!, call('mint', [victim(), 10_000_000000n]));
  await node.send(victim(), call('transfer', [w1(), 6_000_000000n]));
  await node.send(victim(), call('transfer', [w2(), 4_000_000000n]));
  fetchedTo = await node.blockNumber();
  dir = tempDir();
  db = join(dir, 'case.db');
  const fetched = await hoptrace([
    '--db',
    db,
    'fetch',
    'evm',
    '--rpc',
    node.url,
    '--address',
    victim(),
    w1(),
    w2(),
    '--to-block',
    String(fetchedTo),
    '--quiet',
  ]);
  expect(fetched.stderr).toBe('');
  traceFile = join(dir, 'trace.json');
  const traced = await hoptrace(['--db', db, 'trace', `account:${victim()}`, '--out', traceFile]);
  expect(traced.status).toBe(0);
  await node.send(w1(), call('transfer', [getAddress(node.accounts[4]!), 1_500_000000n]));
  await node.send(node.accounts[0]!, call('addBlackList', [w2()]));
  await node.send(node.accounts[0]!, call('destroyBlackFunds', [w2()]));
  await node.send(node.accounts[0]!, call('addBlackList', [getAddress(node.accounts[5]!)]));
  await node.send(node.accounts[0]!, call('removeBlackList', [getAddress(node.accounts[5]!)]));
}, 120_000);

afterAll(async () => {
  await node?.close();
});

interface Status {
  asOf: { ethereum?: { block: number; endpoint: string } };
  wallets: {
    ident: string;
    tracedHeld: string;
    balanceNow: string | null;
    blacklisted: boolean;
    freezeChecked: boolean;
    destroyed: string;
    freezableNow: string | null;
    events: { event: string; tx: string | null }[];
  }[];
  totals: { tracedHeld: string; freezableNow: string; blacklisted: number; unknownBalance: number; unknownFreeze: number };
}

describe('hoptrace status against a real local node', () => {
  it('reads balances at the head block and the freeze events: freezable = min(traced, balance), 0 once frozen or burned', async () => {
    const run = await hoptrace(['--db', db, 'status', traceFile, '--rpc', node.url, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout) as Status;
    expect(status.asOf.ethereum!.block).toBe(fetchedTo + 5);
    expect(status.wallets.map((w) => [w.ident, w.tracedHeld, w.balanceNow, w.blacklisted, w.destroyed, w.freezableNow, w.events.map((e) => e.event)])).toEqual([
      [w1(), '6000.000000', '4500.000000', false, '0.000000', '4500.000000', []],
      [w2(), '4000.000000', '0.000000', true, '4000.000000', '0.000000', ['added', 'destroyed']],
    ]);
    expect(status.totals).toEqual({ tracedHeld: '10000.000000', freezableNow: '4500.000000', wallets: 2, blacklisted: 1, unknownBalance: 0, unknownFreeze: 0 });
    // The node's freeze events were read: "not frozen" is known.
    expect(status.wallets.map((w) => w.freezeChecked)).toEqual([true, true]);
  });

  it('requests --status asks Tether to freeze what is freezable now, only where the case holds the history, and leaves out a frozen wallet', async () => {
    const statusFile = join(dir, 'status.json');
    const status = await hoptrace(['--db', db, 'status', traceFile, '--rpc', node.url, '--json']);
    writeFileSync(statusFile, status.stdout);
    const out = join(dir, 'requests');
    const run = await hoptrace(['requests', traceFile, '--status', statusFile, '--out', out, '--no-timestamp']);
    expect(run.stderr).toBe(`${out}: 1 requested items in 1 letters (requests.csv, Markdown and HTML)\n`);
    const rows = readFileSync(join(out, 'requests.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').slice(0, 6));
    // W1: fetched (its history is in the case), 6,000 traced, 4,500 left on chain now; W2: frozen and burned.
    expect(rows).toEqual([
      ['recipient', 'kind', 'rail', 'account', 'asset', 'amount'],
      ['Tether (USDT issuer)', 'freeze', 'ethereum', w1(), 'USDT', '4500.000000'],
    ]);
    const letter = readFileSync(join(out, '01-issuer-tether-usdt-issuer.md'), 'utf8');
    expect(letter).toContain('Total requested: 4500.000000 USDT.');
    expect(letter).toContain('balance now: 4500.000000 USDT; blacklisted: no');
  });

  it("without a node the balances are unknown, and the case's ingested freeze list still says who is frozen", async () => {
    // Nothing said who is frozen on Ethereum yet: "freeze state unknown", never "not frozen".
    const unchecked = await hoptrace(['--db', db, 'status', traceFile]);
    expect(unchecked.status).toBe(0);
    expect(unchecked.stdout).not.toContain('not frozen');
    expect(unchecked.stdout.split('\n')[0]).toBe(
      `ethereum:${w1()}  traced 6000.000000 USDT  balance unknown (give --rpc / --api)  freeze state unknown (give --rpc, or ingest Tether's freeze list with hoptrace ingest blacklist)  freezable now unknown`,
    );
    expect(unchecked.stdout).toContain('; 0 already frozen; 2 with freeze state unknown\n');
    const list = join(dir, 'blacklist.csv');
    writeFileSync(list, `address,time,chain\n${w1().toLowerCase()},2025-01-02 03:04:05.000 UTC,ethereum\n`);
    expect((await hoptrace(['--db', db, 'ingest', 'blacklist', list])).stderr).toBe(`${list}: 1 freeze events stored\n`);
    const status = JSON.parse((await hoptrace(['--db', db, 'status', traceFile, '--json'])).stdout) as Status;
    expect(status.wallets.map((w) => [w.ident, w.balanceNow, w.blacklisted, w.freezableNow, w.freezeChecked])).toEqual([
      [w1(), null, true, null, true],
      [w2(), null, false, null, true],
    ]);
    expect(status.totals.unknownBalance).toBe(2);
    expect(status.totals.unknownFreeze).toBe(0);
  });
});

describe('hoptrace status on Tron against the TronGrid replay server', () => {
  let replay: TronReplay;
  beforeAll(async () => {
    // TXVj38… now holds 20 USDT of the 41.499389 traced to it; the payer is unknown to TronGrid.
    replay = await startTronReplay({ balances: { TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx: '20000000' } });
  });
  afterAll(async () => {
    await replay?.close();
  });

  it("reads each wallet's USDT balance from /v1/accounts/{address}: freezable now = min(traced, balance)", async () => {
    const tronDir = tempDir();
    const tronDb = join(tronDir, 'case.db');
    const payer = recordedTransfers().find((t) => t.from.startsWith('TJtEyS'))!.from;
    const out = join(tronDir, 'trace.json');
    const traced = await hoptrace(['--db', tronDb, 'trace', `account:${payer}`, '--fetch', 'tron', '--api', replay.url, '--out', out, '--quiet']);
    expect(traced.status, traced.stderr).toBe(0);
    const run = await hoptrace(['--db', tronDb, 'status', out, '--api', replay.url, '--json']);
    expect(run.stderr).toBe('');
    const status = JSON.parse(run.stdout) as Status;
    expect(status.wallets.map((w) => [w.ident, w.tracedHeld, w.balanceNow, w.blacklisted, w.freezableNow])).toEqual([
      ['TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', '41.499389', '20.000000', false, '20.000000'],
    ]);
    expect(replay.requests.filter((r) => r.path === '/v1/accounts/TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx').length).toBe(1);
  });
});
