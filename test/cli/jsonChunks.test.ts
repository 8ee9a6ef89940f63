import { describe, expect, it } from 'vitest';
import { jsonArrayBatches, jsonArrayChunks, jsonChunks } from '../../src/cli/jsonChunks.js';

const join = (value: unknown, depth?: number): string => [...jsonChunks(value, depth)].join('');

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes, in pieces', () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { x: [1, { y: 'z' }] });
    const values: unknown[] = [
      {
        params: { depositEpsilon: 0.01, heuristics: ['deposit', 'funder'] },
        clusters: [
          {
            id: 1,
            size: 2,
            labels: [],
            accounts: [
              { rail: 'tron', ident: 'TA' },
              { rail: 'tron', ident: 'TB' },
            ],
          },
        ],
        merges: [{ a: 'tron:TA', b: 'tron:TB', evidence: ['0xab', '0xcd'], reason: 'line one\nline "two" — ü' }],
        conflicts: [],
        skipped: undefined,
        fn: () => 1,
        empty: {},
        nested: { deeper: { deepest: [[], [[1]], { q: null }] } },
      },
      [undefined, () => 2, null, 0, -0, 1e21, 'text', [], {}, [{ a: undefined }], new Date(Date.UTC(2026, 11, 2)), nullProto],
      [],
      {},
      { only: undefined },
      'plain',
      42,
      null,
      true,
      { date: new Date(0), toJSONObject: { toJSON: () => ({ as: 'json' }) } },
    ];
    for (const value of values) for (const depth of [0, 1, 2, 3, 6]) expect(join(value, depth)).toBe(JSON.stringify(value, null, 2));
    expect(join(undefined)).toBe('undefined');
  });

  it('writes an array of items taken one by one from a generator as JSON.stringify writes the array', () => {
    const items: unknown[] = [
      { typology: 'cycle', accounts: [{ rail: 'tron', ident: 'TA', tags: [] }], params: { k: [1, { j: 'x\ny' }] } },
      [],
      {},
      undefined,
      'text',
      0,
      [[1]],
    ];
    function* taken(count: number): Generator<unknown> {
      for (let i = 0; i < count; i++) yield items[i];
    }
    for (const count of [0, 1, 2, items.length])
      for (const depth of [1, 2, 3]) expect([...jsonArrayChunks(taken(count), depth)].join('')).toBe(JSON.stringify(items.slice(0, count), null, 2));
  });

  it('writes an array of items taken in batches as JSON.stringify writes the array, whatever the batch size', () => {
    const items: unknown[] = [
      { typology: 'cycle', accounts: [{ rail: 'tron', ident: 'TA', tags: [] }], params: { k: [1, { j: 'x\ny — ü' }] }, evidence: ['a', 'b'] },
      [],
      {},
      undefined,
      () => 3,
      'text',
      0,
      null,
      [[1], { nested: [] }],
      new Date(Date.UTC(2026, 11, 5)),
      { toJSON: () => ({ as: 'json' }) },
      { gone: undefined },
    ];
    function* taken(count: number): Generator<unknown> {
      for (let i = 0; i < count; i++) yield items[i];
    }
    for (let count = 0; count <= items.length; count++)
      for (const batch of [1, 2, 3, 5, 256]) {
        const chunks = [...jsonArrayBatches(taken(count), batch)];
        expect(chunks.join(''), `${count} items, batches of ${batch}`).toBe(JSON.stringify(items.slice(0, count), null, 2));
        // One piece per batch, and the closing bracket.
        expect(chunks.length).toBe(Math.ceil(count / batch) + 1);
      }
  });

  it('yields the members of large arrays one by one instead of one string', () => {
    const chunks = [...jsonChunks({ merges: Array.from({ length: 1000 }, (_, i) => ({ a: i })) })];
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(40);
  });
});
