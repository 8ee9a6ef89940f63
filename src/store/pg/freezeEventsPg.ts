import type pg from 'pg';
import type { FreezeEvent } from '../../model/freeze.js';
import { freezeEventOf } from '../freezeEvents.js';

/**
 * `hoptrace status` on PostgreSQL: the freeze events a case holds for these addresses, as
 * ../freezeEvents.ts (selectFreezeEvents) reads them from a case file, in the same order (text in
 * byte order, as SQLite compares it).
 */
export async function selectFreezeEventsPg(client: pg.Client, rail: 'ethereum' | 'tron', addresses: readonly string[]): Promise<FreezeEvent[]> {
  if (addresses.length === 0) return [];
  const result = await client.query<Record<string, unknown>>(
    `SELECT e.address, e.event, e.time::text AS time, e.block::text AS block, e.tx, e.log_index::text AS log_index, e.amount::text AS amount, e.line::text AS line, s.path
     FROM usdt_freeze_events e JOIN sources s ON s.id = e.source_id
     WHERE e.rail = $1 AND e.address = ANY($2::text[]) ORDER BY e.address COLLATE "C", e.time, e.id`,
    [rail, [...addresses]],
  );
  return result.rows.map((r) => freezeEventOf(rail, r));
}

/** selectFreezeListRails on a PostgreSQL case. */
export async function selectFreezeListRailsPg(client: pg.Client): Promise<('ethereum' | 'tron')[]> {
  const result = await client.query<{ rail: 'ethereum' | 'tron' }>('SELECT DISTINCT rail FROM usdt_freeze_events ORDER BY rail');
  return result.rows.map((r) => r.rail);
}
