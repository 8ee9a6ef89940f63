import { describe, expect, it } from 'vitest';
import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { readDeferredAccounts } from '../../src/store/accountColumnsReader.js';
import { sourcedCase } from '../support/sourcedCase.js';

describe('readDeferredAccounts', () => {
  it('reads every account with its rail, holder and bank, over chunks and gaps wider than a chunk, idents left to read', () => {
    const db = sourcedCase('hoptrace-account-columns-', ['TA', 'TB']);
    const account = db.prepare('INSERT INTO accounts (id, rail, ident, holder_norm, bank) VALUES (?, ?, ?, ?, ?)');
    account.run(3, 'bank', 'DE89370400440532013000', 'anna schmidt', 'DE37040044');
    account.run(5, 'ethereum', '0xabc', null, null);
    account.run(6, 'exchange', 'binance:42', 'bo li', null);
    account.run(100, 'bank', 'GB29NWBK60161331926819', null, 'NWBKGB2L');
    const expected = [
      { id: 1, rail: 'tron', ident: 'TA', holderNorm: null, bank: null, service: false, exchange: false, labels: [] },
      { id: 2, rail: 'tron', ident: 'TB', holderNorm: null, bank: null, service: false, exchange: false, labels: [] },
      { id: 3, rail: 'bank', ident: 'DE89370400440532013000', holderNorm: 'anna schmidt', bank: 'DE37040044', service: false, exchange: false, labels: [] },
      { id: 5, rail: 'ethereum', ident: '0xabc', holderNorm: null, bank: null, service: false, exchange: false, labels: [] },
      { id: 6, rail: 'exchange', ident: 'binance:42', holderNorm: 'bo li', bank: null, service: false, exchange: false, labels: [] },
      { id: 100, rail: 'bank', ident: 'GB29NWBK60161331926819', holderNorm: null, bank: 'NWBKGB2L', service: false, exchange: false, labels: [] },
    ];
    for (const idsPerChunk of [1, 2, 4, 4_096]) {
      const accounts = new AccountColumns();
      readDeferredAccounts(db, accounts, idsPerChunk);
      const asked: number[][] = [];
      accounts.deferIdents((ids) => {
        asked.push([...ids]);
        const idents = new Map<number, string>();
        for (const id of ids) idents.set(id, expected.find((a) => a.id === id)!.ident);
        return idents;
      });
      expect([...accounts.ids()], `${idsPerChunk}`).toEqual([1, 2, 3, 5, 6, 100]);
      accounts.loadIdents(accounts.ids());
      // No ident was read with the accounts: all six are asked for at once.
      expect(asked).toEqual([[1, 2, 3, 5, 6, 100]]);
      expect([...accounts.ids()].map((id) => accounts.get(id))).toEqual(expected);
    }
    db.close();
  });
});
