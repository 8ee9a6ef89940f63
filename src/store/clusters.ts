import type { ClusteringResult } from '../cluster/clusterAccounts.js';
import { AccountColumns } from '../cluster/accountColumns.js';
import type { ClusterData, ClusterParams } from '../cluster/types.js';
import type { Rail, TagCategory } from '../model/types.js';
import { toNumber, writeTransaction, type Db } from './caseStore.js';
import { lookupTextsByIds } from './idLookup.js';
import { readTransferColumns } from './transferColumnsReader.js';
import { readDeferredAccounts } from './accountColumnsReader.js';
import { appendLog } from './auditLog.js';
import { batchInsert } from './batchInsert.js';
import { checkForeignKeys, withoutForeignKeyChecks } from './foreignKeys.js';
import { recordBasis } from './staleness.js';

/**
 * Accounts with their tags, and every transfer in time order (the heuristics' input), as columns.
 * Account rows are iterated raw with plain numbers for ids: row objects from `.all()` held every
 * row beside the account built from it. Transfers are read in chunks (transferColumnsReader.ts).
 * With `deferIdents`, account idents are read only when asked for (AccountColumns.loadIdents),
 * from this `db`, which must stay open while they are.
 */
export function selectClusterData(db: Db, options: { deferIdents?: boolean } = {}): ClusterData {
  const accounts = new AccountColumns(toNumber(db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM accounts').pluck().get()));
  if (options.deferIdents) {
    readDeferredAccounts(db, accounts);
    accounts.deferIdents((ids) =>
      lookupTextsByIds(
        db,
        'SELECT json_group_array(id), json_group_array(ident) FROM accounts WHERE id IN (SELECT value FROM json_each(?))',
        'SELECT id, ident FROM accounts WHERE id IN (SELECT value FROM json_each(?))',
        ids,
      ),
    );
  } else {
    const accountRows = db.prepare('SELECT id, rail, ident, holder_norm, bank FROM accounts ORDER BY id').raw(true).safeIntegers(false);
    for (const [id, rail, ident, holderNorm, bank] of accountRows.iterate() as IterableIterator<[number, Rail, string, string | null, string | null]>)
      accounts.add(id, rail, ident, holderNorm, bank);
  }
  const tags = db.prepare('SELECT account_id, category, label FROM tags ORDER BY account_id, category, label').raw(true).safeIntegers(false);
  for (const [id, category, label] of tags.iterate() as IterableIterator<[number, TagCategory, string]>) accounts.tag(id, category, label);
  // Read in storage order and sorted in memory: walking the time index fetched every row from a
  // random page (2× slower), and SQLite's sorter took longer than a merge of the import runs.
  const transfers = readTransferColumns(db);
  transfers.sortByTime();
  return { accounts, transfers };
}

/** Above this account id, members are written in cluster order rather than through an array indexed by id. */
const MAX_INDEXED_ACCOUNT = 2 ** 28;

/**
 * Each member's cluster number (from 1; 0 for no cluster) indexed by account id, so members are
 * written in id order: the clusters table is keyed by account id, and rows written cluster by
 * cluster landed all over its B-tree. Undefined when an id is too large to index.
 */
function clustersByAccount(components: readonly (readonly number[])[]): Uint32Array | undefined {
  let max = -1;
  for (const members of components)
    for (const id of members) {
      if (!(Number.isInteger(id) && id >= 0 && id < MAX_INDEXED_ACCOUNT)) return undefined;
      if (id > max) max = id;
    }
  const clusterOf = new Uint32Array(max + 1);
  components.forEach((members, index) => {
    for (const id of members) clusterOf[id] = index + 1;
  });
  return clusterOf;
}

/**
 * Replaces the case's clusters and their evidence in one transaction. Component k (from 0) is
 * cluster k + 1.
 *
 * Written without foreign-key checks (withoutForeignKeyChecks): at 1,000,000 accounts (468,473
 * cluster rows, 337,684 evidence rows) the save took 3.1–4.4 CPU-s with them and 2.1–2.9 without
 * (docs/performance.md, "cluster"). Neither table is the parent of another, so the deletes are the
 * same; the new rows are checked in one pass before COMMIT (~0.3 s there), so a save that names an
 * account no longer in the case still fails and leaves the clusters as they were. `basis`: the
 * case's basis in the snapshot the clusters were computed from (src/store/staleness.ts).
 */
export function saveClusters(db: Db, result: ClusteringResult, params: ClusterParams & { heuristics: string[] }, basis?: string): void {
  withoutForeignKeyChecks(db, () => writeClusters(db, result, params, basis));
}

function writeClusters(db: Db, result: ClusteringResult, params: ClusterParams & { heuristics: string[] }, basis: string | undefined): void {
  writeTransaction(db, () => {
    db.exec('DELETE FROM clusters; DELETE FROM cluster_evidence;');
    const clusters = batchInsert(db, 'INSERT INTO clusters (account_id, cluster_id)', 2);
    const clusterOf = clustersByAccount(result.components);
    if (clusterOf) {
      for (let id = 0; id < clusterOf.length; id++) if (clusterOf[id]! > 0) clusters.add(id, clusterOf[id]);
    } else {
      result.components.forEach((members, index) => {
        for (const id of members) clusters.add(id, index + 1);
      });
    }
    clusters.flush();
    const evidence = batchInsert(db, 'INSERT INTO cluster_evidence (a, b, heuristic, params, transfers, confidence, outcome)', 7);
    const paramsJson = JSON.stringify(params);
    const { merges } = result;
    for (let i = 0; i < merges.length; i++)
      evidence.add(
        merges.a[i]!,
        merges.b[i]!,
        merges.heuristicOf(i),
        paramsJson,
        JSON.stringify({ transfers: merges.evidence(i), reason: merges.reason(i) }),
        merges.confidence[i]!,
        'merged',
      );
    for (const c of result.conflicts) evidence.add(c.a, c.b, c.heuristic, paramsJson, JSON.stringify({ transfers: [], reason: c.reason }), 0, 'conflict');
    evidence.flush();
    checkForeignKeys(db, ['clusters', 'cluster_evidence'], 'clusters');
    recordBasis(db, 'clusters', basis);
    appendLog(db, { action: 'cluster', changes: { clusters: result.components.length, merges: result.merges.length, conflicts: result.conflicts.length } });
  });
}

export interface StoredMerge {
  a: number;
  b: number;
  heuristic: string;
  confidence: number;
  transfers: number[];
  reason: string;
}

export function selectMerges(db: Db): StoredMerge[] {
  return (
    db.prepare("SELECT a, b, heuristic, confidence, transfers FROM cluster_evidence WHERE outcome = 'merged' ORDER BY id").all() as {
      a: bigint;
      b: bigint;
      heuristic: string;
      confidence: bigint;
      transfers: string;
    }[]
  ).map((r) => {
    const evidence = JSON.parse(r.transfers) as { transfers: number[]; reason: string };
    return {
      a: toNumber(r.a),
      b: toNumber(r.b),
      heuristic: r.heuristic,
      confidence: toNumber(r.confidence),
      transfers: evidence.transfers,
      reason: evidence.reason,
    };
  });
}

export function selectTransferRefs(db: Db, ids: readonly number[]): Map<number, string> {
  const found = lookupTextsByIds(
    db,
    'SELECT json_group_array(id), json_group_array(ref) FROM transfers WHERE id IN (SELECT value FROM json_each(?))',
    'SELECT id, ref FROM transfers WHERE id IN (SELECT value FROM json_each(?))',
    ids,
  );
  // Completed in place: a copy of 574,000 refs (a set, an array of pairs, a map) was 100 MB of garbage.
  for (const id of ids) if (!found.has(id)) found.set(id, `transfer:${id}`);
  return found;
}
