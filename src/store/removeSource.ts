import { HoptraceError } from '../model/errors.js';
import { appendLog, type AuditEntryInput } from './auditLog.js';
import { beginImmediate, toNumber, type Db } from './caseStore.js';
import type { SourceInfo } from '../model/types.js';
import { selectSourceById, selectSources } from './sources.js';

/** The audit-log entry of a removal, the same on both backends. */
export function removalLogEntry(result: RemovedSource): AuditEntryInput {
  return {
    action: 'remove-source',
    inputs: [{ path: result.source.path, sha256: result.source.sha256 }],
    changes: {
      source: result.source.id,
      transfersRemoved: result.transfersRemoved,
      transfersKept: result.transfersKept,
      sightingsRemoved: result.sightingsRemoved,
      tagsRemoved: result.tagsRemoved,
      linksRemoved: result.linksRemoved,
      accountsRemoved: result.accountsRemoved,
      // Only when there were any: the entries of removals without notes read as they always have.
      ...(result.notesRemoved > 0 ? { notesRemoved: result.notesRemoved } : {}),
      ...(result.assertionsRemoved > 0 ? { assertionsRemoved: result.assertionsRemoved } : {}),
    },
  };
}

/**
 * `hoptrace remove-source ID|PATH` (docs/case-file.md, "Removing a source"): undoes one import in
 * one transaction, logged. What only that source brought goes — its transfers, rejects, tags,
 * links, opening balances, bank lines and sightings, and accounts nothing else mentions. A
 * transfer another source also saw stays, and is re-derived from the earliest of those sightings
 * as if that source had stored it: its provenance (source, line) and, for a bank payment, that
 * side's reference and line number. Clusters and findings computed before become stale
 * (src/store/staleness.ts).
 */
export interface RemovedSource {
  source: SourceInfo;
  transfersRemoved: number;
  transfersKept: number;
  sightingsRemoved: number;
  tagsRemoved: number;
  linksRemoved: number;
  accountsRemoved: number;
  /**
   * Investigators' notes (the workbench's) on the transfers and accounts that went, and cluster
   * assertions naming those accounts: they annotate what is no longer in the case, so they go too,
   * counted here, in the output and in the log entry.
   */
  notesRemoved: number;
  assertionsRemoved: number;
}

