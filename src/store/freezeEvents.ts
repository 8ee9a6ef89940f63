import type { FreezeEvent, FreezeEventKind } from '../model/freeze.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

/** Stores one event inside the source's transaction; the same event from another list is stored once. */
export function insertFreezeEvent(db: Db, sourceId: number, line: number, e: FreezeEvent): boolean {
  return (
    db
      .prepare(
        'INSERT OR IGNORE INTO usdt_freeze_events (rail, address, event, time, block, tx, log_index, amount, source_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.rail, e.address, e.event, e.time, e.block ?? null, e.tx ?? null, e.logIndex ?? null, e.amount ?? null, sourceId, line).changes > 0
  );
}

/** The freeze events the case holds for these addresses, with the source and line each came from. */
export function selectFreezeEvents(db: Db, rail: 'ethereum' | 'tron', addresses: readonly string[]): FreezeEvent[] {
  if (addresses.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT e.*, s.path FROM usdt_freeze_events e JOIN sources s ON s.id = e.source_id
       WHERE e.rail = ? AND e.address IN (SELECT value FROM json_each(?)) ORDER BY e.address, e.time, e.id`,
    )
    .all(rail, JSON.stringify(addresses)) as Record<string, unknown>[];
  return rows.map((r) => freezeEventOf(rail, r));
}

/** A stored freeze event with its source's path (either backend's row: integers as bigint or text). */
export function freezeEventOf(rail: 'ethereum' | 'tron', r: Record<string, unknown>): FreezeEvent {
  return {
    rail,
    address: r['address'] as string,
    event: r['event'] as FreezeEventKind,
    time: toNumber(r['time']),
    ...(r['block'] === null ? {} : { block: toNumber(r['block']) }),
    ...(r['tx'] === null ? {} : { tx: r['tx'] as string }),
    ...(r['log_index'] === null ? {} : { logIndex: toNumber(r['log_index']) }),
    ...(r['amount'] === null ? {} : { amount: amountFromDb(r['amount']) }),
    origin: `${r['path'] as string}:${toNumber(r['line'])}`,
  };
}

/** The chains the case holds any freeze list for (a list says who is not frozen, too, as of its events). */
export function selectFreezeListRails(db: Db): ('ethereum' | 'tron')[] {
  return db.prepare('SELECT DISTINCT rail FROM usdt_freeze_events ORDER BY rail').pluck().all() as ('ethereum' | 'tron')[];
}
