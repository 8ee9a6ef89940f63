import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { tx, writeExchangeCase } from '../support/exchangeCase.js';

function caseWithReturn(): { db: string; dir: string } {
  const dir = tempDir();
  const db = join(dir, 'case.db');
  const { chain, ret } = writeExchangeCase(dir);
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
    const rows = JSON.parse(listed.stdout) as {
      direction: string;
      amount: string;
      fee: string;
      matchedBy: string | null;
      unmatchedReason: string | null;
      network: string | null;
    }[];
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
    expect(result.endpoints.map((e) => [`${e.rail}:${e.ident}`, e.amount, e.labels])).toEqual([
      ['exchange:binance', '102.290000', ['Binance (its own books: fees, and withdrawals the case does not follow on chain)']],
    ]);
    const usdt = result.totals.byAsset.find((a) => a.asset === 'USDT')!;
    expect(usdt.seeded).toBe('10000.000000');
    expect(result.totals.conserved).toBe(true);
  });
});

describe("the demo case with Exchange One's return (samples/exchange/exchange-one-return.csv)", () => {
  it("Anna Becker's money no longer stops at the hot wallet: it is credited to customer EX1-7781 and leaves with the customer's withdrawals", () => {
    const dir = tempDir();
    expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
    const db = join(dir, 'demo', 'case.db');
    const before = JSON.parse(hoptrace(['--db', db, 'trace', 'account:DE68500105174417320965', '--json']).stdout) as {
      endpoints: { ident: string; amount: string }[];
    };
    expect(before.endpoints.map((e) => [e.ident, e.amount])).toEqual([['TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT', '19008.000000']]);
    const ingest = hoptrace(['--db', db, 'ingest', 'exchange', 'samples/exchange/exchange-one-return.csv']);
    expect(ingest.stderr).toBe(
      'samples/exchange/exchange-one-return.csv: profile generic (detected): 3 deposits and withdrawals, 1 matched on chain, 2 unmatched (hoptrace exchange-movements --unmatched), 1 skipped (other assets, rows not completed, trades)\n',
    );
    const after = JSON.parse(hoptrace(['--db', db, 'trace', 'account:DE68500105174417320965', '--json']).stdout) as {
      endpoints: { rail: string; ident: string; amount: string }[];
      edges: { rail: string; from: string; to: string; traced: string; outcome: string }[];
      totals: { conserved: boolean };
    };
    // The 30,000 deposit (transfer c07cc8…) is linked into the credit; FIFO takes Anna's 19,008 out
    // with the first withdrawal (18,000 + 1 fee) and the second (9,000 + 0.8): neither is in the
    // chain data, so the money ends at the exchange's books, not at the hot wallet.
    expect(after.endpoints.map((e) => [e.rail, e.ident, e.amount])).toEqual([['exchange', 'exchange-one', '19008.000000']]);
    expect(after.edges.filter((e) => e.rail === 'exchange').map((e) => [e.from, e.to, e.traced, e.outcome])).toEqual([
      ['exchange-one', 'exchange-one:EX1-7781', '19008.000000', 'carried'],
      ['exchange-one:EX1-7781', 'exchange-one', '18000.000000', 'endpoint'],
      ['exchange-one:EX1-7781', 'exchange-one', '1.000000', 'endpoint'],
      ['exchange-one:EX1-7781', 'exchange-one', '1007.000000', 'endpoint'],
    ]);
    expect(after.totals.conserved).toBe(true);
  });
});
