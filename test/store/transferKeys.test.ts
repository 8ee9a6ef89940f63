import { describe, expect, it } from 'vitest';
import { MAX_KEYS, TransferKeys } from '../../src/store/transferKeys.js';

const hash = (i: number): string => i.toString(16).padStart(64, '0');

describe('TransferKeys: the keys of a load while the key index waits', () => {
  it('finds a stored key again, and the transfers stored under the same rail and ref, through its growth', () => {
    const keys = new TransferKeys();
    // 300,000 keys (the table grows from 65,536 slots to 1,048,576): a transaction of two legs every tenth.
    let id = 0;
    for (let i = 0; i < 270_000; i++) {
      keys.lookup('tron', hash(i), 0);
      expect(keys.sameKey).toEqual([]);
      expect(keys.add(++id)).toBe(true);
      if (i % 9 === 0) {
        keys.lookup('tron', hash(i), 1);
        // The first leg is under the same (rail, ref), not the same key.
        expect(keys.sameRef).toEqual([id]);
        expect(keys.sameKey).toEqual([]);
        expect(keys.add(++id)).toBe(true);
      }
    }
    expect(keys.size).toBe(300_000);
    // Every key is found as its own (hashes may also match another: the writer reads a match back by id).
    let wrong = 0;
    id = 0;
    for (let i = 0; i < 270_000; i++) {
      keys.lookup('tron', hash(i), 0);
      if (!keys.sameKey.includes(++id)) wrong++;
      if (i % 9 === 0) {
        keys.lookup('tron', hash(i), 1);
        if (!keys.sameKey.includes(++id) || !keys.sameRef.includes(id - 1)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    // Another rail, another seq of 53 bits, another ref: none of them is stored.
    keys.lookup('ethereum', hash(5), 0);
    expect(keys.sameKey).toEqual([]);
    keys.lookup('tron', hash(5), 2 ** 52 + 1);
    expect(keys.sameKey).toEqual([]);
    keys.lookup('tron', hash(270_000), 0);
    expect(keys.sameRef).toEqual([]);
  });

  it('takes no key past MAX_KEYS and no id a slot cannot hold', () => {
    const keys = new TransferKeys();
    expect(keys.add(0)).toBe(false);
    expect(keys.add(2 ** 32)).toBe(false);
    for (let i = 1; i <= MAX_KEYS; i++) {
      keys.lookup('tron', String(i), 0);
      if (!keys.add(i)) throw new Error(`key ${i} refused`);
    }
    expect(keys.size).toBe(2_097_152);
    keys.lookup('tron', 'one more', 0);
    expect(keys.add(MAX_KEYS + 1)).toBe(false);
    expect(keys.size).toBe(2_097_152);
    keys.lookup('tron', '17', 0);
    expect(keys.sameKey).toContain(17);
  });
});