export function resolveSource(db: Db, text: string): SourceInfo {
  if (/^\d+$/.test(text)) {
    const source = selectSourceById(db, Number(text));
    if (!source) throw new HoptraceError(`no source ${text} in the case file`, { hint: 'hoptrace sources lists them' });
    return source;
  }
  const matches = selectSources(db).filter((s) => s.path === text);
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

export function removeSource(db: Db, text: string): RemovedSource {
  beginImmediate(db);
  try {
    const result = removeInTransaction(db, resolveSource(db, text));
    appendLog(db, removalLogEntry(result));
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function removeInTransaction(db: Db, source: SourceInfo): RemovedSource {
  const id = source.id;
  const run = (sql: string, ...params: unknown[]): number => db.prepare(sql).run(...params).changes;
  const ids = (sql: string, ...params: unknown[]): number[] =>
    (
      db
        .prepare(sql)
        .pluck()
        .all(...params) as bigint[]
    ).map(toNumber);

  // Accounts this source mentioned: removed at the end if nothing else mentions them.
  run('CREATE TEMP TABLE IF NOT EXISTS removal_accounts (id INTEGER PRIMARY KEY)');
  run('CREATE TEMP TABLE IF NOT EXISTS removal_transfers (id INTEGER PRIMARY KEY)');
  run('DELETE FROM removal_accounts');
  run('DELETE FROM removal_transfers');
  run(
    `INSERT OR IGNORE INTO removal_accounts (id)
     SELECT from_id FROM transfers WHERE source_id = @id UNION SELECT to_id FROM transfers WHERE source_id = @id
     UNION SELECT account_id FROM tags WHERE source_id = @id UNION SELECT account_id FROM bank_lines WHERE source_id = @id
     UNION SELECT account_id FROM opening_balances WHERE source_id = @id
     UNION SELECT t.from_id FROM transfers t JOIN sightings g ON g.transfer_id = t.id WHERE g.source_id = @id
     UNION SELECT t.to_id FROM transfers t JOIN sightings g ON g.transfer_id = t.id WHERE g.source_id = @id`,
    { id },
  );
  // Transfers whose references may need tidying afterwards: the ones this source stored or saw.
  run(
    'INSERT OR IGNORE INTO removal_transfers (id) SELECT id FROM transfers WHERE source_id = ? UNION SELECT transfer_id FROM sightings WHERE source_id = ?',
    id,
    id,
  );

  const sightingsRemoved = run('DELETE FROM sightings WHERE source_id = ?', id);
  run('DELETE FROM bank_lines WHERE source_id = ?', id);

  // A transfer this source stored that another source also saw: that source's sighting becomes its provenance.
  const kept = ids('SELECT t.id FROM transfers t WHERE t.source_id = ? AND EXISTS (SELECT 1 FROM sightings g WHERE g.transfer_id = t.id) ORDER BY t.id', id);
  for (const transferId of kept) promoteEarliestSighting(db, transferId);

  // What only this source brought to the tables of later features: balance gaps of its statement,
  // the movements of its exchange return, its freeze events; notes on its transfers go with them.
  run('DELETE FROM balance_gaps WHERE source_id = ?', id);
  run('DELETE FROM usdt_freeze_events WHERE source_id = ?', id);
  run('DELETE FROM exchange_movements WHERE source_id = ?', id);
  run(
    `UPDATE exchange_movements SET chain_transfer_id = NULL, matched_by = NULL, unmatched_reason = 'the on-chain transfer it was matched to was removed with its source'
     WHERE chain_transfer_id IN (SELECT id FROM transfers WHERE source_id = ?)`,
    id,
  );
  let notesRemoved = run('DELETE FROM notes WHERE transfer_id IN (SELECT id FROM transfers WHERE source_id = ?)', id);
  const linksRemoved = run(
    'DELETE FROM links WHERE source_id = @id OR fiat_id IN (SELECT id FROM transfers WHERE source_id = @id) OR crypto_id IN (SELECT id FROM transfers WHERE source_id = @id)',
    { id },
  );
  run('DELETE FROM transfer_refs WHERE transfer_id IN (SELECT id FROM transfers WHERE source_id = ?)', id);
  const transfersRemoved = run('DELETE FROM transfers WHERE source_id = ?', id);
  // References only the removed lines knew a surviving transfer by.
  run(
    `DELETE FROM transfer_refs WHERE transfer_id IN (SELECT id FROM removal_transfers) AND NOT EXISTS (
       SELECT 1 FROM bank_lines b WHERE b.transfer_id = transfer_refs.transfer_id AND (b.ref = transfer_refs.ref OR b.ref GLOB transfer_refs.ref || '#*'))
     AND NOT EXISTS (SELECT 1 FROM sightings g WHERE g.transfer_id = transfer_refs.transfer_id AND g.ref = transfer_refs.ref)`,
  );
  // A tag another source carried too stays, as that source's (the earliest), with the confidence it gave.
  run('DELETE FROM tag_sightings WHERE source_id = ?', id);
  run(
    `UPDATE tags SET (source_id, line, confidence) = (
       SELECT g.source_id, g.line, COALESCE(g.confidence, tags.confidence) FROM tag_sightings g WHERE g.tag_id = tags.id ORDER BY g.source_id, g.line LIMIT 1)
     WHERE source_id = ? AND EXISTS (SELECT 1 FROM tag_sightings g WHERE g.tag_id = tags.id)`,
    id,
  );
  run(
    'DELETE FROM tag_sightings WHERE EXISTS (SELECT 1 FROM tags t WHERE t.id = tag_sightings.tag_id AND t.source_id = tag_sightings.source_id AND t.line IS tag_sightings.line)',
  );
  run('DELETE FROM tag_sightings WHERE tag_id IN (SELECT id FROM tags WHERE source_id = ?)', id);
  const tagsRemoved = run('DELETE FROM tags WHERE source_id = ?', id);
  run('DELETE FROM opening_balances WHERE source_id = ?', id);
  run('DELETE FROM rejects WHERE source_id = ?', id);

  const orphans = ids(
    `SELECT a.id FROM removal_accounts a WHERE NOT EXISTS (SELECT 1 FROM transfers WHERE from_id = a.id) AND NOT EXISTS (SELECT 1 FROM transfers WHERE to_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM tags WHERE account_id = a.id) AND NOT EXISTS (SELECT 1 FROM bank_lines WHERE account_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM opening_balances WHERE account_id = a.id)`,
  );
  const dropAccount = [
    db.prepare('DELETE FROM clusters WHERE account_id = ?'),
    db.prepare('DELETE FROM cluster_evidence WHERE a = ? OR b = ?'),
    db.prepare('DELETE FROM finding_accounts WHERE account_id = ?'),
    db.prepare('DELETE FROM notes WHERE account_id = ?'),
    db.prepare('DELETE FROM cluster_assertions WHERE a = ? OR b = ?'),
    db.prepare('DELETE FROM accounts WHERE id = ?'),
  ];
  let assertionsRemoved = 0;
  for (const accountId of orphans) {
    dropAccount[0]!.run(accountId);
    dropAccount[1]!.run(accountId, accountId);
    dropAccount[2]!.run(accountId);
    notesRemoved += dropAccount[3]!.run(accountId).changes;
    assertionsRemoved += dropAccount[4]!.run(accountId, accountId).changes;
    dropAccount[5]!.run(accountId);
  }
  run('DELETE FROM sources WHERE id = ?', id);
  run('DELETE FROM removal_accounts');
  run('DELETE FROM removal_transfers');
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

/**
 * Re-derives a transfer from its earliest remaining sighting, as that source would have stored
 * it: its source and line; for a bank payment also that side's reference and line number (the
 * transfers key), qualified with the side's account when another transfer holds the key, as
 * BankLineWriter does on import.
 */
function promoteEarliestSighting(db: Db, transferId: number): void {
  const sighting = db.prepare('SELECT source_id, line, ref FROM sightings WHERE transfer_id = ? ORDER BY source_id, line LIMIT 1').get(transferId) as {
    source_id: bigint;
    line: bigint;
    ref: string;
  };
  const transfer = db.prepare('SELECT rail, ref FROM transfers WHERE id = ?').get(transferId) as { rail: string; ref: string };
  db.prepare('DELETE FROM sightings WHERE transfer_id = ? AND source_id = ? AND line = ?').run(transferId, sighting.source_id, sighting.line);
  // That source counted the row as already in the case; now it is the one that stored it.
  db.prepare('UPDATE sources SET rows = rows + 1, duplicates = duplicates - 1 WHERE id = ?').run(sighting.source_id);
  if (transfer.rail !== 'bank') {
    db.prepare('UPDATE transfers SET source_id = ?, line = ? WHERE id = ?').run(sighting.source_id, sighting.line, transferId);
    return;
  }
  const own = db
    .prepare('SELECT a.ident FROM bank_lines b JOIN accounts a ON a.id = b.account_id WHERE b.transfer_id = ? AND b.source_id = ? AND b.line = ?')
    .pluck()
    .get(transferId, sighting.source_id, sighting.line) as string | undefined;
  const taken = db.prepare("SELECT 1 FROM transfers WHERE rail = 'bank' AND ref = ? AND seq = ? AND id <> ?").pluck();
  let ref = sighting.ref;
  if (own !== undefined && !ref.startsWith('ht-')) {
    if (taken.get(ref, sighting.line, transferId) !== undefined) ref = `${sighting.ref}@${own}`;
    for (let n = 2; taken.get(ref, sighting.line, transferId) !== undefined; n++) ref = `${sighting.ref}@${own}#${n}`;
  }
  db.prepare('UPDATE transfers SET source_id = ?, line = ?, ref = ?, seq = ? WHERE id = ?').run(
    sighting.source_id,
    sighting.line,
    ref,
    sighting.line,
    transferId,
  );
  if (ref === sighting.ref) db.prepare('DELETE FROM transfer_refs WHERE ref = ? AND transfer_id = ?').run(ref, transferId);
  else db.prepare('INSERT OR IGNORE INTO transfer_refs (ref, transfer_id) VALUES (?, ?)').run(sighting.ref, transferId);
}
