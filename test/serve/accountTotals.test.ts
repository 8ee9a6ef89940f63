import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { COUNTERPARTY_WINDOW, refreshAccountTotals } from '../../src/store/accountTotals.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { findAccount, selectAccountSummary, selectNeighbours } from '../../src/store/explore.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { ANNA, KEVIN, buildDemoCase } from '../support/workbench.js';

/**
 * account_totals: per account, side, asset and decimals, the count, exact sum and first/last time
 * of its transfers, folded in by each import and kept by triggers when transfers are deleted or
 * changed. Up to its mark it must equal the same totals grouped from the transfers: after an
 * import, after remove-source, and when a case file is migrated; readers add what lies past it.
 */
const RECOMPUTED = `SELECT account_id, side, asset, decimals, COUNT(*) AS n FROM (
  SELECT from_id AS account_id, 0 AS side, asset, decimals, amount, time FROM transfers UNION ALL SELECT to_id, 1, asset, decimals, amount, time FROM transfers)
  GROUP BY account_id, side, asset, decimals ORDER BY account_id, side, asset, decimals`;
const STORED = `SELECT account_id, side, asset, decimals, n FROM account_totals ORDER BY account_id, side, asset, decimals`;

function compare(db: Db): number {
  const recomputed = db.prepare(RECOMPUTED).all();
  const stored = db.prepare(STORED).all();
  expect(stored).toEqual(recomputed);
  // The sums exactly, as bigint (SQLite's own SUM is exact here: the demo's amounts are small).
  for (const [column, side] of [
    ['from_id', 0],
    ['to_id', 1],
  ] as const) {
    const sums = db
      .prepare(
        `SELECT (SELECT SUM(amount) FROM transfers WHERE ${column} = t.account_id AND asset = t.asset AND decimals = t.decimals) AS expected, t.hi * 1000000000 + t.lo AS stored FROM account_totals t WHERE side = ?`,
      )
      .all(side) as { expected: bigint; stored: bigint }[];
    for (const s of sums) expect(s.stored).toBe(s.expected);
  }
  return stored.length;
}

describe('account_totals', () => {
  it('equals the totals grouped from the transfers after the demo imports, after remove-source, and after a migration of an older case file', () => {
    const demo = buildDemoCase();
    const db = openCaseDb(demo, { readonly: true });
    expect(compare(db)).toBeGreaterThan(60);
    db.close();

    // remove-source deletes a statement's transfers (and moves sightings to other sources).
    const removed = join(tempDir('hoptrace-totals-'), 'case.db');
    copyFileSync(demo, removed);
    const sources = JSON.parse(hoptrace(['--db', removed, 'sources', '--json']).stdout) as { id: number; path: string }[];
    const kevin = sources.find((s) => s.path.endsWith('mule-kevin-schulz.csv'))!;
    expect(hoptrace(['--db', removed, 'remove-source', String(kevin.id)]).status).toBe(0);
    const after = openCaseDb(removed, { readonly: true });
    compare(after);
    after.close();

    // A case file from before the table: the migration fills it from its transfers.
    const older = join(tempDir('hoptrace-totals-'), 'case.db');
    copyFileSync(demo, older);
    const raw = new Database(older);
    raw.exec(
      // As it was before that migration (and the later ones: the tag sightings' confidence).
      `DELETE FROM meta WHERE key = 'account_totals_through'; DROP TRIGGER account_totals_delete; DROP TRIGGER account_totals_update; DROP TABLE account_totals; ALTER TABLE tag_sightings DROP COLUMN confidence; PRAGMA user_version = ${MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE account_totals'))};`,
    );
    raw.close();
    const migrated = openCaseDb(older);
    compare(migrated);
    // Its triggers then keep it: a changed amount and time move the totals with them.
    migrated.prepare('UPDATE transfers SET amount = amount + 1, time = time - 86400000 WHERE id = 2').run();
    compare(migrated);
    migrated.close();
  });

  it('counts transfers past its mark, folds them in at the next import (refresh), and never misses an id SQLite hands out again', () => {
    const path = join(tempDir('hoptrace-totals-'), 'case.db');
    copyFileSync(buildDemoCase(), path);
    const db = openCaseDb(path);
    const kevin = findAccount(db, KEVIN)!;
    const anna = findAccount(db, `bank:${ANNA}`)!;
    const received = () => selectAccountSummary(db, kevin).balances.map((b) => [b.received, b.transfersIn, b.balance]);
    const mark = () => Number(db.prepare("SELECT value FROM meta WHERE key = 'account_totals_through'").pluck().get());
    const maxId = () => Number(db.prepare('SELECT MAX(id) FROM transfers').pluck().get());
    expect(mark()).toBe(maxId());
    expect(received()).toEqual([['55100.00', 7, '9300.00']]);
    // A transfer written past the mark (no import has folded it in yet): readers add it.
    const insert = db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('bank', 'EUR', NULL, 2, ?, ?, ?, ?, ?, 0, 1, 999)",
    );
    insert.run(10_000n, anna.id, kevin.id, Date.UTC(2025, 4, 1), 'RAW-1');
    expect(mark()).toBe(maxId() - 1);
    expect(received()).toEqual([['55200.00', 8, '9400.00']]);
    refreshAccountTotals(db);
    expect(mark()).toBe(maxId());
    compare(db);
    expect(received()).toEqual([['55200.00', 8, '9400.00']]);
    // Deleting the highest id lowers the mark: the id SQLite hands out next is past it again.
    const highest = maxId();
    db.prepare('DELETE FROM transfers WHERE id = ?').run(highest);
    expect(mark()).toBe(highest - 1);
    expect(received()).toEqual([['55100.00', 7, '9300.00']]);
    insert.run(25_000n, anna.id, kevin.id, Date.UTC(2025, 4, 2), 'RAW-2');
    expect(maxId()).toBe(highest);
    expect(received()).toEqual([['55350.00', 8, '9550.00']]);
    refreshAccountTotals(db);
    compare(db);
    expect(received()).toEqual([['55350.00', 8, '9550.00']]);
    db.close();
  });

  it("answers for an account as before: Kevin's balances, counts and counterparties", () => {
    const db = openCaseDb(buildDemoCase(), { readonly: true });
    const a = selectAccountSummary(db, findAccount(db, KEVIN)!);
    expect(a.balances.map((b) => [b.asset, b.received, b.sent, b.transfersIn, b.transfersOut])).toEqual([['EUR', '55100.00', '45800.00', 7, 4]]);
    expect(a.transfers).toEqual({ in: 7, out: 4, counterparties: 5 });
    db.close();
  });
});

