import type pg from 'pg';

/**
 * Live-fetch state on PostgreSQL: the checkpoints and block times of ../fetchState.ts, the same
 * rows (docs/postgresql.md, "Fetching into PostgreSQL"). Writes belong in the transaction that
 * stores what the checkpoint describes.
 */
export async function readCheckpointPg<T>(client: pg.Client, key: string): Promise<T | undefined> {
  const row = (await client.query<{ value: string }>('SELECT value FROM fetch_checkpoints WHERE key = $1', [key])).rows[0];
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

export async function writeCheckpointPg(client: pg.Client, key: string, value: unknown): Promise<void> {
  await client.query(
    `INSERT INTO fetch_checkpoints (key, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [key, JSON.stringify(value), new Date().toISOString()],
  );
}

/** The stored times of the blocks asked, in the order asked (as the case file's look-up gives them). */
export async function readBlockTimesPg(client: pg.Client, rail: string, blocks: readonly number[]): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  if (blocks.length === 0) return found;
  const rows = await client.query<{ block: string; time: string }>(
    'SELECT block::text AS block, time::text AS time FROM block_times WHERE rail = $1 AND block = ANY($2::bigint[])',
    [rail, blocks],
  );
  const times = new Map(rows.rows.map((r) => [Number(r.block), Number(r.time)]));
  for (const block of blocks) {
    const time = times.get(block);
    if (time !== undefined) found.set(block, time);
  }
  return found;
}

export async function writeBlockTimesPg(client: pg.Client, rail: string, times: ReadonlyMap<number, number>): Promise<void> {
  if (times.size === 0) return;
  await client.query('INSERT INTO block_times (rail, block, time) SELECT $1, b, t FROM UNNEST($2::bigint[], $3::bigint[]) AS u(b, t) ON CONFLICT DO NOTHING', [
    rail,
    [...times.keys()],
    [...times.values()],
  ]);
}

export async function isSourceStoredPg(client: pg.Client, sha256: string, adapter: string, options: string): Promise<boolean> {
  const found = await client.query('SELECT 1 FROM sources WHERE sha256 = $1 AND adapter = $2 AND options = $3 LIMIT 1', [sha256, adapter, options]);
  return found.rows.length > 0;
}
