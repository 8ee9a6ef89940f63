import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_NAMES } from '../../src/model/trace.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { SourceWriter } from '../../src/store/sourceWriter.js';
import { SqliteTraceLedger } from '../../src/store/traceLedger.js';
import { traceLedger } from '../../src/trace/engine.js';
import type { RawTrace } from '../../src/trace/rawTrace.js';
import { tempDir } from '../support/cli.js';
import { MemoryLedger } from '../support/memoryLedger.js';

/** Same ledger in memory and in a real case file: the SQLite ledger must trace identically. */
function buildBoth(seed: number, transfers: number) {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const memory = new MemoryLedger();
  const names = ['mule', 'a', 'b', 'c', 'd', 'e', 'x1'];
  memory.tag('x1', { category: 'exchange', labels: ['Exchange 1'] });
  const db = openCaseDb(join(tempDir(), 'case.db'));
  const writer = new SourceWriter(db, { path: 'generated.csv', sha256: 'f'.repeat(64), size: 0, adapter: 'test', options: '{}' });
  const seeds: number[] = [];
  for (let i = 0; i < transfers; i++) {
    // Several transfers share a timestamp, so the tie-breaks (block, log index, id) are exercised.
    const time = 1_600_000_000_000 + Math.floor(i / 3) * 1000;
    const victim = random() < 0.15;
    const from = victim ? `victim${i % 4}` : names[Math.floor(random() * 6)]!;
    let to = names[Math.floor(random() * names.length)]!;
    if (to === from) to = 'x1';
    const amount = BigInt(1 + Math.floor(random() * 10_000_000));
    const t = memory.add(from, to, amount, time);
    writer.addTransfer({
      rail: 'tron',
      asset: 'USDT',
      decimals: 6,
      amount,
      from: { rail: 'tron', ident: from },
      to: { rail: 'tron', ident: to },
      time,
      ref: `tx${i}`,
      seq: 0,
      line: i + 2,
    });
    if (victim) seeds.push(t.id);
  }
  writer.commit();
  const x1 = db.prepare("SELECT id FROM accounts WHERE ident = 'x1'").pluck().get();
  db.prepare("INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (?, 'exchange', 'Exchange 1', 'manual', 100)").run(x1);
  return { memory, db, seeds };
}

function normalise(raw: RawTrace, name: (id: number) => string) {
  const holdings = (list: RawTrace['held']) => list.map((h) => [name(h.accountId), h.asset, Object.fromEntries(h.bySeed)]).sort();
  return {
    endpoints: holdings(raw.endpoints),
    held: holdings(raw.held),
    edges: raw.edges.map((e) => [e.transfer.id, e.hop, e.outcome, Object.fromEntries(e.bySeed)]),
    unknown: raw.unknownSourceDraws.map((d) => [name(d.accountId), d.amount, d.transfers]).sort(),
  };
}

