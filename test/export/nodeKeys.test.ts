import { describe, expect, it } from 'vitest';
import { NodeKeys } from '../../src/export/graph/nodeKeys.js';

describe('the node keys a whole-case export keeps for its edges', () => {
  /** Ids as a case hands them out: gaps where accounts without transfers are, and one past 2^32. */
  const IDS = [1, 2, 5, 9, 10, 1000, 65_537, 2 ** 40 + 3];

  function keys(): NodeKeys {
    const keyOf = new NodeKeys();
    for (const id of IDS) keyOf.add(id, `tron:T${id}`);
    return keyOf;
  }

  it('finds each account it was given, past the first growth of its list', () => {
    const keyOf = new NodeKeys();
    for (let id = 3; id <= 3 * 3000; id += 3) keyOf.add(id, `ethereum:0x${id.toString(16)}`);
    expect(keyOf.size).toBe(3000);
    expect(keyOf.get(3)).toBe('ethereum:0x3');
    expect(keyOf.get(3 * 1024)).toBe('ethereum:0xc00');
    expect(keyOf.get(3 * 1025)).toBe('ethereum:0xc03');
    expect(keyOf.get(9000)).toBe('ethereum:0x2328');
    expect(keyOf.get(3 * 1024 + 1)).toBeUndefined();
  });

  it('gives each id its own key, and none for an account it drew no node for', () => {
    const keyOf = keys();
    expect(keyOf.size).toBe(8);
    expect(IDS.map((id) => keyOf.get(id))).toEqual(IDS.map((id) => `tron:T${id}`));
    for (const absent of [0, 3, 4, 6, 11, 999, 65_536, 2 ** 40 + 2, 2 ** 40 + 4, -1]) expect(keyOf.get(absent)).toBeUndefined();
  });

  it('finds dense ids by their index and sparse ones by search, before and after later additions', () => {
    // 1 to 10 without 4 and 7: dense (8 keys over 10 ids).
    const dense = new NodeKeys();
    for (const id of [1, 2, 3, 5, 6, 8, 9, 10]) dense.add(id, `tron:T${id}`);
    expect([0, 1, 4, 7, 10, 11, -3].map((id) => dense.get(id))).toEqual([undefined, 'tron:T1', undefined, undefined, 'tron:T10', undefined, undefined]);
    // An account added after a look-up is found too, also far past the others (the ids turn sparse).
    dense.add(12, 'tron:T12');
    expect([10, 11, 12].map((id) => dense.get(id))).toEqual(['tron:T10', undefined, 'tron:T12']);
    dense.add(1000, 'tron:T1000');
    expect([1, 12, 999, 1000, 1001].map((id) => dense.get(id))).toEqual(['tron:T1', 'tron:T12', undefined, 'tron:T1000', undefined]);
    dense.add(1001, 'tron:T1001');
    expect(dense.get(1001)).toBe('tron:T1001');
    expect(dense.size).toBe(11);
  });

  it('gives back every key past its chunks of ids and of bytes, a key running on from one byte chunk into the next, and keys beyond ASCII', () => {
    // 40,000 keys: ids in three chunks of 16,384; 20 to 30 bytes each, about 1 MB of bytes in four
    // chunks of 256 KiB, so some keys straddle two of them.
    const keyOf = new NodeKeys();
    const keyFor = (id: number): string =>
      id % 997 === 0
        ? `bank:Kontoinhaber Müller ${id}`
        : id % 1009 === 0
          ? `bank:银行账户${id}`
          : id % 1013 === 0
            ? `bank:tab\there ${id}`
            : `ethereum:0x${id.toString(16).padStart(12 + (id % 7), '0')}`;
    const ids = Array.from({ length: 40_000 }, (_, i) => 10 + i * 2);
    for (const id of ids) keyOf.add(id, keyFor(id));
    expect(keyOf.size).toBe(40_000);
    const wrong = ids.filter((id) => keyOf.get(id) !== keyFor(id));
    expect(wrong).toEqual([]);
    expect(keyOf.get(10 + 997 * 2)).toBe(keyFor(10 + 997 * 2));
    expect(keyOf.get(1994)).toBe('bank:Kontoinhaber Müller 1994');
    expect(keyOf.get(2018)).toBe('bank:银行账户2018');
    expect(keyOf.get(2026)).toBe('bank:tab\there 2026');
    expect([9, 11, 10 + 40_000 * 2].map((id) => keyOf.get(id))).toEqual([undefined, undefined, undefined]);
  });

  it('gives back a key longer than a chunk of bytes whole', () => {
    const keyOf = new NodeKeys();
    const long = `bank:${'x'.repeat(600_000)}`;
    keyOf.add(1, 'tron:T1');
    keyOf.add(2, long);
    keyOf.add(3, 'tron:T3');
    expect(keyOf.get(2)).toBe(long);
    expect([keyOf.get(1), keyOf.get(3)]).toEqual(['tron:T1', 'tron:T3']);
  });

  it('holds nothing when no account was drawn', () => {
    const keyOf = new NodeKeys();
    expect(keyOf.size).toBe(0);
    expect(keyOf.get(1)).toBeUndefined();
  });

  it('refuses an id that does not ascend: binary search would miss it', () => {
    const keyOf = keys();
    expect(() => keyOf.add(2 ** 40 + 3, 'tron:again')).toThrow('NodeKeys: account 1099511627779 after 1099511627779: ids must ascend');
    expect(() => keyOf.add(7, 'tron:T7')).toThrow('NodeKeys: account 7 after 1099511627779: ids must ascend');
    expect(keyOf.size).toBe(8);
  });
});
