import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';

const DIR = fixture('tron-aso-nbctf-hfuhruhurr');
// A seizure-order wallet whose USDT went to exchange hot wallets and to wallets still holding it.
const WALLET = 'TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m';
let db: string;

beforeAll(() => {
  db = join(tempDir(), 'case.db');
  const ingest = hoptrace(['--db', db, 'ingest', 'usdt', join(DIR, 'trc20_xfers.part1.csv'), join(DIR, 'trc20_xfers.part2.csv'), '--quiet']);
  expect(ingest.status).toBe(0);
});

describe('hoptrace trace', () => {
  it('prints the documented JSON result, keys in order, amounts as decimal strings', () => {
    const run = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--rule', 'libr', '--max-hops', '3', '--json']);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as TraceResult;
    expect(Object.keys(result)).toEqual([
      'rule',
      'params',
      'seeds',
      'endpoints',
      'held',
      'beyondHopLimit',
      'belowThreshold',
      'unknownSourceDraws',
      'edges',
      'totals',
      'case',
      'sources',
    ]);
    expect(result.rule).toBe('libr');
    expect(result.params).toEqual({ maxHops: 3, minAmount: null, until: null, stopAtDegree: null, seeds: [`account:${WALLET}`] });
    expect(Object.keys(result.endpoints[0]!)).toEqual(['rail', 'ident', 'category', 'labels', 'asset', 'amount', 'bySeed', 'first', 'last']);
    expect(Object.keys(result.edges[0]!)).toEqual([
      'transfer',
      'rail',
      'ref',
      'seq',
      'logIndex',
      'from',
      'to',
      'asset',
      'amount',
      'traced',
      'bySeed',
      'hop',
      'time',
      'outcome',
      'source',
    ]);
    for (const e of result.edges) {
      expect(e.amount).toMatch(/^\d+\.\d{6}$/);
      expect(e.source.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.source.path).toContain('trc20_xfers.part');
    }
    expect(result.seeds.every((s) => s.from === WALLET)).toBe(true);
    expect(result.totals.conserved).toBe(true);
    // The case file's own SHA-256, as sha256sum gives it (hashed on a worker for large files: src/store/caseFileHash.ts).
    expect(result.case.sha256).toBe(createHash('sha256').update(readFileSync(db)).digest('hex'));
    expect(result.sources.map((s) => s.rows)).toEqual([5373, 5152]);
  });

  it('writes the same result to --out, byte-identical across runs', () => {
    const dir = tempDir();
    const a = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--out', join(dir, 'a.json')]);
    const b = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--out', join(dir, 'b.json')]);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
    // python3 over the fixture: this wallet's 5 USDT outflows, 4,963 USDT, all to TronScan's "Binance-Hot 2".
    expect(a.stdout).toBe(
      [
        'rule fifo',
        '',
        'victim TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m: paid 4963.000000 USDT in 5 payments',
        '  → exchange              4963.000000 USDT  TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi (Binance-Hot 2)',
        '',
        'endpoints by category:',
        '  exchange           4963.000000 USDT',
        '',
        'USDT: seeded 4963.000000 = endpoints 4963.000000 + held 0.000000 + beyond hop limit 0.000000 + below threshold 0.000000  [conserved]',
        '5 transfers carried traced money; 1 account reached',
        '',
      ].join('\n'),
    );
  });

  it('fails clearly on a seed that matches nothing, an unknown rule and a bad number', () => {
    const none = hoptrace(['--db', db, 'trace', 'no-such-reference']);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('hoptrace: seed "no-such-reference" matches no transfer in the case file — check it with hoptrace info, or use transfer:ID\n');
    const rule = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--rule', 'lofi']);
    expect(rule.status).not.toBe(0);
    expect(rule.stderr).toContain("argument 'lofi' is invalid");
    const hops = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--max-hops', 'two']);
    expect(hops.status).toBe(1);
    expect(hops.stderr).toBe('hoptrace: --max-hops "two": expected a whole number ≥ 1\n');
    const badAddress = hoptrace(['--db', db, 'trace', 'account:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u']);
    expect(badAddress.status).toBe(1);
    expect(badAddress.stderr).toContain('bad base58check checksum');
  });

  it('--compare with --report adds the sensitivity section; without --report it is refused', () => {
    const report = join(tempDir(), 'report.md');
    const run = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--report', report, '--compare', 'fifo,libr', '--no-timestamp']);
    expect(run.status, run.stderr).toBe(0);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('## Sensitivity to the tracing rule');
    expect(md).toContain('| endpoint | asset | fifo | libr | spread |');
    const alone = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--compare', 'libr']);
    expect([alone.status, alone.stderr]).toEqual([1, 'hoptrace: --compare needs --report FILE — or use hoptrace compare SEED… for the comparison alone\n']);
  });

  it('refuses --out and --report naming one file (the report replaced the trace it had reported written)', () => {
    const dir = tempDir();
    symlinkSync(dir, join(dir, 'same'));
    for (const report of [join(dir, 't.json'), join(dir, 'same', 't.json')]) {
      const run = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--out', join(dir, 't.json'), '--report', report]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`hoptrace: --out and --report name one file, ${report}: the second would replace the first — give --report another name\n`);
    }
    expect(readdirSync(dir)).toEqual(['same']);
  });

  it('fails clearly on a --min-amount it cannot read', () => {
    const asset = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--min-amount', 'EUR=500']);
    expect([asset.status, asset.stderr]).toEqual([1, 'hoptrace: --min-amount: the case has no asset "EUR" — its assets: USDT\n']);
    const syntax = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--min-amount', 'USDT:500']);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toContain('not a number');
    const pair = hoptrace(['--db', db, 'trace', `account:${WALLET}`, '--min-amount', 'USDT=5,x']);
    expect(pair.stderr).toBe(
      'hoptrace: --min-amount "USDT=5,x": "x" is not ASSET=AMOUNT — write --min-amount 2000 (every asset in its own units) or --min-amount EUR=500,USDT=600\n',
    );
  });
});

