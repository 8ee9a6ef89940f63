import { describe, expect, it } from 'vitest';
import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { AccountBalances, unsetSlots } from '../../src/cluster/accountSlots.js';
import { accountIdBound } from '../../src/cluster/heuristics/soleRecipient.js';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import type { ClusterAccount } from '../../src/cluster/types.js';

const account = (id: number): ClusterAccount => ({
  id,
  rail: 'tron',
  ident: `T${id}`,
  holderNorm: null,
  bank: null,
  service: false,
  exchange: false,
  labels: [],
});

describe('AccountBalances', () => {
  it('keeps balances exactly, those beyond 2^64 − 1 too, and back', () => {
    const balances = new AccountBalances(4);
    expect(balances.get(3)).toBe(0n);
    balances.set(1, 2n ** 64n - 1n);
    balances.set(2, 2n ** 64n + 5n);
    expect([balances.get(1), balances.get(2)]).toEqual([2n ** 64n - 1n, 2n ** 64n + 5n]);
    balances.set(2, balances.get(2) - 10n);
    expect(balances.get(2)).toBe(2n ** 64n - 5n);
    balances.set(2, 7n);
    expect(balances.get(2)).toBe(7n);
  });

  it('starts every account slot as NaN (no value yet)', () => {
    expect([...unsetSlots(3)]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });
});

describe('accountIdBound', () => {
  it('is one past the largest account id of the accounts and the transfers', () => {
    const transfers = TransferColumns.of([{ id: 1, from: 4, to: 9, asset: 'USDT', amount: 1n, time: 1, decimals: 6 }]);
    expect(accountIdBound({ accounts: AccountColumns.of([account(5)]), transfers })).toBe(10);
    expect(accountIdBound({ accounts: AccountColumns.of([account(12)]), transfers })).toBe(13);
  });

  it('refuses ids an array cannot be indexed by, rather than dropping their transfers', () => {
    const transfers = TransferColumns.of([{ id: 1, from: -3, to: 2, asset: 'USDT', amount: 1n, time: 1, decimals: 6 }]);
    expect(() => accountIdBound({ accounts: new AccountColumns(), transfers })).toThrow('account ids from -3 to 2: clustering indexes accounts 0 to 268435455');
  });
});
