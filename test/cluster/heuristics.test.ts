import { describe, expect, it } from 'vitest';
import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import { clusterAccounts } from '../../src/cluster/clusterAccounts.js';
import { DEFAULT_CLUSTER_PARAMS, type ClusterAccount, type ClusterData, type HeuristicName } from '../../src/cluster/types.js';
import { generateScenario, pairwiseScores } from '../support/clusterScenario.js';

function tiny(accounts: Partial<ClusterAccount>[], transfers: [number, number, bigint, string, number][]): ClusterData {
  return {
    accounts: AccountColumns.of(
      accounts.map((a, i) => ({
        id: i + 1,
        rail: 'tron',
        ident: `A${i + 1}`,
        holderNorm: null,
        bank: null,
        service: false,
        exchange: false,
        labels: [],
        ...a,
      })),
    ),
    transfers: TransferColumns.of(transfers.map(([from, to, amount, asset, time], i) => ({ id: i + 1, from, to, amount, asset, time }))),
  };
}

const H = 3_600_000;
const run = (data: ClusterData, heuristics: HeuristicName[], extra = {}) =>
  clusterAccounts({ data, params: { ...DEFAULT_CLUSTER_PARAMS, ...extra }, heuristics });

describe('each heuristic on small exact cases', () => {
  it('funder: wallets first funded by one funder merge; a funder of too many wallets is a service', () => {
    const data = tiny(
      [{}, {}, {}, {}],
      [
        [1, 2, 10n, 'TRX', 1],
        [1, 3, 10n, 'TRX', 2],
        [4, 2, 10n, 'TRX', 3], // a later top-up by someone else does not count
      ],
    );
    expect(run(data, ['funder']).components).toEqual([[2, 3]]);
    expect(run(data, ['funder'], { funderMaxFanOut: 1 }).components).toEqual([]);
  });

  it('sweep: wallets that empty themselves into one collector merge with it; one sweeper is not enough', () => {
    const data = tiny(
      [{}, {}, {}, {}, {}],
      [
        [5, 1, 1000n, 'USDT', 0],
        [5, 2, 500n, 'USDT', 1],
        [1, 3, 990n, 'USDT', H],
        [2, 3, 500n, 'USDT', 2 * H],
        [5, 4, 800n, 'USDT', 3 * H],
        [4, 3, 100n, 'USDT', 4 * H], // 12.5 % of its balance: not a sweep
      ],
    );
    expect(
      run(data, ['sweep'])
        .merges.rows()
        .map((m) => [m.a, m.b]),
    ).toEqual([
      [3, 1],
      [3, 2],
    ]);
    expect(run(data, ['sweep'], { sweepMinWallets: 3 }).components).toEqual([]);
    expect(run(data, ['sweep'], { sweepWindowHours: 0.5 }).components).toEqual([]);
  });

  it('deposit: the payers of an address that forwards everything to an exchange are one customer', () => {
    const data = tiny(
      [{ service: true, exchange: true }, {}, {}, {}, {}],
      [
        [3, 2, 100n, 'USDT', 0],
        [2, 1, 100n, 'USDT', H],
        [4, 2, 50n, 'USDT', 2 * H],
        [2, 1, 50n, 'USDT', 3 * H],
        [5, 4, 1n, 'USDT', 4 * H],
      ],
    );
    expect(run(data, ['deposit']).components).toEqual([[2, 3, 4]]);
    // Each merge cites the payer's payment in and the transfer that forwarded that payment on.
    expect(
      run(data, ['deposit'])
        .merges.rows()
        .map((m) => [m.b, m.evidence]),
    ).toEqual([
      [3, [1, 2]],
      [4, [3, 4]],
    ]);
    // Forwarding after the window, or keeping more than ε, is not a deposit address.
    expect(run(data, ['deposit'], { depositWindowHours: 0.5 }).components).toEqual([]);
  });

  it('deposit: a wallet that holds its balance for weeks, or is fed mostly by exchange withdrawals, is no deposit address', () => {
    const D = 24 * H;
    // 2 takes 170,000 from the exchange, sits on it 24 days while clients 3 and 4 pay in (each paid
    // on to the exchange within the hour), then sends the rest: an exchange house, not a customer.
    const house = tiny(
      [{ service: true, exchange: true }, {}, {}, {}],
      [
        [1, 2, 170_000n, 'USDT', 0],
        [3, 2, 500n, 'USDT', 6 * D],
        [2, 1, 500n, 'USDT', 6 * D + H],
        [4, 2, 800n, 'USDT', 12 * D],
        [2, 1, 800n, 'USDT', 12 * D + H],
        [2, 1, 170_000n, 'USDT', 24 * D],
      ],
    );
    expect(run(house, ['deposit']).components).toEqual([]);
    // The same payments without the withdrawal held: a deposit address, its payers one customer.
    const deposit = tiny(
      [{ service: true, exchange: true }, {}, {}, {}],
      [
        [3, 2, 500n, 'USDT', 6 * D],
        [2, 1, 500n, 'USDT', 6 * D + H],
        [4, 2, 800n, 'USDT', 12 * D],
        [2, 1, 800n, 'USDT', 12 * D + H],
      ],
    );
    expect(run(deposit, ['deposit']).components).toEqual([[2, 3, 4]]);
    // Fed mostly by exchange withdrawals (each forwarded at once): not a deposit address either.
    const fed = tiny(
      [{ service: true, exchange: true }, {}, {}, {}],
      [
        [1, 2, 9_000n, 'USDT', 0],
        [2, 1, 9_000n, 'USDT', H],
        [3, 2, 500n, 'USDT', 2 * H],
        [2, 1, 500n, 'USDT', 3 * H],
      ],
    );
    expect(run(fed, ['deposit']).components).toEqual([]);
    expect(run(fed, ['deposit'], { depositMaxServiceShare: 1 }).components).toEqual([[2, 3]]);
  });

  it('sweep: a round trip back to the collector is not a sweep', () => {
    // 5 pays 1 and 2; each sends the same sum straight back (its only receipt came from 5).
    const data = tiny(
      [{}, {}, {}, {}, {}],
      [
        [5, 1, 1000n, 'USDT', 0],
        [5, 2, 500n, 'USDT', 1],
        [1, 5, 1000n, 'USDT', H],
        [2, 5, 500n, 'USDT', 2 * H],
      ],
    );
    expect(run(data, ['sweep']).components).toEqual([]);
  });

  it('never merges through a tagged service, and refuses to join two labelled entities', () => {
    const service = tiny(
      [{ service: true }, {}, {}],
      [
        [1, 2, 10n, 'TRX', 1],
        [1, 3, 10n, 'TRX', 2],
      ],
    );
    expect(run(service, ['funder']).components).toEqual([]);
    const labelled = tiny(
      [{}, { labels: ['Operator A'] }, { labels: ['Operator B'] }],
      [
        [1, 2, 10n, 'TRX', 1],
        [1, 3, 10n, 'TRX', 2],
      ],
    );
    const result = run(labelled, ['funder']);
    expect(result.components).toEqual([]);
    expect(result.conflicts.map((c) => c.reason)).toEqual(['would join differently labelled entities: Operator A / Operator B']);
  });

  it('bank-holder: same normalised holder at the same bank', () => {
    const data = tiny(
      [
        { rail: 'bank', ident: 'DE29100100100987654321', holderNorm: 'kevin schulz' },
        { rail: 'bank', ident: 'DE11100100100000000001', holderNorm: 'kevin schulz' },
        { rail: 'bank', ident: 'DE73200411330112233445', holderNorm: 'kevin schulz' },
      ],
      [],
    );
    expect(run(data, ['bank-holder']).components).toEqual([[1, 2]]);
  });
});

