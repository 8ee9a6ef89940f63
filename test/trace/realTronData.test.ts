import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_NAMES, type RuleName, type TraceResult } from '../../src/model/trace.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { ledgerTransferFromRow, SqliteTraceLedger } from '../../src/store/traceLedger.js';
import { resolveTransferIds } from '../../src/store/transferRefs.js';
import { traceLedger } from '../../src/trace/engine.js';
import { traceCase } from '../../src/trace/traceCase.js';
import { fixture, tempDir } from '../support/cli.js';
import { referenceOverCase, resultAsReference } from '../support/caseReference.js';
import { asReference, referenceTrace, type ReferenceRule } from '../support/referenceTracer.js';

/**
 * Real flows: the 10,827 TRC-20 transfers of the 40 Tron wallets named in Israeli NBCTF seizure
 * orders (test/fixtures/tron-aso-nbctf-hfuhruhurr), with TronScan's exchange labels as tags.
 * Seeds: every USDT outflow of the named wallets.
 */
const DIR = fixture('tron-aso-nbctf-hfuhruhurr');
const WALLETS = readFileSync(join(DIR, 'trc20_wallets_processed.txt'), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(line));

let db: Db;
let casePath: string;
/** The named wallets that sent USDT (the others only received). */
let payers: string[];
const results = new Map<RuleName, TraceResult>();
/** One trace per named wallet: its own outflows as seeds, so other wallets' money is untraced. */
const perWallet = new Map<RuleName, TraceResult[]>();

beforeAll(async () => {
  casePath = join(tempDir(), 'nbctf.db');
  db = openCaseDb(casePath);
  await ingestUsdtFiles(db, [join(DIR, 'trc20_xfers.part1.csv'), join(DIR, 'trc20_xfers.part2.csv')]);
  payers = WALLETS.filter((w) => resolveTransferIds(db, `account:${w}`).length > 0);
  for (const rule of RULE_NAMES) {
    results.set(rule, traceCase({ db, casePath, seeds: payers.map((w) => `account:${w}`), options: { rule } }));
    perWallet.set(
      rule,
      payers.map((w) => traceCase({ db, casePath, seeds: [`account:${w}`], options: { rule } })),
    );
  }
});

const sum = (amounts: string[]): string => {
  const micro = amounts.reduce((total, a) => total + BigInt(a.replace('.', '')), 0n);
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
};

