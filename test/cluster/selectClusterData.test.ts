import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amountToDb, openCaseDb } from '../../src/store/caseStore.js';
import { selectClusterData, selectTransferRefs } from '../../src/store/clusters.js';
import { tempDir } from '../support/cli.js';
import { sourcedCase } from '../support/sourcedCase.js';

describe('selectClusterData', () => {
  it('reads accounts with their tags and every transfer in time order, amounts exact at any size', () => {
    const db = openCaseDb(join(tempDir('hoptrace-cluster-data-'), 'case.db'));
    db.prepare(
      "INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES (1, 'generated', ?, 0, 'test', '{}', '2024-01-01T00:00:00Z')",
    ).run('0'.repeat(64));
    const account = db.prepare('INSERT INTO accounts (id, rail, ident, holder_norm, bank) VALUES (?, ?, ?, ?, ?)');
    const tag = db.prepare("INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (?, ?, ?, 'test', 100)");
    const transfer = db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', ?, NULL, ?, ?, ?, ?, ?, ?, 0, 1, ?)",
    );
    // Past 2^53 a plain number is inexact: those amounts are read again exactly.
    const amounts = [5n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 62n + 7n];
    db.transaction(() => {
      account.run(1, 'tron', 'TA', null, null);
      account.run(2, 'tron', 'TB', null, null);
      account.run(4, 'bank', 'DE89370400440532013000', 'anna schmidt', 'DE37040044');
      tag.run(2, 'exchange', 'Exchange hot wallet');
      tag.run(1, 'scam_operator', 'Golden Lotus');
      amounts.forEach((amount, i) => {
        transfer.run('USDT', 6, amountToDb(amount), 1, 2, 1_700_000_000_000 - i * 1000, `t${i}`, i + 1);
      });
      transfer.run('ETH', 18, 7, 2, 4, 1_700_000_000_000, 'e', 5);
    })();
    const data = selectClusterData(db);
    expect([...data.accounts.ids()].map((id) => data.accounts.get(id))).toEqual([
      {
        id: 1,
        rail: 'tron',
        ident: 'TA',
        holderNorm: null,
        bank: null,
        service: false,
        exchange: false,
        labels: ['Golden Lotus'],
        categories: ['scam_operator'],
      },
      { id: 2, rail: 'tron', ident: 'TB', holderNorm: null, bank: null, service: true, exchange: true, labels: [], categories: ['exchange'] },
      { id: 4, rail: 'bank', ident: 'DE89370400440532013000', holderNorm: 'anna schmidt', bank: 'DE37040044', service: false, exchange: false, labels: [] },
    ]);
    expect(data.transfers.rows()).toEqual([
      { id: 4, from: 1, to: 2, asset: 'USDT', amount: 2n ** 62n + 7n, time: 1_699_999_997_000, decimals: 6 },
      { id: 3, from: 1, to: 2, asset: 'USDT', amount: 2n ** 63n - 1n, time: 1_699_999_998_000, decimals: 6 },
      { id: 2, from: 1, to: 2, asset: 'USDT', amount: 2n ** 53n + 1n, time: 1_699_999_999_000, decimals: 6 },
      { id: 1, from: 1, to: 2, asset: 'USDT', amount: 5n, time: 1_700_000_000_000, decimals: 6 },
      { id: 5, from: 2, to: 4, asset: 'ETH', amount: 7n, time: 1_700_000_000_000, decimals: 18 },
    ]);
    // With idents read when asked for, the accounts read the same.
    const deferred = selectClusterData(db, { deferIdents: true }).accounts;
    expect([...deferred.ids()].map((id) => deferred.get(id))).toEqual([...data.accounts.ids()].map((id) => data.accounts.get(id)));
    db.close();
  });
});

describe('selectTransferRefs', () => {
  it('names each transfer by its ref, ids in any order and repeated, and one not in the case as transfer:ID', () => {
    const { db, transfer } = refsCase();
    for (const id of [3, 10, 25_000, 40_001]) transfer.run(id, `0x${id}`);
    const refs = selectTransferRefs(db, [40_001, 3, 99, 10, 3, 25_000, 10]);
    expect([...refs].sort(([a], [b]) => a - b)).toEqual([
      [3, '0x3'],
      [10, '0x10'],
      [99, 'transfer:99'],
      [25_000, '0x25000'],
      [40_001, '0x40001'],
    ]);
    db.close();
  });

  it('reads a ref JSON cannot hold (a blob) as the row-by-row lookup does', () => {
    const { db, transfer } = refsCase();
    transfer.run(3, '0x3');
    transfer.run(4, Buffer.from([1, 2]));
    expect([...selectTransferRefs(db, [4, 3, 5])].sort(([a], [b]) => a - b)).toEqual([
      [3, '0x3'],
      [4, Buffer.from([1, 2])],
      [5, 'transfer:5'],
    ]);
    db.close();
  });
});

/** Two Tron accounts and a statement storing a USDT transfer between them by (id, ref). */
function refsCase() {
  const db = sourcedCase('hoptrace-refs-', ['TA', 'TB']);
  const transfer = db.prepare(
    "INSERT INTO transfers (id, rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES (?, 'tron', 'USDT', NULL, 6, 1, 1, 2, 0, ?, 0, 1, 1)",
  );
  return { db, transfer };
}
