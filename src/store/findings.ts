import type { Finding, TypologyName } from '../detect/types.js';
import type { AccountRef } from '../model/types.js';
import { appendLog } from './auditLog.js';
import { batchInsert } from './batchInsert.js';
import { toNumber, writeTransaction, type Db } from './caseStore.js';
import { checkForeignKeys, withoutForeignKeyChecks } from './foreignKeys.js';
import { lookupTextsByIds } from './idLookup.js';
import { iterateInReadSnapshot } from './readSnapshot.js';
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

/**
 * Replaces the findings of the typologies run, in one transaction. Written without foreign-key
 * checks (withoutForeignKeyChecks) and 500 rows to a statement, each finding given the id SQLite
 * would have given it (one past the largest left), so its accounts go in the same pass. At
 * 5,000,000 transfers (636,455 findings, 1,176,462 accounts of findings), a statement per row with
 * the checks on took 9.1 CPU-s into an empty case and 13.7–18.0 over an earlier run's findings;
 * this way 5.6 and 6.2–9.3 (docs/performance.md, "detect"). The accounts of findings are checked
 * in one pass before COMMIT. `basis`: the case's basis in the snapshot the findings were computed
 * from (src/store/staleness.ts).
 */
export function saveFindings(db: Db, typologies: readonly TypologyName[], findings: Iterable<Finding>, params: Record<string, unknown>, basis?: string): void {
  withoutForeignKeyChecks(db, () =>
    writeTransaction(db, () => {
      const among = `typology IN (${typologies.map(() => '?').join(',')})`;
      // When every stored finding is replaced, a DELETE without WHERE drops the tables' pages
      // (SQLite's truncation, which the foreign-key checks rule out) instead of each row and its index entries.
      const others =
        db
          .prepare(`SELECT EXISTS (SELECT 1 FROM findings WHERE NOT ${among})`)
          .pluck()
          .safeIntegers(false)
          .get(...typologies) === 1;
      if (others) {
        db.prepare(`DELETE FROM finding_accounts WHERE finding_id IN (SELECT id FROM findings WHERE ${among})`).run(...typologies);
        db.prepare(`DELETE FROM findings WHERE ${among}`).run(...typologies);
      } else db.exec('DELETE FROM finding_accounts; DELETE FROM findings;');
      let id = toNumber(db.prepare('SELECT COALESCE(MAX(id), 0) FROM findings').pluck().get());
      const insert = batchInsert(db, 'INSERT INTO findings (id, typology, params, evidence, score, created_at)', 6);
      const link = batchInsert(db, 'INSERT OR IGNORE INTO finding_accounts (finding_id, account_id)', 2);
      const paramsJson = JSON.stringify(params);
      const now = new Date().toISOString();
      let count = 0;
      for (const f of findings) {
        id++;
        insert.add(id, f.typology, paramsJson, JSON.stringify(f.evidence), f.score, now);
        for (const account of f.accounts) link.add(id, account);
        count++;
      }
      insert.flush();
      link.flush();
      checkForeignKeys(db, ['finding_accounts'], 'findings');
      recordBasis(db, 'findings', basis);
      appendLog(db, { action: 'detect', changes: { findings: count, typologies: typologies.length } });
    }),
  );
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
  const parsedParams = paramsParser();
  return rows.map((r) => ({
    typology: r.typology,
    accounts: (accounts.all(r.id) as { id: bigint; rail: AccountRef['rail']; ident: string; holder: string | null }[]).map(describe),
    params: parsedParams(r.params),
    evidence: (JSON.parse(r.evidence) as number[]).map((id) => String(ref.get(id) ?? `transfer:${id}`)),
    score: Number(r.score),
  }));
}

/** Findings a page reads at once: its accounts, their tags and its evidence refs are read per page. */
const FINDINGS_PER_PAGE = 2_000;

type AccountRow = [findingId: number, accountId: number, rail: AccountRef['rail'], ident: string, holder: string | null];

/**
 * The stored findings of `typologies` (all when undefined), one by one in `selectFindings`' order
 * (typology, then id) and the same values, read a page at a time: `hoptrace detect --json` and
 * `findings --json` print them as they come, instead of holding every finding with its accounts,
 * tags and evidence refs (636,455 findings at 5,000,000 transfers; docs/performance.md, `detect`).
 * Pages go by id within each typology (findings has no typology index; a run stores each
 * typology's findings together, so a page reads about its own rows). No statement stays open
 * between findings, so the caller may read the database while it iterates.
 *
 * Every page is read in one read snapshot (docs/case-file.md, "Reading while another process
 * writes"), from the first finding until the iteration ends or is left (`return()`, as `for…of`
 * does on `break`): a `detect` by another process, which replaces the findings, is then not half
 * printed among them. Inside a transaction the caller opened, that transaction is the snapshot.
 */
export function iterateFindings(db: Db, options: { typologies?: readonly string[]; pageSize?: number } = {}): Generator<StoredFinding> {
  return iterateInReadSnapshot(db, () => findingPages(db, options));
}

