import { describe, expect, it } from 'vitest';
import { RefHashSet } from '../../src/store/refHashSet.js';

describe('RefHashSet: the references a bank import has stored, as 64-bit hashes (src/store/bankMatch.ts)', () => {
  it('says whether (account, reference) was added before, through its growth', () => {
    const set = new RefHashSet();
    for (let i = 0; i < 300_000; i++) expect(set.addOrHas(1, `REF${i}`)).toBe(false);
    expect(set.size).toBe(300_000);
    for (let i = 0; i < 300_000; i += 997) expect(set.addOrHas(1, `REF${i}`)).toBe(true);
    // The same reference of another account is another key.
    expect(set.addOrHas(2, 'REF0')).toBe(false);
    expect(set.addOrHas(2, 'REF0')).toBe(true);
    expect(set.addOrHas(1, '')).toBe(false);
    expect(set.addOrHas(1, '')).toBe(true);
    expect(set.size).toBe(300_002);
  });

  it('tells apart two references that a 32-bit FNV-1a hash of account 1 could not', () => {
    // Both hash to the same 32 bits (the FNV-1a of the account and the reference, the hash used
    // before): with that hash the second line of a statement cost a query, and with the lines'
    // indexes deferred, building them in the middle of the import.
    const set = new RefHashSet();
    expect(set.addOrHas(1, 'REF001412789')).toBe(false);
    expect(set.addOrHas(1, 'REF001649192')).toBe(false);
    expect(set.addOrHas(1, 'REF001649192')).toBe(true);
  });
});