describe('measured accuracy on generated ground truth', () => {
  // Seeds 1–3 were used to choose the defaults; these are other scenarios.
  const seeds = [101, 202, 303, 404, 505];
  it.each(['funder', 'sweep', 'deposit'] as HeuristicName[])('%s: pairwise precision ≥ 0.95', (heuristic) => {
    for (const seed of seeds) {
      const { data, owner } = generateScenario(seed);
      const scores = pairwiseScores(run(data, [heuristic]).components, owner);
      expect(scores.predictedPairs, `seed ${seed}`).toBeGreaterThan(0);
      expect(scores.precision, `seed ${seed}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('all heuristics together: precision ≥ 0.95, and the recall the README states', () => {
    const recalls: number[] = [];
    for (const seed of seeds) {
      const { data, owner } = generateScenario(seed);
      const scores = pairwiseScores(run(data, ['deposit', 'funder', 'sweep']).components, owner);
      expect(scores.precision, `seed ${seed}`).toBeGreaterThanOrEqual(0.95);
      recalls.push(scores.recall);
    }
    // Measured: recall 0.812–0.844 over these seeds (with the adversarial exchange houses and round
    // trips, which no heuristic merges); funder, sweep and deposit alone reach 0.37–0.47, 0.75–0.81, 0.35–0.48.
    expect(Math.min(...recalls)).toBeGreaterThanOrEqual(0.8);
  });
});