describe('tracing the seizure-order wallets (real TronScan data)', () => {
  it('seeds every USDT outflow of the named wallets', () => {
    expect(WALLETS).toHaveLength(44);
    expect(payers).toHaveLength(40);
    const fifo = results.get('fifo')!;
    // python3 over the fixture: 4,965 distinct USDT transfers from the 40 paying wallets, 34,087,966.009667 USDT.
    expect(fifo.seeds).toHaveLength(4965);
    // What the payments were, whatever the rule; what was traced from each is that, less what it
    // carried of earlier seeds (money passed between the wallets).
    expect(sum(fifo.seeds.map((s) => s.paid))).toBe('34087966.009667');
    const carriedOfEarlierSeeds = sum(
      fifo.edges
        .filter((e) => fifo.seeds.some((s) => s.id === String(e.transfer)))
        .map((e) => {
          const own = e.bySeed[String(e.transfer)] ?? '0.000000';
          return (BigInt(e.traced.replace('.', '')) - BigInt(own.replace('.', '')))
            .toString()
            .padStart(7, '0')
            .replace(/(\d{6})$/, '.$1');
        }),
    );
    expect(sum([sum(fifo.seeds.map((s) => s.traced)), carriedOfEarlierSeeds])).toBe('34087966.009667');
  });

  it.each(RULE_NAMES.filter((r) => r !== 'poison'))('%s conserves every seed to the minor unit', (rule) => {
    const result = results.get(rule)!;
    expect(result.totals.conserved).toBe(true);
    expect(result.totals.byAsset.map((t) => t.unaccounted)).toEqual(['0.000000']);
  });

  it.each(['fifo', 'lifo', 'libr', 'pro-rata'] as ReferenceRule[])('%s agrees with the independent reference replay', (rule) => {
    const ledger = new SqliteTraceLedger(db);
    const transfers = (
      db.prepare('SELECT id, rail, asset, decimals, amount, from_id, to_id, time, block, log_index FROM transfers').all() as Parameters<
        typeof ledgerTransferFromRow
      >[0][]
    ).map(ledgerTransferFromRow);
    const endpoints = new Set((db.prepare("SELECT DISTINCT account_id FROM tags WHERE category = 'exchange'").pluck().all() as bigint[]).map(Number));
    const seedIds = payers.flatMap((w) => resolveTransferIds(db, `account:${w}`));
    const raw = traceLedger(
      ledger,
      seedIds.map((id) => ledger.transfer(id)!),
      { rule },
    );
    expect(asReference(raw)).toEqual(referenceTrace(transfers, seedIds, endpoints, rule));
  });

  it.each(['fifo', 'lifo', 'libr', 'pro-rata'] as ReferenceRule[])(
    '%s with --max-hops 3, --min-amount 50 and --stop-at-degree 100 agrees with the reference',
    (rule) => {
      const seeds = payers.map((w) => `account:${w}`);
      const options = { rule, maxHops: 3, stopAtDegree: 100, minAmount: { USDT: { amount: 50_000_000n, decimals: 6 } } };
      const result = traceCase({ db, casePath: null, seeds, options });
      expect(result.endpoints.some((e) => e.category === 'hub')).toBe(true);
      const seedIds = seeds.flatMap((s) => resolveTransferIds(db, s));
      const select = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck();
      expect(resultAsReference(result, (rail, ident) => Number(select.get(rail, ident)))).toEqual(
        referenceOverCase(db, seedIds, rule, { maxHops: 3, stopAtDegree: 100, minAmount: { USDT: 50_000_000n } }),
      );
    },
  );

  it.each(RULE_NAMES.filter((r) => r !== 'poison'))("%s conserves in each wallet's own trace", (rule) => {
    expect(perWallet.get(rule)!.filter((r) => !r.totals.conserved)).toEqual([]);
  });

  it('names the exchange hot wallets reached, and poison bounds every rule', () => {
    const figures = Object.fromEntries(
      RULE_NAMES.map((rule) => {
        const traces = perWallet.get(rule)!;
        return [
          rule,
          { endpoints: sum(traces.flatMap((r) => r.endpoints.map((e) => e.amount))), held: sum(traces.flatMap((r) => r.held.map((h) => h.amount))) },
        ];
      }),
    );
    // Figures obtained by this engine, and for fifo, lifo, libr and pro-rata also by the independent
    // reference replay (test above, on the all-wallet trace).
    expect(figures).toEqual({
      fifo: { endpoints: '30273696.896236', held: '3634302.091431' },
      lifo: { endpoints: '30255305.983555', held: '3646503.004112' },
      'pro-rata': { endpoints: '30265608.361100', held: '3640492.564976' },
      libr: { endpoints: '30245943.655237', held: '3660715.431354' },
      poison: { endpoints: '73813112.461814', held: '8774720.126062' },
    });
    for (const rule of RULE_NAMES)
      expect(BigInt(figures.poison!.endpoints.replace('.', ''))).toBeGreaterThanOrEqual(BigInt(figures[rule]!.endpoints.replace('.', '')));
    // The two fixture files interleave 44 wallets' exports: no address is in every row, so no holder's
    // own history is in the case and none is a freeze candidate (DESIGN rule 10): all are last seen.
    expect([...new Set(results.get('fifo')!.held.map((h) => h.history.class))]).toEqual(['last-seen']);
    const labels = new Set(perWallet.get('fifo')!.flatMap((r) => r.endpoints.flatMap((e) => e.labels)));
    expect([...labels].sort()).toEqual(['Binance-Hot 1', 'Binance-Hot 2', 'Huobi 1', 'MXC', 'Okex 1', 'Okex 4', 'Okex 5', 'Okex 6', 'Okex 7']);
  });
});
