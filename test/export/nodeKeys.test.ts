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