describe(`an account with more than ${COUNTERPARTY_WINDOW} transfers either way`, () => {
  it('has exact balances and counts; counterparties are counted, and neighbours ranked, over its latest transfers each way, and the answer says so', () => {
    expect(COUNTERPARTY_WINDOW).toBe(2_000);
    const db = openCaseDb(join(tempDir('hoptrace-hub-'), 'case.db'));
    db.prepare(
      "INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES (1, 'generated', ?, 0, 'test', '{}', '2024-01-01T00:00:00Z')",
    ).run('0'.repeat(64));
    const account = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
    const transfer = db.prepare(
      "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
    );
    db.transaction(() => {
      for (let i = 1; i <= 2_101; i++) account.run(i, `T${String(i).padStart(33, '0')}`);
      // The hub (1) pays 2,100 accounts 1.000001 USDT each, oldest to account 2; account 2,101 pays it back twice, last.
      for (let i = 2; i <= 2_101; i++) transfer.run(1_000_001n, 1, i, 1_700_000_000_000 + i * 1000, `out${i}`, i);
      transfer.run(5_000_000n, 2_101, 1, 1_800_000_000_000, 'in1', 1);
      transfer.run(7_000_000n, 2_101, 1, 1_800_000_001_000, 'in2', 2);
    })();
    const hub = findAccount(db, `tron:T${'1'.padStart(33, '0')}`)!;
    const a = selectAccountSummary(db, hub);
    expect(a.balances.map((b) => [b.received, b.sent, b.balance, b.transfersIn, b.transfersOut])).toEqual([
      ['12.000000', '2100.002100', '-2088.002100', 2, 2_100],
    ]);
    // The latest 2,000 payments reach accounts 102–2,101; 2–101 are older.
    expect(a.transfers).toEqual({ in: 2, out: 2_100, counterparties: 2_000, counterpartiesInLatest: 2_000 });
    const n = selectNeighbours(db, hub, 3);
    expect(n.rankedInLatest).toBe(2_000);
    expect(n.omitted).toBe(1_997);
    // Account 2,101: three transfers with the hub (one paid, two received), the busiest; then 102 and 103 (ties by id).
    expect(n.neighbours.map((m) => [m.ident, m.sent.map((f) => `${f.count}×${f.amount}`), m.received.map((f) => `${f.count}×${f.amount}`)])).toEqual([
      [`T${'2101'.padStart(33, '0')}`, ['1×1.000001'], ['2×12.000000']],
      [`T${'102'.padStart(33, '0')}`, ['1×1.000001'], []],
      [`T${'103'.padStart(33, '0')}`, ['1×1.000001'], []],
    ]);
    expect(n.neighbours[0]!.received[0]).toMatchObject({ first: '2027-01-15T08:00:00.000Z', last: '2027-01-15T08:00:01.000Z' });
    // From the small side: account 2,101's one counterparty is the hub (read through its own index).
    const small = selectNeighbours(db, findAccount(db, `tron:T${'2101'.padStart(33, '0')}`)!, 200);
    expect(small.neighbours.map((m) => [m.ident, m.sent.map((f) => `${f.count}×${f.amount}`), m.received.map((f) => `${f.count}×${f.amount}`)])).toEqual([
      [hub.ident, ['2×12.000000'], ['1×1.000001']],
    ]);
    expect(small.rankedInLatest).toBeUndefined();
    expect(selectAccountSummary(db, findAccount(db, `tron:T${'2101'.padStart(33, '0')}`)!).transfers).toEqual({ in: 1, out: 2, counterparties: 1 });
    db.close();
  });
});