/** The seizure-order wallet of the issue: 316 USDT payments out, some of them money that came back. */
const TXRB = 'TXRBsytHfJDoAKRdcedgLsoHudh1xJGUdC';

describe('hoptrace trace on the real TXRB payments', () => {
  const run = (args: string[]): TraceResult => {
    const out = hoptrace(['--db', db, 'trace', `account:${TXRB}`, ...args, '--json']);
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout) as TraceResult;
  };
  const sum = (amounts: string[]): string => {
    const micro = amounts.reduce((total, a) => total + BigInt(a.replace('.', '')), 0n);
    return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
  };

  it('--stop-at-degree runs on the SQLite case (it crashed binding its query) and stops at hubs', () => {
    const result = run(['--stop-at-degree', '100']);
    // TXRB itself has more than 100 counterparties: its payments' money coming back stops there.
    expect(result.endpoints.filter((e) => e.category === 'hub').map((e) => [e.ident, e.amount])).toEqual([
      [TXRB, '23148.000000'],
      ['TEtJTCuFEzY6jjVNzFtbWGMfrHzfE2aGKU', '13000.000000'],
      ['TRWpS2JarmZShhQLTfHafnzkQdNKUh1ozK', '8.180000'],
    ]);
    expect(result.params.stopAtDegree).toBe(100);
    expect(result.totals.conserved).toBe(true);
  });

  it('paid is what the 316 payments were, under every rule; traced says what was traced and why it is less', () => {
    const fifo = run(['--max-hops', '2']);
    const proRata = run(['--max-hops', '2', '--rule', 'pro-rata']);
    for (const result of [fifo, proRata]) {
      expect(result.seeds).toHaveLength(316);
      expect(sum(result.seeds.map((s) => s.paid))).toBe('2172201.006980');
    }
    expect(sum(fifo.seeds.map((s) => s.traced))).toBe('2149053.006980');
    expect(sum(proRata.seeds.map((s) => s.traced))).toBe('2149355.628313');
    // The 990 USDT payment the old result listed as 0.000000 (earlier seeds in trace order).
    const seed = fifo.seeds.find((s) => s.id === '10310')!;
    expect([seed.paid, seed.traced, seed.reason]).toEqual([
      '990.000000',
      '0.000000',
      'the payment carried 990.000000 USDT already traced to earlier seeds (seed 10397: 800.000000, seed 10395: 190.000000), which stays theirs',
    ]);
  });

  it('--max-hops 2: no money reaches an exchange on a hop-3 transfer (it is beyond the hop limit)', () => {
    const result = run(['--max-hops', '2']);
    expect(result.edges.filter((e) => e.outcome === 'endpoint' && e.hop > 2)).toEqual([]);
    const exchanges = new Set(result.endpoints.map((e) => e.ident));
    expect(result.totals.byAsset.map((t) => [t.atEndpoints, t.held, t.beyondHopLimit])).toEqual([['758366.231789', '1144601.280072', '246085.495119']]);
    expect(result.beyondHopLimit.some((h) => exchanges.has(h.ident))).toBe(true);
  });
});
