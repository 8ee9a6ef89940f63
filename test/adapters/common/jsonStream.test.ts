import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJsonItemBatches, readJsonItems, type JsonItemsSpec, type JsonStreamEvent } from '../../../adapters/common/jsonStream.js';
import { fixture } from '../../support/cli.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function events(text: string, spec: JsonItemsSpec, size = 1 << 20): Promise<JsonStreamEvent[]> {
  const out: JsonStreamEvent[] = [];
  for await (const event of readJsonItems('doc.json', chunked(text, size), spec)) out.push(event);
  return out;
}

const DATA: JsonItemsSpec = { itemKeys: ['data'], rootArrayItems: false };

describe('JSON items streamed with their lines', () => {
  it('hands out the items of the real TronGrid fixture as JSON.parse reads them, at every chunking', async () => {
    const text = readFileSync(fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json'), 'utf8');
    const document = JSON.parse(text) as Record<string, { data: unknown[]; success: boolean; meta: unknown }>;
    const [[account, page]] = Object.entries(document) as [[string, { data: unknown[]; success: boolean; meta: unknown }]];
    // Lines where a data[] item opens: the lines holding exactly six spaces and "{".
    const lines = text.split('\n').flatMap((line, i) => (line === '      {' ? [i + 1] : []));
    for (const size of [1, 7, 333, 4096, 1 << 20]) {
      const out = await events(text, DATA, size);
      const items = out.filter((e) => e.kind === 'item');
      expect(
        items.map((e) => e.value),
        `chunks of ${size}`,
      ).toEqual(page.data);
      expect(items.map((e) => e.line)).toEqual(lines);
      expect(items.every((e) => e.path.join('/') === `${account}/data`)).toBe(true);
      expect(out.at(-1)).toEqual({ kind: 'end', skeleton: { [account]: { data: [], success: true, meta: page.meta } }, itemArrays: 1 });
    }
  });

  it('keeps escapes, nested arrays and strings with brackets inside items intact across chunks', async () => {
    const items = [{ a: 'x"}]{[\\\\', b: [1, [2, { c: '\\u00e9\\n' }]] }, { empty: {} }, { s: '\\\\"' }];
    const text = `{"data": [\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n], "next": "q=\\"1\\""}`;
    for (const size of [1, 2, 3, 5, 1 << 20]) {
      const out = await events(text, DATA, size);
      expect(
        out.filter((e) => e.kind === 'item').map((e) => [e.line, e.value]),
        `chunks of ${size}`,
      ).toEqual(items.map((item, i) => [i + 2, item]));
      expect(out.at(-1)).toEqual({ kind: 'end', skeleton: { data: [], next: 'q="1"' }, itemArrays: 1 });
    }
  });

  it('reads a bare array of items, and arrays of pages', async () => {
    const logs = await events('[\n {"n": 1},\n {"n": 2}\n]', { itemKeys: ['result'], rootArrayItems: true });
    expect(logs).toEqual([
      { kind: 'item', value: { n: 1 }, line: 2, path: [] },
      { kind: 'item', value: { n: 2 }, line: 3, path: [] },
      { kind: 'end', skeleton: [], itemArrays: 1 },
    ]);
    const pages = await events('[{"data": [{"n": 1}]},\n{"data": [{"n": 2}], "meta": {"page_size": 1}}]', DATA, 4);
    expect(pages.filter((e) => e.kind === 'item').map((e) => [e.line, e.path])).toEqual([
      [1, [0, 'data']],
      [2, [1, 'data']],
    ]);
    expect(pages.at(-1)).toEqual({ kind: 'end', skeleton: [{ data: [] }, { data: [], meta: { page_size: 1 } }], itemArrays: 2 });
  });

  it('goes from item to item over commas, spaces and line ends of every kind, objects or not, at every chunking', async () => {
    const text = '{"data": [ {"a":1} ,\r\n\t{"b":[1,2]}\n,\n[3, {"c":4}],\n"s",\n  7 ,{"d":"}"}\n\n], "n": 1}';
    for (const size of [1, 2, 3, 7, 1 << 20]) {
      const out = await events(text, DATA, size);
      expect(
        out.map((e) => (e.kind === 'item' ? [e.line, e.value] : e.skeleton)),
        `chunks of ${size}`,
      ).toEqual([[1, { a: 1 }], [2, { b: [1, 2] }], [4, [3, { c: 4 }]], [5, 's'], [6, 7], [6, { d: '}' }], { data: [], n: 1 }]);
    }
    // Two commas: the empty item between them is the error, on its line.
    await expect(events('{"data": [{"a":1},\n ,{"b":2}]}', DATA)).rejects.toMatchObject({
      message: expect.stringMatching(/^invalid JSON in the record starting on line 2: /),
      line: 2,
    });
  });

  it('names the line of what is wrong', async () => {
    await expect(events('{"data": [\n{"n": 1},\n{"n": 2', DATA, 3)).rejects.toMatchObject({ message: 'JSON ends early (truncated download?)', line: 3 });
    await expect(events('{"data": [\n{"n": 1},\n{"n": 2,}\n]}', DATA)).rejects.toMatchObject({ line: 3 });
    await expect(events('{"data": [\n{"n": 1},\n]}', DATA)).rejects.toMatchObject({ message: "invalid JSON: a ',' followed by ']' (trailing comma)", line: 3 });
    await expect(events('{"data": [], "x": tru}', DATA)).rejects.toMatchObject({ message: 'invalid JSON: unexpected "tru"', line: 1 });
    await expect(events('{"data": []}\n{"data": []}', DATA)).rejects.toMatchObject({ line: 2 });
    await expect(events('  \n ', DATA)).rejects.toMatchObject({ message: 'empty file' });
    await expect(events('"text"', DATA)).rejects.toMatchObject({ message: 'not a JSON document: it starts with "\\"text\\"", not with { or [' });
  });

  it('parses the items of a chunk together, and still names the first bad one before a later problem', async () => {
    const text = '{"data": [\n{"n": 1},\n{"n": 2},\n{"n": 3}\n]}';
    const batches: JsonStreamEvent[][] = [];
    for await (const events of readJsonItemBatches('doc.json', chunked(text, 1 << 20), DATA)) batches.push(events);
    expect(batches).toEqual([
      [
        { kind: 'item', value: { n: 1 }, line: 2, path: ['data'] },
        { kind: 'item', value: { n: 2 }, line: 3, path: ['data'] },
        { kind: 'item', value: { n: 3 }, line: 4, path: ['data'] },
      ],
      [{ kind: 'end', skeleton: { data: [] }, itemArrays: 1 }],
    ]);
    // The second item is not JSON, and a comma is missing after the third: the item comes first in the file, and is named.
    const bad = '{"data": [\n{"n": 1},\n{"n": 02},\n{"n": 3}\n{"n": 4}]}';
    for (const size of [5, 1 << 20]) {
      await expect(events(bad, DATA, size), `chunks of ${size}`).rejects.toMatchObject({
        message: expect.stringMatching(/^invalid JSON in the record starting on line 3: /),
        line: 3,
      });
    }
    await expect(events('{"data": [\n{"n": 1},\n{"n": 3}\n{"n": 4}]}', DATA)).rejects.toMatchObject({
      message: 'invalid JSON: expected \',\' or \']\', found "{\\"n\\": 4}]}"',
      line: 4,
    });
  });
});
