import type { AccountRef, Rail, TagCategory } from '../model/types.js';
import { ENDPOINT_CATEGORIES } from '../model/types.js';
import { toNumber, type Db } from './caseStore.js';

export interface TagRow {
  rail: Rail;
  ident: string;
  category: TagCategory;
  label: string;
  confidence: number;
  origin: string;
  /** The file the label came from, and its SHA-256 (null for tags not read from a file). */
  sourcePath: string | null;
  sourceSha256: string | null;
}

export interface TagFilter {
  account?: AccountRef | { ident: string };
  category?: string;
  categories?: readonly string[];
}

/** Tags in a stable order (rail, ident, category, label, origin). Conflicting labels are all kept. */
export function selectTags(db: Db, filter: TagFilter = {}): TagRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.account) {
    where.push('a.ident = ?');
    params.push(filter.account.ident);
    if ('rail' in filter.account) {
      where.push('a.rail = ?');
      params.push(filter.account.rail);
    }
  }
  if (filter.category) {
    where.push('t.category = ?');
    params.push(filter.category);
  }
  if (filter.categories) {
    where.push(`t.category IN (${filter.categories.map(() => '?').join(',')})`);
    params.push(...filter.categories);
  }
  const rows = db
    .prepare(
      `SELECT a.rail, a.ident, t.category, t.label, t.confidence, t.origin, s.path AS source_path, s.sha256 AS source_sha256
       FROM tags t JOIN accounts a ON a.id = t.account_id LEFT JOIN sources s ON s.id = t.source_id
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY a.rail, a.ident, t.category, t.label, t.origin`,
    )
    .all(...params) as {
    rail: Rail;
    ident: string;
    category: TagCategory;
    label: string;
    confidence: bigint;
    origin: string;
    source_path: string | null;
    source_sha256: string | null;
  }[];
  return rows.map((r) => ({
    rail: r.rail,
    ident: r.ident,
    category: r.category,
    label: r.label,
    confidence: toNumber(r.confidence),
    origin: r.origin,
    sourcePath: r.source_path,
    sourceSha256: r.source_sha256,
  }));
}

export interface EndpointAccount {
  rail: Rail;
  ident: string;
  categories: TagCategory[];
  labels: string[];
}

/** Accounts in an endpoint category: where traced money stops. */
export function selectEndpoints(db: Db): EndpointAccount[] {
  const byAccount = new Map<string, EndpointAccount>();
  for (const tag of selectTags(db, { categories: ENDPOINT_CATEGORIES })) {
    const key = tag.rail + '|' + tag.ident;
    const entry = byAccount.get(key) ?? { rail: tag.rail, ident: tag.ident, categories: [], labels: [] };
    if (!entry.categories.includes(tag.category)) entry.categories.push(tag.category);
    if (!entry.labels.includes(tag.label)) entry.labels.push(tag.label);
    byAccount.set(key, entry);
  }
  return [...byAccount.values()];
}

/** The case's own tags (typed in a CSV or asserted by hand), as opposed to imported lists. */
export function selectOwnTags(db: Db): TagRow[] {
  const own = new Set(
    (
      db.prepare("SELECT t.id FROM tags t LEFT JOIN sources s ON s.id = t.source_id WHERE s.id IS NULL OR s.adapter = 'tags:csv'").pluck().all() as bigint[]
    ).map(toNumber),
  );
  const rows = db
    .prepare(
      `SELECT t.id, a.rail, a.ident, t.category, t.label, t.confidence, t.origin, s.path AS source_path, s.sha256 AS source_sha256
       FROM tags t JOIN accounts a ON a.id = t.account_id LEFT JOIN sources s ON s.id = t.source_id
       ORDER BY a.rail, a.ident, t.category, t.label, t.origin`,
    )
    .all() as {
    id: bigint;
    rail: Rail;
    ident: string;
    category: TagCategory;
    label: string;
    confidence: bigint;
    origin: string;
    source_path: string | null;
    source_sha256: string | null;
  }[];
  return rows
    .filter((r) => own.has(toNumber(r.id)))
    .map((r) => ({
      rail: r.rail,
      ident: r.ident,
      category: r.category,
      label: r.label,
      confidence: toNumber(r.confidence),
      origin: r.origin,
      sourcePath: r.source_path,
      sourceSha256: r.source_sha256,
    }));
}

/**
 * Every account's distinct tags as (account id, category, label), by account id, then category and
 * label: the order an account's first label (its node's label in a graph) is taken in.
 */
export function iterateAccountTags(db: Db): IterableIterator<[number, string, string]> {
  return db
    .prepare('SELECT DISTINCT account_id, category, label FROM tags ORDER BY account_id, category, label')
    .raw(true)
    .safeIntegers(false)
    .iterate() as IterableIterator<[number, string, string]>;
}

/** The tags (category, label) of the given accounts, read in one scan rather than a query per account. */
export function selectTagsOf(db: Db, accountIds: ReadonlySet<number>): Map<number, { category: string; label: string }[]> {
  const tagsOf = new Map<number, { category: string; label: string }[]>();
  for (const [accountId, category, label] of iterateAccountTags(db)) {
    if (!accountIds.has(accountId)) continue;
    let tags = tagsOf.get(accountId);
    if (!tags) tagsOf.set(accountId, (tags = []));
    tags.push({ category, label });
  }
  return tagsOf;
}