describe('SqliteTraceLedger', () => {
  it.each(RULE_NAMES)('traces %s exactly as the in-memory ledger, across pages of 512', (rule) => {
    const { memory, db, seeds } = buildBoth(7, 1600);
    const sqlite = new SqliteTraceLedger(db);
    const sqliteSeeds = seeds.map((id) => sqlite.transfer(id)!);
    const fromSqlite = traceLedger(sqlite, sqliteSeeds, { rule, maxHops: 4 });
    const fromMemory = traceLedger(
      memory,
      seeds.map((id) => memory.transfers[id - 1]!),
      { rule, maxHops: 4 },
    );
    expect(fromSqlite.edges.length).toBeGreaterThan(500);
    expect(normalise(fromSqlite, (id) => sqlite.account(id).ident)).toEqual(normalise(fromMemory, (id) => memory.name(id)));
    db.close();
  });

  it('computes the balance before a transfer from the account history and opening balances', () => {
    const { memory, db } = buildBoth(11, 300);
    const sqlite = new SqliteTraceLedger(db);
    const muleId = Number(db.prepare("SELECT id FROM accounts WHERE ident = 'mule'").pluck().get());
    for (const t of memory.transfers.filter((_, i) => i % 37 === 0)) {
      expect(sqlite.balanceBefore(muleId, 'USDT', sqlite.transfer(t.id)!)).toBe(memory.balanceBefore(memory.id('mule'), 'USDT', t));
    }
    db.close();
  });

  it('opens a hub past the one-read cap of 4,096 transfers exactly as the in-memory ledger', () => {
    const memory = new MemoryLedger();
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const writer = new SourceWriter(db, { path: 'hub.csv', sha256: 'e'.repeat(64), size: 0, adapter: 'test', options: '{}' });
    // 5,000 transfers of the hub (in, out, and to itself), and a small account with a few.
    for (let i = 0; i < 5000; i++) {
      const [from, to] = i % 97 === 0 ? ['hub', 'hub'] : i % 3 === 0 ? ['hub', `c${i % 50}`] : [`c${i % 50}`, 'hub'];
      const amount = BigInt(1_000 + ((i * 7919) % 100_000));
      const time = 1_600_000_000_000 + Math.floor(i / 2) * 1000;
      memory.add(from!, to!, amount, time);
      writer.addTransfer({
        rail: 'tron',
        asset: 'USDT',
        decimals: 6,
        amount,
        from: { rail: 'tron', ident: from! },
        to: { rail: 'tron', ident: to! },
        time,
        ref: `h${i}`,
        seq: 0,
        line: i + 2,
      });
    }
    writer.commit();
    const sqlite = new SqliteTraceLedger(db);
    const idOf = (name: string): number => Number(db.prepare('SELECT id FROM accounts WHERE ident = ?').pluck().get(name));
    for (const [name, atIndex] of [
      ['hub', 0],
      ['hub', 2500],
      ['hub', 4990],
      ['c7', 1234],
    ] as const) {
      const at = memory.transfers[atIndex]!;
      const fromSqlite = sqlite.openAccount(idOf(name), 'USDT', sqlite.transfer(at.id)!, 512);
      const fromMemory = memory.openAccount(memory.id(name), 'USDT', at, 512);
      expect(fromSqlite.balance).toBe(fromMemory.balance);
      expect(fromSqlite.after.map((t) => [t.id, t.amount])).toEqual(fromMemory.after.map((t) => [t.id, t.amount]));
    }
    expect(sqlite.openAccount(idOf('hub'), 'USDT', sqlite.transfer(4990)!, 512).after.map((t) => t.id)).toEqual([
      4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000,
    ]);
    db.close();
  });

  it('reads amounts past 2^53 and past 64 bits exactly when it opens an account', () => {
    const db = openCaseDb(join(tempDir(), 'case.db'));
    const writer = new SourceWriter(db, { path: 'wei.csv', sha256: 'd'.repeat(64), size: 0, adapter: 'test', options: '{}' });
    // 18-decimal token values: 2^53 + 1 (an INTEGER a JS number would round), 2^63 − 1 (the
    // largest INTEGER), 10^30 and 2^64 + 3 (stored as decimal TEXT), and a small one.
    const amounts = [2n ** 53n + 1n, 2n ** 63n - 1n, 10n ** 30n, 2n ** 64n + 3n, 7n];
    const parties: [string, string][] = [
      ['a', 'mule'],
      ['b', 'mule'],
      ['mule', 'c'],
      ['d', 'mule'],
      ['mule', 'e'],
    ];
    for (const [i, amount] of amounts.entries()) {
      writer.addTransfer({
        rail: 'ethereum',
        asset: 'WEI',
        decimals: 18,
        amount,
        from: { rail: 'ethereum', ident: parties[i]![0] },
        to: { rail: 'ethereum', ident: parties[i]![1] },
        time: 1_600_000_000_000 + i * 1000,
        ref: `w${i}`,
        seq: 0,
        line: i + 2,
      });
    }
    writer.commit();
    const mule = Number(db.prepare("SELECT id FROM accounts WHERE ident = 'mule'").pluck().get());
    const sqlite = new SqliteTraceLedger(db);
    // Opened at the third transfer: the two before it are its balance, the two after it follow.
    const opened = sqlite.openAccount(mule, 'WEI', sqlite.transfer(3)!, 512);
    expect(opened.balance).toBe(2n ** 53n + 1n + (2n ** 63n - 1n));
    expect(opened.after.map((t) => [t.id, t.rail, t.asset, t.decimals, t.amount, t.block, t.logIndex])).toEqual([
      [4, 'ethereum', 'WEI', 18, 2n ** 64n + 3n, null, null],
      [5, 'ethereum', 'WEI', 18, 7n, null, null],
    ]);
    // 10^30 out of about 9.2 × 10^18 leaves zero; then 2^64 + 3 comes in.
    expect(sqlite.openAccount(mule, 'WEI', sqlite.transfer(5)!, 512).balance).toBe(2n ** 64n + 3n);
    db.close();
  });

  it('preloads the accounts a result names in one read, with the values account() gives', () => {
    const { db } = buildBoth(3, 50);
    const idOf = (name: string): number => Number(db.prepare('SELECT id FROM accounts WHERE ident = ?').pluck().get(name));
    const [mule, x1, a] = [idOf('mule'), idOf('x1'), idOf('a')];
    const sqlite = new SqliteTraceLedger(db);
    sqlite.preloadAccounts([mule, x1, mule, 999_999]);
    // Renamed after the preload: the preloaded accounts answer from it, the others from the case.
    db.prepare("UPDATE accounts SET ident = ident || '-renamed' WHERE id IN (?, ?, ?)").run(mule, x1, a);
    expect([sqlite.account(mule), sqlite.account(x1), sqlite.account(a)]).toEqual([
      { rail: 'tron', ident: 'mule' },
      { rail: 'tron', ident: 'x1' },
      { rail: 'tron', ident: 'a-renamed' },
    ]);
    expect(() => sqlite.account(999_999)).toThrow('case file has no account 999999');
    db.close();
  });
});
