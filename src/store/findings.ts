import type { Finding, TypologyName } from '../detect/types.js';
import type { AccountRef } from '../model/types.js';
import { appendLog } from './auditLog.js';
import { toNumber, writeTransaction, type Db } from './caseStore.js';
import { recordBasis } from './staleness.js';

/** An account of a finding, with what the case knows of it: holder name and tags (docs/detection.md). */
export interface FindingAccount extends AccountRef {
  holder?: string;
  tags: { category: string; label: string }[];
}

export interface StoredFinding {
  typology: string;
  accounts: FindingAccount[];
  params: Record<string, unknown>;
  evidence: string[];
  score: number;
}

/** Replaces the findings of the typologies run, in one transaction. */
export function saveFindings(db: Db, typologies: readonly TypologyName[], findings: readonly Finding[], params: Record<string, unknown>): void {
  writeTransaction(db, () => {
    const old = db
      .prepare(`SELECT id FROM findings WHERE typology IN (${typologies.map(() => '?').join(',')})`)
      .pluck()
      .all(...typologies) as bigint[];
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
  });
}

/** Findings, in a stable order; with account ids, only those touching them (for reports and exports). */
export function selectFindings(db: Db, accountIds?: readonly number[]): StoredFinding[] {
  const rows = (
    accountIds
      ? db
          .prepare(
            `SELECT DISTINCT f.* FROM findings f JOIN finding_accounts fa ON fa.finding_id = f.id WHERE fa.account_id IN (${accountIds.map(() => '?').join(',')}) ORDER BY f.typology, f.id`,
          )
          .all(...accountIds)
      : db.prepare('SELECT * FROM findings ORDER BY typology, id').all()
  ) as { id: bigint; typology: string; params: string; evidence: string; score: number }[];
  const accounts = db.prepare(
    'SELECT a.id, a.rail, a.ident, a.holder FROM finding_accounts fa JOIN accounts a ON a.id = fa.account_id WHERE fa.finding_id = ? ORDER BY a.rail, a.ident',
  );
  const tags = db.prepare('SELECT DISTINCT category, label FROM tags WHERE account_id = ? ORDER BY category, label');
  const describe = (row: { id: bigint; rail: AccountRef['rail']; ident: string; holder: string | null }): FindingAccount => ({
    rail: row.rail,
    ident: row.ident,
    ...(row.holder ? { holder: row.holder } : {}),
    tags: tags.all(row.id) as { category: string; label: string }[],
  });
  const ref = db.prepare('SELECT ref FROM transfers WHERE id = ?').pluck();
  return rows.map((r) => ({
    typology: r.typology,
    accounts: (accounts.all(r.id) as { id: bigint; rail: AccountRef['rail']; ident: string; holder: string | null }[]).map(describe),
    params: JSON.parse(r.params) as Record<string, unknown>,
    evidence: (JSON.parse(r.evidence) as number[]).map((id) => String(ref.get(id) ?? `transfer:${id}`)),
    score: Number(r.score),
  }));
}
