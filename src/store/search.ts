import type { SearchHit, SearchResult } from '../model/explore.js';
import { RAILS, type Rail } from '../model/types.js';
import type { Db } from './caseStore.js';
import { findAccount, selectTransferRows } from './explore.js';
import { resolveTransferIds } from './transferRefs.js';

/**
 * Free-text search over the case (`hoptrace search`, the workbench's search box), and the hint
 * for a trace seed that names an account rather than a transfer.
 */
const SEARCH_LIMIT = 20;

/** Accounts by ident prefix, holder name or tag label; transfers by hash or bank reference. */
export function searchCase(db: Db, text: string): SearchResult {
  const query = text.trim();
  if (query === '') return { query, accounts: [], transfers: [] };
  const like = (value: string) => value.replace(/[\\%_]/g, (c) => '\\' + c);
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (hit: SearchHit) => {
    const key = `${hit.rail}:${hit.ident}`;
    if (seen.has(key) || hits.length >= SEARCH_LIMIT * 3) return;
    seen.add(key);
    hits.push(hit);
  };
  const compact = query.replace(/ /g, '');
  const exact = findAccount(db, query);
  if (exact) add({ rail: exact.rail, ident: exact.ident, holder: holderOf(db, exact.id), matched: 'ident' });
  // Ident prefixes through the (rail, ident) index: as typed and upper-cased (IBANs) on every rail,
  // and case-insensitively among Ethereum addresses only (stored checksummed, typed in any case).
  const byPrefix = db.prepare('SELECT rail, ident, holder FROM accounts WHERE rail = ? AND ident >= ? AND ident < ? || char(1114111) ORDER BY ident LIMIT ?');
  for (const rail of RAILS) {
    for (const prefix of new Set([compact, compact.toUpperCase()]))
      for (const r of byPrefix.all(rail, prefix, prefix, SEARCH_LIMIT) as { rail: Rail; ident: string; holder: string | null }[])
        add({ ...r, matched: 'ident' });
  }
  if (/^0x[0-9a-f]*$/i.test(compact)) {
    for (const r of db
      .prepare("SELECT rail, ident, holder FROM accounts WHERE rail = 'ethereum' AND ident LIKE ? ORDER BY ident LIMIT ?")
      .all(compact + '%', SEARCH_LIMIT) as { rail: Rail; ident: string; holder: string | null }[])
      add({ ...r, matched: 'ident' });
  }
  for (const r of db
    .prepare("SELECT rail, ident, holder FROM accounts WHERE holder LIKE ? ESCAPE '\\' ORDER BY holder, rail, ident LIMIT ?")
    .all('%' + like(query) + '%', SEARCH_LIMIT) as { rail: Rail; ident: string; holder: string | null }[])
    add({ ...r, matched: 'holder' });
  const tagged = db
    .prepare(
      "SELECT a.rail, a.ident, a.holder, MIN(t.label) AS label FROM tags t JOIN accounts a ON a.id = t.account_id WHERE t.label LIKE ? ESCAPE '\\' GROUP BY a.id ORDER BY label, a.rail, a.ident LIMIT ?",
    )
    .all('%' + like(query) + '%', SEARCH_LIMIT) as { rail: Rail; ident: string; holder: string | null; label: string }[];
  for (const r of tagged) add({ rail: r.rail, ident: r.ident, holder: r.holder, matched: 'tag', label: r.label });
  let transferIds: number[] = [];
  if (!/^(account|transfer):/.test(query)) {
    try {
      transferIds = resolveTransferIds(db, query).slice(0, SEARCH_LIMIT);
    } catch {
      transferIds = [];
    }
  }
  const rows = selectTransferRows(db, transferIds);
  return { query, accounts: hits, transfers: transferIds.map((id) => rows.get(id)!).filter(Boolean) };
}

function holderOf(db: Db, id: number): string | null {
  return (db.prepare('SELECT holder FROM accounts WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
}

/**
 * What to tell a user whose seed matched no transfer: a bare IBAN or address that names an
 * account is the natural thing to type, and `account:IDENT` is what they meant.
 */
export function seedHint(db: Db, seed: string): string {
  const value = seed.trim();
  if (!/^(account|transfer):/.test(value)) {
    const account = findAccount(db, value);
    if (account) {
      const outgoing = db.prepare('SELECT 1 FROM transfers WHERE from_id = ? LIMIT 1').get(account.id) !== undefined;
      return outgoing
        ? `${value} is an account: trace its outgoing payments with account:${account.ident}`
        : `${value} is an account that sent nothing in this case; see hoptrace account ${account.ident}`;
    }
  }
  return 'check it with hoptrace info, or use transfer:ID';
}