function* findingPages(db: Db, options: { typologies?: readonly string[]; pageSize?: number }): Generator<StoredFinding> {
  const pageSize = options.pageSize ?? FINDINGS_PER_PAGE;
  const parsedParams = paramsParser();
  const page = db
    .prepare('SELECT id, typology, params, evidence, score FROM findings WHERE typology = ? AND id > ? ORDER BY id LIMIT ?')
    .raw(true)
    .safeIntegers(false);
  const accounts = db
    .prepare(
      'SELECT fa.finding_id, a.id, a.rail, a.ident, a.holder FROM finding_accounts fa JOIN accounts a ON a.id = fa.account_id WHERE fa.finding_id IN (SELECT value FROM json_each(?)) ORDER BY fa.finding_id, a.rail, a.ident',
    )
    .raw(true)
    .safeIntegers(false);
  const tags = db
    .prepare('SELECT DISTINCT account_id, category, label FROM tags WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, category, label')
    .raw(true)
    .safeIntegers(false);
  for (const [typology, firstId] of findingTypologies(db, options.typologies)) {
    // From the typology's first finding on: a page from the start of the table read every
    // finding of the typologies stored before it to reach its first (docs/performance.md, `detect`).
    let after = firstId - 1;
    for (;;) {
      const rows = page.all(typology, after, pageSize) as [id: number, typology: string, params: string, evidence: string, score: number][];
      if (rows.length === 0) break;
      after = rows.at(-1)![0];
      const ids = JSON.stringify(rows.map((r) => r[0]));
      const accountRows = accounts.all(ids) as AccountRow[];
      const tagsOf = new Map<number, { category: string; label: string }[]>();
      const accountIds = JSON.stringify([...new Set(accountRows.map((a) => a[1]))]);
      for (const [accountId, category, label] of tags.all(accountIds) as [number, string, string][]) {
        const list = tagsOf.get(accountId);
        if (list) list.push({ category, label });
        else tagsOf.set(accountId, [{ category, label }]);
      }
      const accountsOf = new Map<number, FindingAccount[]>();
      for (const [findingId, accountId, rail, ident, holder] of accountRows) {
        const account: FindingAccount = { rail, ident, ...(holder ? { holder } : {}), tags: [...(tagsOf.get(accountId) ?? [])] };
        const list = accountsOf.get(findingId);
        if (list) list.push(account);
        else accountsOf.set(findingId, [account]);
      }
      const evidence = rows.map((r) => JSON.parse(r[3]) as number[]);
      const refs = lookupTextsByIds(
        db,
        'SELECT json_group_array(id), json_group_array(ref) FROM transfers WHERE id IN (SELECT value FROM json_each(?))',
        'SELECT id, ref FROM transfers WHERE id IN (SELECT value FROM json_each(?))',
        evidence.flat(),
      );
      for (let i = 0; i < rows.length; i++) {
        const [id, name, params, , score] = rows[i]!;
        yield {
          typology: name,
          accounts: accountsOf.get(id) ?? [],
          params: parsedParams(params),
          evidence: evidence[i]!.map((t) => String(refs.get(t) ?? `transfer:${t}`)),
          score: Number(score),
        };
      }
      if (rows.length < pageSize) break;
    }
  }
}

/**
 * JSON.parse of a finding's params, parsed again only when they differ from the last finding's.
 * Every finding of a run stores the run's params (saveFindings), so consecutive findings repeat
 * them: at 636,455 findings, parsing each took 1.1 CPU-s of printing them (docs/performance.md,
 * `detect`). The findings given the same text share one object, which nothing changes.
 */
function paramsParser(): (text: string) => Record<string, unknown> {
  let lastText: string | undefined;
  let last: Record<string, unknown> = {};
  return (text) => {
    if (text !== lastText) {
      last = JSON.parse(text) as Record<string, unknown>;
      lastText = text;
    }
    return last;
  };
}

/** How many findings each typology has stored (of `typologies`, all when undefined). */
export function countFindings(db: Db, typologies?: readonly string[]): Map<string, number> {
  const rows = db
    .prepare(`SELECT typology, COUNT(*) FROM findings ${typologyFilter(typologies)} GROUP BY typology`)
    .raw(true)
    .safeIntegers(false)
    .all(...(typologies ?? [])) as [string, number][];
  return new Map(rows);
}

/** The typologies with stored findings, in the order `ORDER BY typology` gives, each with the smallest id of its findings. */
function findingTypologies(db: Db, typologies?: readonly string[]): [typology: string, firstId: number][] {
  return db
    .prepare(`SELECT typology, MIN(id) FROM findings ${typologyFilter(typologies)} GROUP BY typology ORDER BY typology`)
    .raw(true)
    .safeIntegers(false)
    .all(...(typologies ?? [])) as [string, number][];
}

function typologyFilter(typologies?: readonly string[]): string {
  return typologies ? `WHERE typology IN (${typologies.map(() => '?').join(',') || 'NULL'})` : '';
}
