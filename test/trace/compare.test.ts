import { describe, expect, it } from 'vitest';
import { compareTraces, comparisonRows } from '../../src/trace/compare.js';
import { ADDRESS, loadFixtureTrace } from '../support/reportFixtures.js';

/** The hand-worked FIFO and pro-rata traces of test/fixtures/hoptrace-made/report (README there). */
describe('compareTraces on the hand-worked mule ledger', () => {
  const comparison = compareTraces([loadFixtureTrace('fifo'), loadFixtureTrace('pro-rata')]);

  it('gives per victim paid, and per rule what reached endpoints, is held, or stopped', () => {
    const none = {};
    expect(comparison).toEqual({
      rules: ['fifo', 'pro-rata'],
      victims: [
        {
          rail: 'tron',
          ident: ADDRESS.V1,
          paid: { USDT: '3000.000000' },
          byRule: {
            fifo: { atEndpoints: { USDT: '1200.000000' }, held: { USDT: '1800.000000' }, beyondHopLimit: none, belowThreshold: none },
            // 385.714285 at E; held W1 1,875 + W2 578.571429 + M 160.714286.
            'pro-rata': { atEndpoints: { USDT: '385.714285' }, held: { USDT: '2614.285715' }, beyondHopLimit: none, belowThreshold: none },
          },
        },
        {
          rail: 'tron',
          ident: ADDRESS.V2,
          paid: { USDT: '2000.000000' },
          byRule: {
            fifo: { atEndpoints: none, held: { USDT: '2000.000000' }, beyondHopLimit: none, belowThreshold: none },
            // 685.714285 at E; held W2 1,028.571429 + M 285.714286.
            'pro-rata': { atEndpoints: { USDT: '685.714285' }, held: { USDT: '1314.285715' }, beyondHopLimit: none, belowThreshold: none },
          },
        },
      ],
      endpoints: [
        {
          rail: 'tron',
          ident: ADDRESS.E,
          category: 'exchange',
          labels: loadFixtureTrace('fifo').endpoints[0]!.labels,
          asset: 'USDT',
          byRule: { fifo: '1200.000000', 'pro-rata': '1071.428570' },
        },
      ],
    });
  });

  it('flags the largest spread of each kind and asset', () => {
    expect(
      comparisonRows(comparison).map((r) => [
        r.kind,
        r.label.replace(ADDRESS.V1, 'V1').replace(ADDRESS.V2, 'V2').split(' (')[0],
        r.measure,
        r.spread,
        r.largest,
      ]),
    ).toEqual([
      ['victim', 'tron:V1', 'at endpoints', '814.285715', true],
      ['victim', 'tron:V1', 'held', '814.285715', true],
      ['victim', 'tron:V2', 'at endpoints', '685.714285', false],
      ['victim', 'tron:V2', 'held', '685.714285', false],
      ['endpoint', `exchange: tron:${ADDRESS.E}`, 'reached', '128.571430', true],
    ]);
  });

  it('refuses traces of different seeds or limits', () => {
    const other = loadFixtureTrace('pro-rata');
    other.params.maxHops = 3;
    expect(() => compareTraces([loadFixtureTrace('fifo'), other])).toThrow('the pro-rata trace has other limits than the fifo trace');
    const fewer = loadFixtureTrace('pro-rata');
    fewer.seeds = fewer.seeds.slice(1);
    expect(() => compareTraces([loadFixtureTrace('fifo'), fewer])).toThrow('the pro-rata trace has other seeds than the fifo trace');
  });
});
