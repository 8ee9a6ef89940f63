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
