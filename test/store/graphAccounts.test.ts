import { describe, expect, it } from 'vitest';
import { iterateTransferEndAccounts, selectGraphAccounts, selectTransferEndAccounts, selectTransferEndIds } from '../../src/store/graphQueries.js';
import { sourcedCase } from '../support/sourcedCase.js';

/**
 * Five Tron accounts: 1 pays 2, 3 pays 1, 5 pays 2; account 4 has no transfer. Account 1 holds two
 * tags (one label twice, under two categories) and is in cluster 7 with account 5; account 2 has a holder.
 */
function graphCase() {
  const db = sourcedCase('graph-accounts', ['TA', 'TB', 'TC', 'TD', 'TE']);
  db.prepare("UPDATE accounts SET holder = 'B Holder' WHERE id = 2").run();
  const transfer = db.prepare(
    "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
  );
  transfer.run(5_000_000, 1, 2, 1000, 'r1', 2);
  transfer.run(7_000_000, 3, 1, 2000, 'r2', 3);
  transfer.run(1_000_000, 5, 2, 3000, 'r3', 4);
  const tag = db.prepare('INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (1, ?, ?, ?, 100)');
  tag.run('scam_operator', 'Golden Lotus', 'a');
  tag.run('mule', 'Golden Lotus', 'b');
  tag.run('mule', 'Runner', 'b');
  db.prepare('INSERT INTO clusters (account_id, cluster_id) VALUES (1, 7), (5, 7)').run();
  return db;
}

describe('the accounts a whole-case graph export draws', () => {
  it('are those at either end of a transfer, in id order, with their tags, holder and cluster', () => {
    const accounts = selectTransferEndAccounts(graphCase());
    expect([...accounts.values()]).toEqual([
      { id: 1, rail: 'tron', ident: 'TA', holder: null, cluster: 7, labels: ['Golden Lotus', 'Runner'], categories: ['mule', 'scam_operator'] },
      { id: 2, rail: 'tron', ident: 'TB', holder: 'B Holder', cluster: null, labels: [], categories: [] },
      { id: 3, rail: 'tron', ident: 'TC', holder: null, cluster: null, labels: [], categories: [] },
      { id: 5, rail: 'tron', ident: 'TE', holder: null, cluster: 7, labels: [], categories: [] },
    ]);
    expect([...accounts.keys()]).toEqual([1, 2, 3, 5]);
  });

  it('are the same as the accounts looked up from the transfers kept at a minimum of zero', () => {
    const db = graphCase();
    expect(selectTransferEndAccounts(db)).toEqual(
      selectGraphAccounts(
        db,
        selectTransferEndIds(db, () => 0n),
      ),
    );
  });

  it('each have lists of their own, so a cluster node adding to one changes no other', () => {
    const [, second, third] = [...selectTransferEndAccounts(graphCase()).values()];
    second!.labels.push('added');
    expect(third!.labels).toEqual([]);
  });

  it('come one at a time, each with its own tags from a walk of the tags beside the accounts', () => {
    const db = graphCase();
    // Tags on an account before the first one drawn (none: 0 has no row), on one without a transfer (4), and after the last (6).
    const tag = db.prepare('INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (?, ?, ?, ?, 100)');
    tag.run(4, 'exchange', 'Dormant', 'c');
    tag.run(3, 'exchange', 'Huione', 'c');
    tag.run(5, 'mule', 'Runner', 'c');
    tag.run(5, 'exchange', 'Alpha', 'c');
    const accounts = iterateTransferEndAccounts(db);
    expect(accounts.next().value).toEqual({
      id: 1,
      rail: 'tron',
      ident: 'TA',
      holder: null,
      cluster: 7,
      labels: ['Golden Lotus', 'Runner'],
      categories: ['mule', 'scam_operator'],
    });
    expect([...accounts]).toEqual([
      { id: 2, rail: 'tron', ident: 'TB', holder: 'B Holder', cluster: null, labels: [], categories: [] },
      { id: 3, rail: 'tron', ident: 'TC', holder: null, cluster: null, labels: ['Huione'], categories: ['exchange'] },
      { id: 5, rail: 'tron', ident: 'TE', holder: null, cluster: 7, labels: ['Alpha', 'Runner'], categories: ['exchange', 'mule'] },
    ]);
    expect([...iterateTransferEndAccounts(db)]).toEqual([...selectGraphAccounts(db, [1, 2, 3, 5]).values()]);
  });
});
