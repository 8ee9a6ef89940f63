import { describe, expect, it } from 'vitest';
import { ActiveAccounts } from '../../src/trace/activeAccounts.js';

describe('ActiveAccounts', () => {
  it('answers by account id and asset, and lists in the order added across assets', () => {
    const actives = new ActiveAccounts<string>();
    actives.add(7, 'USDT', 'a');
    actives.add(7, 'EUR', 'b');
    actives.add(3, 'USDT', 'c');
    expect(actives.get(7, 'USDT')).toBe('a');
    expect(actives.get(7, 'EUR')).toBe('b');
    expect(actives.get(3, 'USDT')).toBe('c');
    expect(actives.get(3, 'EUR')).toBeUndefined();
    expect(actives.get(7, 'ETH')).toBeUndefined();
    expect(actives.values()).toEqual(['a', 'b', 'c']);
  });
});
