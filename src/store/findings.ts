import type { Finding, TypologyName } from '../detect/types.js';
import type { AccountRef } from '../model/types.js';
import { appendLog } from './auditLog.js';
import { toNumber, type Db } from './caseStore.js';
import { recordBasis } from './staleness.js';

export interface StoredFinding {
  typology: string;
  accounts: AccountRef[];
  params: Record<string, unknown>;
  evidence: string[];
  score: number;
}

/** Replaces the findings of the typologies run, in one transaction. */
export function saveFindings(db: Db, typologies: readonly TypologyName[], findings: readonly Finding[], params: Record<string, unknown>): void {
  db.transaction(() => {
    const old = db.prepare(`SELECT id FROM findings WHERE typology IN (${typologies.map(() => '?').join(',')})`).pluck().all(...typologies) as bigint[];
    const dropAccounts = db.prepare('DELETE FROM finding_accounts WHERE finding_id = ?');
    const dropFinding = db.prepare('DELETE FROM findings WHERE id = ?');
    for (const id of old) {
      dropAccounts.run(id);
      dropFinding.run(id);
    }
    const insert = db.prepare('INSERT INTO findings (typology, params, evidence, score, created_at) VALUES (?, ?, ?, ?, ?)');
    const link = db.prepare('INSERT OR IGNORE INTO finding_accounts (finding_id, account_id) VALUES (?, ?)');
    const paramsJson = JSON.stringify(params);
    const now = new Date().toISOString();
    for (const f of findings) {
      const id = insert.run(f.typology, paramsJson, JSON.stringify(f.evidence), f.score, now).lastInsertRowid;
      for (const account of f.accounts) link.run(id, account);
    }
    recordBasis(db, 'findings');
    appendLog(db, { action: 'detect', changes: { findings: findings.length, typologies: typologies.length } });
  })();
}

/** Findings, in a stable order; with account ids, only those touching them (for reports and exports). */
export function selectFindings(db: Db, accountIds?: readonly number[]): StoredFinding[] {
  const rows = (accountIds
    ? db.prepare(`SELECT DISTINCT f.* FROM findings f JOIN finding_accounts fa ON fa.finding_id = f.id WHERE fa.account_id IN (${accountIds.map(() => '?').join(',')}) ORDER BY f.typology, f.id`).all(...accountIds)
    : db.prepare('SELECT * FROM findings ORDER BY typology, id').all()) as { id: bigint; typology: string; params: string; evidence: string; score: number }[];
  const accounts = db.prepare('SELECT a.rail, a.ident FROM finding_accounts fa JOIN accounts a ON a.id = fa.account_id WHERE fa.finding_id = ? ORDER BY a.rail, a.ident');
  const ref = db.prepare('SELECT ref FROM transfers WHERE id = ?').pluck();
  return rows.map((r) => ({
    typology: r.typology,
    accounts: accounts.all(r.id) as AccountRef[],
    params: JSON.parse(r.params) as Record<string, unknown>,
    evidence: (JSON.parse(r.evidence) as number[]).map((id) => String(ref.get(id) ?? `transfer:${id}`)),
    score: Number(r.score),
  }));
}

export function countFindings(db: Db): number {
  return toNumber(db.prepare('SELECT COUNT(*) FROM findings').pluck().get());
}
