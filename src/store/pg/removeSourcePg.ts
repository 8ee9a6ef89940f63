import type pg from 'pg';
import { HoptraceError } from '../../model/errors.js';
import type { SourceInfo } from '../../model/types.js';
import { removalLogEntry, type RemovedSource } from '../removeSource.js';
import { appendLogPg } from './auditLogPg.js';
import { selectSourcesPg } from './sourcesPg.js';

/**
 * `hoptrace remove-source` on a PostgreSQL case: ../removeSource.ts statement for statement (what
 * only the source brought goes; a transfer another source saw stays, re-derived from the earliest
 * of those sightings), with the same counts and audit-log entry. Call it inside inWriteTransaction
 * (./pgCase.ts).
 */
export async function removeSourcePg(client: pg.Client, text: string): Promise<RemovedSource> {
  const result = await removeInTransaction(client, await resolveSourcePg(client, text));
  await appendLogPg(client, removalLogEntry(result));
  return result;
}

/** ../removeSource.ts: resolveSource, with the same messages. */
async function resolveSourcePg(client: pg.Client, text: string): Promise<SourceInfo> {
  const sources = await selectSourcesPg(client);
  if (/^\d+$/.test(text)) {
    const source = sources.find((s) => s.id === Number(text));
    if (!source) throw new HoptraceError(`no source ${text} in the case file`, { hint: 'hoptrace sources lists them' });
    return source;
  }
  const matches = sources.filter((s) => s.path === text);
  if (matches.length === 0)
    throw new HoptraceError(`no source with the path ${JSON.stringify(text)} in the case file`, {
      hint: 'give the path as hoptrace sources prints it, or the source id',
    });
  if (matches.length > 1)
    throw new HoptraceError(`${matches.length} sources have the path ${JSON.stringify(text)} (ids ${matches.map((s) => s.id).join(', ')})`, {
      hint: 'give the source id',
    });
  return matches[0]!;
}

async function removeInTransaction(client: pg.Client, source: SourceInfo): Promise<RemovedSource> {
  const id = source.id;
  const run = async (sql: string, params: unknown[] = [id]): Promise<number> => (await client.query(sql, params)).rowCount ?? 0;
  const ids = async (sql: string, params: unknown[] = [id]): Promise<number[]> =>
    (await client.query<{ id: string }>(sql, params)).rows.map((r) => Number(r.id));

  await run('CREATE TEMP TABLE removal_accounts ON COMMIT DROP AS SELECT id FROM accounts WHERE false', []);
  await run('CREATE TEMP TABLE removal_transfers ON COMMIT DROP AS SELECT id FROM transfers WHERE false', []);
  await run(
    `INSERT INTO removal_accounts (id)
     SELECT from_id FROM transfers WHERE source_id = $1 UNION SELECT to_id FROM transfers WHERE source_id = $1
     UNION SELECT account_id FROM tags WHERE source_id = $1 UNION SELECT account_id FROM bank_lines WHERE source_id = $1
     UNION SELECT account_id FROM opening_balances WHERE source_id = $1
     UNION SELECT t.from_id FROM transfers t JOIN sightings g ON g.transfer_id = t.id WHERE g.source_id = $1
     UNION SELECT t.to_id FROM transfers t JOIN sightings g ON g.transfer_id = t.id WHERE g.source_id = $1`,
  );
  await run('INSERT INTO removal_transfers (id) SELECT id FROM transfers WHERE source_id = $1 UNION SELECT transfer_id FROM sightings WHERE source_id = $1');

  const sightingsRemoved = await run('DELETE FROM sightings WHERE source_id = $1');
  await run('DELETE FROM bank_lines WHERE source_id = $1');

  const kept = await ids(
    'SELECT t.id::text AS id FROM transfers t WHERE t.source_id = $1 AND EXISTS (SELECT 1 FROM sightings g WHERE g.transfer_id = t.id) ORDER BY t.id',
  );
  for (const transferId of kept) await promoteEarliestSighting(client, transferId);

  await run('DELETE FROM balance_gaps WHERE source_id = $1');
  await run('DELETE FROM usdt_freeze_events WHERE source_id = $1');
  await run('DELETE FROM exchange_movements WHERE source_id = $1');
  await run(
    `UPDATE exchange_movements SET chain_transfer_id = NULL, matched_by = NULL, unmatched_reason = 'the on-chain transfer it was matched to was removed with its source'
     WHERE chain_transfer_id IN (SELECT id FROM transfers WHERE source_id = $1)`,
  );
  let notesRemoved = await run('DELETE FROM notes WHERE transfer_id IN (SELECT id FROM transfers WHERE source_id = $1)');
  const linksRemoved = await run(
    'DELETE FROM links WHERE source_id = $1 OR fiat_id IN (SELECT id FROM transfers WHERE source_id = $1) OR crypto_id IN (SELECT id FROM transfers WHERE source_id = $1)',
  );
  await run('DELETE FROM transfer_refs WHERE transfer_id IN (SELECT id FROM transfers WHERE source_id = $1)');
  const transfersRemoved = await run('DELETE FROM transfers WHERE source_id = $1');
  await run(
    `DELETE FROM transfer_refs WHERE transfer_id IN (SELECT id FROM removal_transfers) AND NOT EXISTS (
       SELECT 1 FROM bank_lines b WHERE b.transfer_id = transfer_refs.transfer_id AND (b.ref = transfer_refs.ref OR starts_with(b.ref, transfer_refs.ref || '#')))
     AND NOT EXISTS (SELECT 1 FROM sightings g WHERE g.transfer_id = transfer_refs.transfer_id AND g.ref = transfer_refs.ref)`,
    [],
  );
  await run('DELETE FROM tag_sightings WHERE source_id = $1');
  await run(
    `UPDATE tags SET (source_id, line, confidence) = (
       SELECT g.source_id, g.line, COALESCE(g.confidence, tags.confidence) FROM tag_sightings g WHERE g.tag_id = tags.id ORDER BY g.source_id, g.line LIMIT 1)
     WHERE source_id = $1 AND EXISTS (SELECT 1 FROM tag_sightings g WHERE g.tag_id = tags.id)`,
  );
  await run(
    'DELETE FROM tag_sightings WHERE EXISTS (SELECT 1 FROM tags t WHERE t.id = tag_sightings.tag_id AND t.source_id = tag_sightings.source_id AND t.line IS NOT DISTINCT FROM tag_sightings.line)',
    [],
  );
  await run('DELETE FROM tag_sightings WHERE tag_id IN (SELECT id FROM tags WHERE source_id = $1)');
  const tagsRemoved = await run('DELETE FROM tags WHERE source_id = $1');
  await run('DELETE FROM opening_balances WHERE source_id = $1');
  await run('DELETE FROM rejects WHERE source_id = $1');

  const orphans = await ids(
    `SELECT a.id::text AS id FROM removal_accounts a WHERE NOT EXISTS (SELECT 1 FROM transfers WHERE from_id = a.id) AND NOT EXISTS (SELECT 1 FROM transfers WHERE to_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM tags WHERE account_id = a.id) AND NOT EXISTS (SELECT 1 FROM bank_lines WHERE account_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM opening_balances WHERE account_id = a.id)`,
    [],
  );
  // The accounts nothing mentions any more, with what was derived about them: one statement per table.
  for (const sql of [
    'DELETE FROM clusters WHERE account_id = ANY($1::bigint[])',
    'DELETE FROM cluster_evidence WHERE a = ANY($1::bigint[]) OR b = ANY($1::bigint[])',
    'DELETE FROM finding_accounts WHERE account_id = ANY($1::bigint[])',
  ])
    await run(sql, [orphans]);
  notesRemoved += await run('DELETE FROM notes WHERE account_id = ANY($1::bigint[])', [orphans]);
  const assertionsRemoved = await run('DELETE FROM cluster_assertions WHERE a = ANY($1::bigint[]) OR b = ANY($1::bigint[])', [orphans]);
  await run('DELETE FROM accounts WHERE id = ANY($1::bigint[])', [orphans]);
  await run('DELETE FROM sources WHERE id = $1');
  return {
    source,
    transfersRemoved,
    transfersKept: kept.length,
    sightingsRemoved,
    tagsRemoved,
    linksRemoved,
    accountsRemoved: orphans.length,
    notesRemoved,
    assertionsRemoved,
  };
}

