import { toNumber, type Db } from './caseStore.js';
import type { StoredDay } from '../ingest/contentOccurrences.js';

/**
 * The stored occurrence numbers of each content-named row of one day (src/ingest/contentOccurrences.ts),
 * one query per day through the transfers_time index.
 */
export function storedDayOf(db: Db, rail: string, asset: string): (time: number) => StoredDay {
  const statement = db.prepare('SELECT ref, seq FROM transfers WHERE time = ? AND rail = ? AND asset = ? ORDER BY ref, seq').raw(true);
  return (time) => {
    const seqs = new Map<string, number[]>();
    for (const [ref, seq] of statement.all(time, rail, asset) as [string, bigint][]) {
      const list = seqs.get(ref);
      if (list) list.push(toNumber(seq));
      else seqs.set(ref, [toNumber(seq)]);
    }
    return { seqs };
  };
}
