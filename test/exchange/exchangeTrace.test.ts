import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';

// A hand-worked case (docs/design.md, rule 11): a victim pays 10,000 USDT to a scam wallet S,
// which sends 6,000 to a Binance deposit address D of customer 4411 and keeps 4,000. The
// customer account already held 2,000 (an untraced earlier deposit to D). Binance's hot wallet H
// pays out the customer's withdrawals: 5,000 to W1 and 2,500 to W2, each with a 1 USDT fee.
const addr = (byte: string): string => '0x' + byte.repeat(20);
const tx = (n: number): string => '0x' + n.toString(16).padStart(64, '0');
const V = addr('a1');
const S = addr('b2');
const D = addr('c3');
const U = addr('d4');
const H = addr('e5');
const W1 = addr('f6');
const W2 = addr('17');
const T0 = Date.UTC(2025, 2, 1, 10, 0, 0) / 1000;

function etherscanRow(hash: string, block: number, seconds: number, from: string, to: string, value: string): string {
  const date = new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return [hash, String(block), String(seconds), date, from, to, value, 'N/A', '0xdac17f958d2ee523a2206206994597c13d831ec7', 'Tether USD', 'USDT'].map((c) => `"${c}"`).join(',');
}

function writeCase(dir: string): { chain: string; ret: string } {
  const header = '"Txhash","Blockno","UnixTimestamp","DateTime (UTC)","From","To","TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"';
  const rows = [
    etherscanRow(tx(1), 100, T0, U, D, '2,000'), // untraced earlier deposit
    etherscanRow(tx(2), 200, T0 + 3600, V, S, '10,000'), // the victim's payment (seed)
    etherscanRow(tx(3), 300, T0 + 7200, S, D, '6,000'), // to the deposit address
    etherscanRow(tx(4), 400, T0 + 10800, D, H, '8,000'), // the exchange sweeps D (not the customer's money moving)
    etherscanRow(tx(5), 500, T0 + 14400, H, W1, '5,000'), // withdrawal 1
    etherscanRow(tx(6), 600, T0 + 18000, H, W2, '2,500'), // withdrawal 2
  ];
  const chain = join(dir, 'chain.etherscan.csv');
  writeFileSync(chain, [header, ...rows].join('\n') + '\n');
  const iso = (s: number): string => new Date(s * 1000).toISOString();
  const ret = join(dir, 'binance-return.csv');
  writeFileSync(
    ret,
    [
      'exchange,account,direction,asset,network,amount,fee,address,txid,time,status',
      `Binance,4411,deposit,USDT,ERC20,2000,0,${D},${tx(1)},${iso(T0 + 600)},completed`,
      `Binance,4411,deposit,USDT,ERC20,6000,0,${D},${tx(3)},${iso(T0 + 7800)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,5000,1,${W1},${tx(5)},${iso(T0 + 14000)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,2500,1,${W2},${tx(6)},${iso(T0 + 17800)},completed`,
      `Binance,4411,withdrawal,USDT,BSC,100,0.29,0x${'99'.repeat(20)},${tx(99)},${iso(T0 + 19000)},completed`,
      `Binance,4411,withdrawal,USDT,ERC20,300,1,${W2},,${iso(T0 + 20000)},Cancelled`,
    ].join('\n') + '\n',
  );
  return { chain, ret };
}

function caseWithReturn(): { db: string; dir: string } {
  const dir = tempDir();
  const db = join(dir, 'case.db');
  const { chain, ret } = writeCase(dir);
  expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
  const ingest = hoptrace(['--db', db, 'ingest', 'exchange', ret]);
  expect(ingest.stderr).toContain('profile generic (detected): 5 deposits and withdrawals, 4 matched on chain, 1 unmatched');
  expect(ingest.status).toBe(0);
  return { db, dir };
}

describe('ingest exchange: a return in the generic layout', () => {
  it('matches each movement to its on-chain transfer by tx hash and lists the one it cannot match', () => {
    const { db } = caseWithReturn();
    const listed = hoptrace(['--db', db, 'exchange-movements', '--json']);
    expect(listed.status).toBe(0);
    const rows = JSON.parse(listed.stdout) as { direction: string; amount: string; fee: string; matchedBy: string | null; unmatchedReason: string | null; network: string | null }[];
    expect(rows.map((r) => [r.direction, r.amount, r.fee, r.matchedBy])).toEqual([
      ['deposit', '2000.000000', '0.000000', 'tx hash'],
      ['deposit', '6000.000000', '0.000000', 'tx hash'],
      ['withdrawal', '5000.000000', '1.000000', 'tx hash'],
      ['withdrawal', '2500.000000', '1.000000', 'tx hash'],
      ['withdrawal', '100.000000', '0.290000', null],
    ]);
    expect(rows[4]!.unmatchedReason).toBe('network BSC is not a chain hoptrace reads (Ethereum, Tron)');
  });

  it('importing the same return twice adds nothing', () => {
    const { db, dir } = caseWithReturn();
    const before = hoptrace(['--db', db, 'info', '--json']).stdout;
    const again = hoptrace(['--db', db, 'ingest', 'exchange', join(dir, 'binance-return.csv')]);
    expect(again.stderr).toContain('already imported: nothing added');
    expect(hoptrace(['--db', db, 'info', '--json']).stdout).toBe(before);
  });

  it('carries traced money through the customer account and out with the withdrawals (FIFO, worked by hand)', () => {
    const { db } = caseWithReturn();
    const run = hoptrace(['--db', db, 'trace', tx(2), '--rule', 'fifo', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as {
      held: { rail: string; ident: string; amount: string }[];
      endpoints: { rail: string; ident: string; amount: string; labels: string[] }[];
      totals: { conserved: boolean; byAsset: { asset: string; seeded: string; atEndpoints: string; held: string }[] };
    };
    const held = Object.fromEntries(result.held.map((h) => [`${h.rail}:${h.ident}`, h.amount]));
    // Customer pool: 2,000 untraced, then 6,000 traced. Withdrawal 1 (5,000) takes the 2,000 and
    // 3,000 traced; its fee 1 traced; withdrawal 2 (2,500) traced; its fee 1 traced; 498 traced
    // left, of which the BSC withdrawal (not followed on chain) takes 100 and its fee 0.29.
    expect(held).toEqual({
      'ethereum:0xb2b2b2b2b2B2b2B2B2b2b2B2B2b2B2B2b2b2b2b2': '4000.000000',
      'ethereum:0xF6f6F6f6f6f6F6F6F6F6F6f6f6F6f6f6F6f6f6f6': '3000.000000',
      'ethereum:0x1717171717171717171717171717171717171717': '2500.000000',
      'exchange:binance:4411': '397.710000',
    });
    expect(result.endpoints.map((e) => [`${e.rail}:${e.ident}`, e.amount, e.labels])).toEqual([['exchange:binance', '102.290000', ['Binance (its own books: fees, and withdrawals the case does not follow on chain)']]]);
    const usdt = result.totals.byAsset.find((a) => a.asset === 'USDT')!;
    expect(usdt.seeded).toBe('10000.000000');
    expect(result.totals.conserved).toBe(true);
  });
});