/** ../removeSource.ts: promoteEarliestSighting. */
async function promoteEarliestSighting(client: pg.Client, transferId: number): Promise<void> {
  const sighting = (
    await client.query<{ source_id: string; line: string; ref: string }>(
      'SELECT source_id::text AS source_id, line::text AS line, ref FROM sightings WHERE transfer_id = $1 ORDER BY sightings.source_id, sightings.line LIMIT 1',
      [transferId],
    )
  ).rows[0]!;
  const transfer = (await client.query<{ rail: string; ref: string }>('SELECT rail, ref FROM transfers WHERE id = $1', [transferId])).rows[0]!;
  await client.query('DELETE FROM sightings WHERE transfer_id = $1 AND source_id = $2 AND line = $3', [transferId, sighting.source_id, sighting.line]);
  await client.query('UPDATE sources SET rows = rows + 1, duplicates = duplicates - 1 WHERE id = $1', [sighting.source_id]);
  if (transfer.rail !== 'bank') {
    await client.query('UPDATE transfers SET source_id = $1, line = $2 WHERE id = $3', [sighting.source_id, sighting.line, transferId]);
    return;
  }
  const own = (
    await client.query<{ ident: string }>(
      'SELECT a.ident FROM bank_lines b JOIN accounts a ON a.id = b.account_id WHERE b.transfer_id = $1 AND b.source_id = $2 AND b.line = $3',
      [transferId, sighting.source_id, sighting.line],
    )
  ).rows[0]?.ident;
  const taken = async (ref: string): Promise<boolean> =>
    ((await client.query("SELECT 1 FROM transfers WHERE rail = 'bank' AND ref = $1 AND seq = $2 AND id <> $3", [ref, sighting.line, transferId])).rowCount ??
      0) > 0;
  let ref = sighting.ref;
  if (own !== undefined && !ref.startsWith('ht-')) {
    if (await taken(ref)) ref = `${sighting.ref}@${own}`;
    for (let n = 2; await taken(ref); n++) ref = `${sighting.ref}@${own}#${n}`;
  }
  await client.query('UPDATE transfers SET source_id = $1, line = $2, ref = $3, seq = $4 WHERE id = $5', [
    sighting.source_id,
    sighting.line,
    ref,
    sighting.line,
    transferId,
  ]);
  if (ref === sighting.ref) await client.query('DELETE FROM transfer_refs WHERE ref = $1 AND transfer_id = $2', [ref, transferId]);
  else await client.query('INSERT INTO transfer_refs (ref, transfer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sighting.ref, transferId]);
}
