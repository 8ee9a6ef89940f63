import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, ROOT, tempDir } from '../support/cli.js';

const ETHERSCAN = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan.csv');
const TRX = join(ROOT, 'samples', 'native', 'tron-fee-funding.trongrid.json');

describe('hoptrace ingest native', () => {
  it('reads real Etherscan transactions: failed and zero-value ones counted, ether kept in wei', () => {
    const db = join(tempDir(), 'case.db');
    const run = hoptrace(['--db', db, 'ingest', 'native', ETHERSCAN]);
    expect(run.status).toBe(0);
    // python3 over the file: 482 rows, 28 failed (ErrCode), 388 moved no ether or created a contract,
    // 66 moved 505.840258354672290165 ETH.
    expect(run.stderr).toBe(`${ETHERSCAN}: etherscan-normal: 66 stored, 416 skipped (failed or zero-value transactions, other contracts)\n`);
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { byAsset: unknown[] };
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: 'ETH', count: 66, amount: '505.840258354672290165' }]);
  });

  it('reads TronGrid TRX pages (TransferContract, hex owner/to, sun)', () => {
    const db = join(tempDir(), 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'native', TRX]).status).toBe(0);
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { byAsset: unknown[] };
    expect(info.byAsset).toEqual([{ rail: 'tron', asset: 'TRX', count: 31, amount: '545.000000' }]);
  });

  it('fails clearly on a truncated page and a bad address, storing nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'case.db');
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, '{"data": [{"txID": "ab", "raw_data": {"contract": [');
    const run = hoptrace(['--db', db, 'ingest', 'native', truncated]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${truncated}:1: JSON ends early (truncated download?)`);
    const badAddress = join(dir, 'bad.csv');
    writeFileSync(
      badAddress,
      '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","ContractAddress","Value_IN(ETH)","Value_OUT(ETH)","Status","ErrCode"\n' +
        `"0x${'1'.repeat(64)}","1","1600000000","x","0xdAC17F958D2ee523a2206206994597C13D831Ec7","0x003dc32fe920a4aaeed12dc87e145f030aa753f3","","1","0","",""\n`,
    );
    const bad = hoptrace(['--db', db, 'ingest', 'native', badAddress]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${badAddress}:2: address "0xdAC17F958D2ee523a2206206994597C13D831Ec7": bad EIP-55 checksum`);
    // Nothing stored, and no case file made (docs/cli.md, "The case file").
    expect(existsSync(db)).toBe(false);
  });

  it('a transaction moves one value: both value columns set are that value once (they were summed), or refused when they differ', () => {
    const dir = tempDir();
    const header = '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","ContractAddress","Value_IN(ETH)","Value_OUT(ETH)","Status","ErrCode"\n';
    const self = '0x003dc32fe920a4aaeed12dc87e145f030aa753f3';
    const row = (n: string, valueIn: string, valueOut: string): string =>
      `"0x${n.repeat(64)}","4344914","1507383978","2017-10-07 13:46:18","${self}","${self}","","${valueIn}","${valueOut}","",""\n`;
    writeFileSync(join(dir, 'self.csv'), header + row('5', '0.5', '0.5'));
    const db = join(dir, 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'native', join(dir, 'self.csv')]).status).toBe(0);
    const info = JSON.parse(hoptrace(['--db', db, 'info', '--json']).stdout) as { byAsset: unknown[] };
    expect(info.byAsset).toEqual([{ rail: 'ethereum', asset: 'ETH', count: 1, amount: '0.500000000000000000' }]);
    writeFileSync(join(dir, 'differ.csv'), header + row('6', '0.5', '0.7'));
    const differ = hoptrace(['--db', db, 'ingest', 'native', join(dir, 'differ.csv')]);
    expect(differ.status).toBe(1);
    expect(differ.stderr).toContain(
      `${join(dir, 'differ.csv')}:2: Value_IN(ETH) 0.5 and Value_OUT(ETH) 0.7 are both set and differ: a transaction moves one value`,
    );
  });
});

describe('hoptrace cluster on the demo case', () => {
  it("groups the operator's Tron wallets and its Ethereum collector, explains each, and never the energy market's customers", () => {
    const dir = tempDir();
    expect(hoptrace(['demo', '--out', join(dir, 'demo')]).status).toBe(0);
    const db = join(dir, 'demo', 'case.db');
    const run = hoptrace(['--db', db, 'cluster', '--json']);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as {
      params: Record<string, unknown>;
      clusters: { id: number; size: number; accounts: { ident: string }[] }[];
      merges: { heuristic: string }[];
      conflicts: unknown[];
    };
    expect(result.params).toEqual({
      depositEpsilon: 0.01,
      depositWindowHours: 48,
      depositMaxServiceShare: 0.5,
      funderMaxFanOut: 20,
      sweepShare: 0.95,
      sweepWindowHours: 72,
      sweepMinWallets: 2,
      heuristics: ['deposit', 'funder', 'sweep', 'bank-holder'],
    });
    expect(result.clusters.map((c) => [c.id, c.size])).toEqual([
      [1, 9],
      [2, 2],
    ]);
    // Collection wallets 1 and 2, the collector, the three peel wallets (common funder), and the
    // three exchange deposit addresses they paid into (deposit reuse).
    expect(result.merges.map((m) => m.heuristic).sort()).toEqual([
      'deposit',
      'deposit',
      'deposit',
      'deposit',
      'funder',
      'funder',
      'funder',
      'funder',
      'funder',
    ]);
    expect(result.conflicts).toEqual([]);
    const explain = hoptrace(['--db', db, 'cluster', '--explain', result.clusters[0]!.accounts[0]!.ident]);
    expect(explain.stdout.split('\n').filter((l) => l.startsWith('  ')).length).toBe(8);
  });
});
