import type { ClusteringResult } from '../cluster/clusterAccounts.js';
import type { ClusterAccount, ClusterData, ClusterParams } from '../cluster/types.js';
import { ENDPOINT_CATEGORIES, type Rail, type TagCategory } from '../model/types.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

const SERVICE_CATEGORIES: readonly TagCategory[] = ENDPOINT_CATEGORIES.filter((c) => c !== 'sanctioned');

/** Accounts with their tags, and every transfer in time order (the heuristics' input). */
export function selectClusterData(db: Db): ClusterData {
  const accounts = new Map<number, ClusterAccount>();
  for (const row of db.prepare('SELECT id, rail, ident, holder_norm, bank FROM accounts ORDER BY id').all() as { id: bigint; rail: Rail; ident: string; holder_norm: string | null; bank: string | null }[]) {
    accounts.set(toNumber(row.id), { id: toNumber(row.id), rail: row.rail, ident: row.ident, holderNorm: row.holder_norm, bank: row.bank, service: false, exchange: false, labels: [] });
  }
  for (const tag of db.prepare('SELECT account_id, category, label FROM tags ORDER BY account_id, category, label').all() as { account_id: bigint; category: TagCategory; label: string }[]) {
    const account = accounts.get(toNumber(tag.account_id));
    if (!account) continue;
    if (SERVICE_CATEGORIES.includes(tag.category)) account.service = true;
    if (tag.category === 'exchange') account.exchange = true;
    if (['scam_operator', 'sanctioned'].includes(tag.category) && !account.labels.includes(tag.label)) account.labels.push(tag.label);
  }
  // `+time`: sort a scan in storage order rather than walk the time index row by row (2× faster on 1M transfers).
  const transfers = (db.prepare('SELECT id, from_id, to_id, asset, amount, time, decimals FROM transfers ORDER BY +time, id').all() as { id: bigint; from_id: bigint; to_id: bigint; asset: string; amount: bigint | string; time: bigint; decimals: bigint }[]).map((t) => ({
    id: toNumber(t.id),
    from: toNumber(t.from_id),
    to: toNumber(t.to_id),
    asset: t.asset,
    amount: amountFromDb(t.amount),
    time: toNumber(t.time),
    decimals: toNumber(t.decimals),
  }));
  return { accounts, transfers };
}

/** Replaces the case's clusters and their evidence in one transaction; returns the cluster ids. */
export function saveClusters(db: Db, result: ClusteringResult, params: ClusterParams & { heuristics: string[] }): Map<number, number> {
  const clusterOf = new Map<number, number>();
  db.transaction(() => {
    db.exec('DELETE FROM clusters; DELETE FROM cluster_evidence;');
    const insertCluster = db.prepare('INSERT INTO clusters (account_id, cluster_id) VALUES (?, ?)');
    result.components.forEach((members, index) => {
      for (const id of members) {
        insertCluster.run(id, index + 1);
        clusterOf.set(id, index + 1);
      }
    });
    const insertEvidence = db.prepare('INSERT INTO cluster_evidence (a, b, heuristic, params, transfers, confidence, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const paramsJson = JSON.stringify(params);
    for (const m of result.merges) insertEvidence.run(m.a, m.b, m.heuristic, paramsJson, JSON.stringify({ transfers: m.evidence, reason: m.reason }), m.confidence, 'merged');
    for (const c of result.conflicts) insertEvidence.run(c.a, c.b, c.heuristic, paramsJson, JSON.stringify({ transfers: [], reason: c.reason }), 0, 'conflict');
  })();
  return clusterOf;
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
  return (db.prepare("SELECT a, b, heuristic, confidence, transfers FROM cluster_evidence WHERE outcome = 'merged' ORDER BY id").all() as { a: bigint; b: bigint; heuristic: string; confidence: bigint; transfers: string }[]).map((r) => {
    const evidence = JSON.parse(r.transfers) as { transfers: number[]; reason: string };
    return { a: toNumber(r.a), b: toNumber(r.b), heuristic: r.heuristic, confidence: toNumber(r.confidence), transfers: evidence.transfers, reason: evidence.reason };
  });
}

/** Account id → cluster id, for trace results, reports and exports. */
export function selectClusterOf(db: Db, accountIds: readonly number[]): Map<number, number> {
  const statement = db.prepare('SELECT cluster_id FROM clusters WHERE account_id = ?').pluck();
  const out = new Map<number, number>();
  for (const id of accountIds) {
    const cluster = statement.get(id);
    if (cluster !== undefined) out.set(id, toNumber(cluster));
  }
  return out;
}

export function selectTransferRefs(db: Db, ids: readonly number[]): Map<number, string> {
  const statement = db.prepare('SELECT ref FROM transfers WHERE id = ?').pluck();
  return new Map(ids.map((id) => [id, String(statement.get(id) ?? `transfer:${id}`)]));
}
