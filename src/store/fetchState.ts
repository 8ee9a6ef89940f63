import type { Db } from './caseStore.js';
import { toNumber } from './caseStore.js';

/**
 * Live-fetch state kept in the case file, so an interrupted fetch resumes where it stopped: each
 * fetched range or page is committed together with its checkpoint, in one transaction, so what is
 * stored and what the checkpoint says was stored can never disagree.
 */
export function readCheckpoint<T>(db: Db, key: string): T | undefined {
  const value = db.prepare('SELECT value FROM fetch_checkpoints WHERE key = ?').pluck().get(key) as string | undefined;
  return value === undefined ? undefined : (JSON.parse(value) as T);
}

/** Call inside the transaction that stores what the checkpoint describes. */
export function writeCheckpoint(db: Db, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO fetch_checkpoints (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), new Date().toISOString());
}

/** Block timestamps (Unix seconds) already fetched, for the blocks asked. */
export function readBlockTimes(db: Db, rail: string, blocks: readonly number[]): Map<number, number> {
  const found = new Map<number, number>();
  const select = db.prepare('SELECT time FROM block_times WHERE rail = ? AND block = ?').pluck();
  for (const block of blocks) {
    const time = select.get(rail, block);
    if (time !== undefined) found.set(block, toNumber(time));
  }
  return found;
}

export function writeBlockTimes(db: Db, rail: string, times: ReadonlyMap<number, number>): void {
  const insert = db.prepare('INSERT OR IGNORE INTO block_times (rail, block, time) VALUES (?, ?, ?)');
  for (const [block, time] of times) insert.run(rail, block, time);
}
