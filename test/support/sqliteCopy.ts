import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { SqliteTraceLedger } from '../../src/store/traceLedger.js';
import type { TraceLedger } from '../../src/trace/ledger.js';
import { MemoryLedger } from './memoryLedger.js';

/**
 * The same ledger in a real case file (in memory, the real schema), with the same account and
 * transfer ids, so a test written against MemoryLedger runs unchanged on SqliteTraceLedger.
 */
export function sqliteCopy(memory: MemoryLedger): { ledger: SqliteTraceLedger; db: Db } {
  const db = openCaseDb(':memory:');
  db.transaction(() => {
    const source = Number(
      db
        .prepare("INSERT INTO sources (path, sha256, size, adapter, options, imported_at) VALUES ('memory-ledger', ?, 0, 'test', '{}', '2026-01-01T00:00:00Z')")
        .run('0'.repeat(64)).lastInsertRowid,
    );
    const account = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
    memory.accountNames().forEach((name, i) => account.run(i + 1, name));
    const transfer = db.prepare(
      'INSERT INTO transfers (id, rail, asset, decimals, amount, from_id, to_id, time, ref, seq, block, log_index, source_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)',
    );
    for (const t of memory.transfers)
      transfer.run(t.id, t.rail, t.asset, t.decimals, t.amount, t.fromId, t.toId, t.time, `t${t.id}`, t.block, t.logIndex, source, t.id + 1);
    const tag = db.prepare("INSERT INTO tags (account_id, category, label, origin, confidence) VALUES (?, ?, ?, 'manual', 100)");
    for (const [id, info] of memory.endpointTags()) for (const label of info.labels.length ? info.labels : ['']) tag.run(id, info.category, label);
    const link = db.prepare('INSERT INTO links (fiat_id, crypto_id) VALUES (?, ?)');
    for (const [fiat, cryptos] of memory.linkMap()) for (const crypto of cryptos) link.run(fiat, crypto);
    // An opening balance counts from before the first transfer (time 0 precedes every test time).
    const opening = db.prepare('INSERT INTO opening_balances (account_id, asset, decimals, amount, time, source_id, line) VALUES (?, ?, ?, ?, 0, ?, 1)');
    for (const [key, amount] of memory.openings) {
      const [id, asset] = key.split('|');
      opening.run(Number(id), asset, asset === 'USDT' ? 6 : 2, amount, source);
    }
  })();
  return { ledger: new SqliteTraceLedger(db), db };
}

/** Both ledgers a trace test runs on: the engine's answer must not depend on the ledger. */
export const LEDGER_KINDS: [string, (memory: MemoryLedger) => TraceLedger][] = [
  ['in-memory ledger', (memory) => memory],
  ['SQLite ledger', (memory) => sqliteCopy(memory).ledger],
];
