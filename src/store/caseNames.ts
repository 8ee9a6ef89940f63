import { sourceKey, type AccountName, type CaseAnnotation, type CaseNames, type SourceStored, type UnmatchedMovement } from '../model/caseNames.js';
import type { CaseAssertion } from '../model/explore.js';
import { selectMovements } from './exchangeMovements.js';
import { toNumber, type Db } from './caseStore.js';
import { selectAssertionsOf } from './clusterAssertions.js';
import { selectAccountAnnotations, selectTransferAnnotations } from './notes.js';

/** "the same operator as tron:T… — reason", as seen from the account `key`. */
function assertionAnnotation(s: CaseAssertion, key: string): CaseAnnotation {
  const other = s.a === key ? s.b : s.a;
  return { kind: 'assertion', createdAt: s.createdAt, text: `${s.same ? 'the same operator as' : 'never the same operator as'} ${other} — ${s.reason}` };
}

/**
 * Holder names, tag labels, investigators' notes and cluster assertions of the given accounts ("rail:ident"), notes on
 * transfers (a report shows those of the transfers it cites), and what every source stored.
 */
export function selectCaseNames(db: Db, accountKeys: Iterable<string>, sources: Record<string, SourceStored> = selectSourcesStored(db)): CaseNames {
  const account = db.prepare('SELECT id, holder FROM accounts WHERE rail = ? AND ident = ?');
  const tags = db.prepare('SELECT DISTINCT category, label FROM tags WHERE account_id = ? ORDER BY category, label');
  const accounts: Record<string, AccountName> = {};
  for (const key of [...new Set(accountKeys)].sort()) {
    const colon = key.indexOf(':');
    const row = account.get(key.slice(0, colon), key.slice(colon + 1)) as { id: bigint; holder: string | null } | undefined;
    if (!row) continue;
    const tagRows = tags.all(row.id) as { category: string; label: string }[];
    const notes = [...selectAccountAnnotations(db, toNumber(row.id)), ...selectAssertionsOf(db, [toNumber(row.id)]).map((s) => assertionAnnotation(s, key))];
    accounts[key] = {
      holder: row.holder,
      labels: [...new Set(tagRows.map((t) => t.label))],
      categories: [...new Set(tagRows.map((t) => t.category))],
      ...(notes.length > 0 ? { notes } : {}),
    };
  }
  const transferNotes = selectTransferAnnotations(db);
  const named = new Set(Object.keys(accounts));
  const unmatchedMovements: UnmatchedMovement[] = selectMovements(db).flatMap((m) => {
    const key = `exchange:${m.exchange}:${m.account}`;
    if (m.chainTransfer !== null || !named.has(key)) return [];
    return [
      {
        account: key,
        direction: m.direction,
        asset: m.asset,
        amount: m.amount,
        fee: m.fee,
        network: m.network,
        txid: m.txid,
        time: m.time,
        reason: m.unmatchedReason ?? 'not matched',
        source: m.source,
      },
    ];
  });
  return { accounts, sources, unmatchedMovements, ...(Object.keys(transferNotes).length > 0 ? { transferNotes } : {}) };
}

/** The rows each source stored in each table, by source id. */
export type StoredCounts = Record<'transfers' | 'sightings' | 'tags' | 'links' | 'opening_balances', ReadonlyMap<number, number>>;

/** What every source stored, by source (PostgreSQL counts it in SQL: ./pg/caseNamesPg.ts). */
export function selectSourcesStored(db: Db): Record<string, SourceStored> {
  const count = (table: string): Map<number, number> =>
    new Map(
      (db.prepare(`SELECT source_id, COUNT(*) FROM ${table} WHERE source_id IS NOT NULL GROUP BY source_id`).raw().all() as [bigint, bigint][]).map(
        ([id, n]) => [toNumber(id), toNumber(n)],
      ),
    );
  const counts: StoredCounts = {
    transfers: count('transfers'),
    sightings: count('sightings'),
    tags: count('tags'),
    links: count('links'),
    opening_balances: count('opening_balances'),
  };
  const sources = (db.prepare('SELECT id, path, sha256 FROM sources ORDER BY id').raw().all() as [bigint, string, string][]).map(([id, path, sha256]) => ({
    id: toNumber(id),
    path,
    sha256,
  }));
  return sourcesStored(sources, counts);
}

/** The sources, in id order, with their counts. */
export function sourcesStored(sources: readonly { id: number; path: string; sha256: string }[], counts: StoredCounts): Record<string, SourceStored> {
  const stored: Record<string, SourceStored> = {};
  for (const { id, path, sha256 } of sources) {
    stored[sourceKey(path, sha256)] = {
      transfers: counts.transfers.get(id) ?? 0,
      sightings: counts.sightings.get(id) ?? 0,
      tags: counts.tags.get(id) ?? 0,
      links: counts.links.get(id) ?? 0,
      openingBalances: counts.opening_balances.get(id) ?? 0,
    };
  }
  return stored;
}
