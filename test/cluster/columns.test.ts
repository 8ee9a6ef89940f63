import { describe, expect, it } from 'vitest';
import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { Proposals } from '../../src/cluster/proposals.js';
import { UnionFind } from '../../src/cluster/unionFind.js';

describe('AccountColumns', () => {
  it('holds accounts by id, with holder and bank, and reads them back as objects', () => {
    const accounts = new AccountColumns(2);
    accounts.add(7, 'bank', 'DE89370400440532013000', 'anna schmidt', 'DE37040044');
    accounts.add(3, 'tron', 'TXa', null, null);
    accounts.add(2000, 'ethereum', '0xab', null, null);
    expect([accounts.size, accounts.bound, [...accounts.ids()]]).toEqual([3, 2001, [3, 7, 2000]]);
    expect([accounts.has(3), accounts.has(4), accounts.has(-1), accounts.has(5000)]).toEqual([true, false, false, false]);
    expect(accounts.get(7)).toEqual({
      id: 7,
      rail: 'bank',
      ident: 'DE89370400440532013000',
      holderNorm: 'anna schmidt',
      bank: 'DE37040044',
      service: false,
      exchange: false,
      labels: [],
    });
    expect(accounts.get(4)).toBeUndefined();
    expect([accounts.rail(2000), accounts.ident(2000), accounts.holderNorm(3), accounts.bank(3)]).toEqual(['ethereum', '0xab', null, null]);
  });

  it('reads deferred idents when first asked for, in batches of the accounts not read yet', () => {
    const accounts = new AccountColumns();
    for (const id of [1, 2, 5, 9]) accounts.addDeferred(id, 'tron', null, null);
    accounts.add(3, 'tron', 'T3', null, null);
    const batches: number[][] = [];
    accounts.deferIdents((ids) => {
      batches.push([...ids]);
      return new Map(ids.map((id) => [id, `T${id}`]));
    });
    expect(accounts.ident(5)).toBe('T5');
    // 5 is read already, 3 was never deferred, 4 and 100 are not accounts.
    accounts.loadIdents([1, 2, 3, 4, 5, 100]);
    expect([1, 2, 3, 5].map((id) => accounts.ident(id))).toEqual(['T1', 'T2', 'T3', 'T5']);
    expect(accounts.get(9)).toEqual({ id: 9, rail: 'tron', ident: 'T9', holderNorm: null, bank: null, service: false, exchange: false, labels: [] });
    expect(batches).toEqual([[5], [1, 2], [9]]);
  });

  it('reads tags as the heuristics need them: services, exchanges, entity labels and categories, each once', () => {
    const accounts = new AccountColumns();
    for (const id of [1, 2, 3, 4]) accounts.add(id, 'tron', `T${id}`, null, null);
    accounts.tag(1, 'exchange', 'Binance hot wallet');
    accounts.tag(2, 'otc', 'OTC desk');
    accounts.tag(3, 'scam_operator', 'Golden Lotus');
    accounts.tag(3, 'sanctioned', 'OFAC SDN');
    accounts.tag(3, 'scam_operator', 'Golden Lotus');
    accounts.tag(4, 'victim', 'Robert Chen');
    accounts.tag(9, 'exchange', 'not an account of the case');
    expect([1, 2, 3, 4].map((id) => [accounts.isService(id), accounts.isExchange(id)])).toEqual([
      [true, true],
      [true, false],
      [false, false],
      [false, false],
    ]);
    expect(accounts.get(3)).toMatchObject({ labels: ['Golden Lotus', 'OFAC SDN'], categories: ['scam_operator', 'sanctioned'] });
    expect(accounts.get(1)?.labels).toEqual([]);
    expect(accounts.get(4)?.categories).toEqual(['victim']);
    expect([accounts.labelled(), accounts.tagged(), accounts.has(9)]).toEqual([[3], [1, 2, 3, 4], false]);
  });

  it('refuses an id that is not a row id', () => {
    expect(() => new AccountColumns().add(1.5, 'tron', 'T', null, null)).toThrow('account id 1.5: expected a row id (an integer from 0)');
  });
});

describe('Proposals', () => {
  it('keeps each proposal with its own evidence and reason, and orders them strongest first', () => {
    const list = new Proposals(1);
    const reason = 'emptied itself into TC, a collector of 2 wallets';
    list.push(9, 4, 'sweep', 60, [11], reason);
    list.push(4, 8, 'sweep', 60, [12], reason);
    list.push(5, 2, 'manual', 100, [], 'same person');
    list.push(3, 1, 'deposit', 80, [1, 2, 3], 'a deposit address');
    list.push(2, 5, 'funder', 100, [7, 8], 'a funder');
    expect(list.rows()).toEqual([
      { a: 9, b: 4, heuristic: 'sweep', confidence: 60, evidence: [11], reason },
      { a: 4, b: 8, heuristic: 'sweep', confidence: 60, evidence: [12], reason },
      { a: 5, b: 2, heuristic: 'manual', confidence: 100, evidence: [], reason: 'same person' },
      { a: 3, b: 1, heuristic: 'deposit', confidence: 80, evidence: [1, 2, 3], reason: 'a deposit address' },
      { a: 2, b: 5, heuristic: 'funder', confidence: 100, evidence: [7, 8], reason: 'a funder' },
    ]);
    // Confidence first, then the pair's smaller and larger id; a tie keeps the order proposed.
    expect([...list.strengthOrder()]).toEqual([2, 4, 3, 1, 0]);
    const copied = new Proposals();
    copied.copy(list, 3);
    expect(copied.rows()).toEqual([list.row(3)]);
    expect(Proposals.of(list.rows()).rows()).toEqual(list.rows());
  });
});

describe('UnionFind', () => {
  it('lists components of two or more ids, members ascending, ordered by their smallest id', () => {
    const uf = new UnionFind(10);
    uf.union(9, 4);
    uf.union(2, 7);
    uf.union(7, 5);
    uf.union(4, 1);
    uf.find(3);
    expect(uf.components()).toEqual([
      [1, 4, 9],
      [2, 5, 7],
    ]);
    expect(uf.find(5)).toBe(uf.find(2));
  });
});
