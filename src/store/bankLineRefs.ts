import { referenceFor } from '../../adapters/bank/bankLine.js';
import { toNumber, type Db } from './caseStore.js';

/** What the case holds of one statement account's day of lines without a bank reference. */
export interface StoredBankDay {
  /** Stored occurrence numbers of each content (src/ingest/bankOccurrences.ts). */
  occurrences: Map<string, number[]>;
  /** Stored lines of that day without a bank reference (fee lines not counted). */
  total: number;
}

const PROBE = 32;

/** Accounts with statement lines in the case (bank_lines): the statements' own accounts. */
export function statementAccounts(db: Db): Set<number> {
  return new Set((db.prepare('SELECT DISTINCT account_id FROM bank_lines').pluck().all() as bigint[]).map(toNumber));
}

/** What the case holds of a statement account's days (storedBankDayOf). */
export interface StoredBankDays {
  /** Which occurrences of the day's contents are stored, and how many lines of the day. */
  day(own: string, time: number, contents: ReadonlyMap<string, number>, recurring: boolean): StoredBankDay;
  /** Whether `day` would find nothing whatever the contents (no query for them): the day's lines keep their numbers. */
  holdsNone(own: string, time: number, recurring: boolean): boolean;
}

/**
 * Looks up, for one account and day, which occurrences of the given contents are stored: the
 * references are hashes, so the candidates are made and asked for in one query per window (the
 * bank_lines (account_id, ref) index), until a window finds none.
 *
 * Call it before the import stores anything. A reference names its account and day (contentOf),
 * so a day's stored occurrences are lines of that account and day: stored before this import —
 * only for an account that then had statement lines — or earlier in this file, which makes the
 * day `recurring`. For any other day none can be stored, and the candidates (a SHA-256 each, 34
 * per content) are not made: on a new account's statement that was half the matching time.
 * Likewise an account without statement lines before the import has only this import's lines
 * of the day, which `thisImport` counts (BankLineWriter.linesOfDay) instead of the query.
 * `beforeLookup` runs before a query reads bank_lines (an import that deferred its indexes builds them).
 */
export function storedBankDayOf(db: Db, thisImport: (accountId: number, time: number) => number, beforeLookup: () => void = () => undefined): StoredBankDays {
  const withHistory = statementAccounts(db);
  const account = db.prepare("SELECT id FROM accounts WHERE rail = 'bank' AND ident = ?").pluck();
  // DISTINCT: each statement that showed a line keeps its own bank_lines row of it (its sighting), so
  // a line read from two overlapping statements is one stored occurrence, not two.
  const present = db.prepare('SELECT DISTINCT ref FROM bank_lines WHERE account_id = ? AND ref IN (SELECT value FROM json_each(?))').pluck();
  // From the day's transfers to their lines (transfers_from/_to, then bank_lines_transfer): the
  // `+` keeps SQLite off the (account_id, ref) index, which would walk every reference-less line
  // the account ever had, once per day.
  const total = db
    .prepare(
      `SELECT COUNT(DISTINCT x.id) FROM (SELECT id FROM transfers WHERE from_id = @a AND time = @t UNION SELECT id FROM transfers WHERE to_id = @a AND time = @t) x
       CROSS JOIN bank_lines b ON b.transfer_id = x.id AND b.account_id = @a WHERE +b.ref GLOB 'ht-*' AND b.ref NOT GLOB '*/fee'`,
    )
    .pluck();
  const day = (own: string, time: number, contents: ReadonlyMap<string, number>, recurring: boolean): StoredBankDay => {
    const occurrences = new Map<string, number[]>();
    const accountId = account.get(own) as bigint | undefined;
    if (accountId === undefined) return { occurrences, total: 0 };
    const history = withHistory.has(toNumber(accountId));
    const probe = recurring || history;
    if (probe) beforeLookup();
    let pending = !probe ? [] : [...contents.keys()].map((content) => ({ content, from: 0, width: (contents.get(content) ?? 0) * 2 + PROBE }));
    while (pending.length > 0) {
      const byRef = new Map<string, { content: string; occurrence: number }>();
      for (const p of pending) for (let i = p.from; i < p.from + p.width; i++) byRef.set(referenceFor(p.content, i), { content: p.content, occurrence: i });
      const found = new Set<string>();
      for (const ref of present.all(accountId, JSON.stringify([...byRef.keys()])) as string[]) {
        const hit = byRef.get(ref)!;
        found.add(hit.content);
        const list = occurrences.get(hit.content) ?? [];
        list.push(hit.occurrence);
        occurrences.set(hit.content, list);
      }
      pending = pending.filter((p) => found.has(p.content)).map((p) => ({ content: p.content, from: p.from + p.width, width: p.width }));
    }
    for (const list of occurrences.values()) list.sort((a, b) => a - b);
    return { occurrences, total: history ? toNumber(total.get({ a: accountId, t: time })) : thisImport(toNumber(accountId), time) };
  };
  // What `day` finds without a query for any contents: nothing, for an account not in the case,
  // or one without statement lines before this import on a day not recurring that it stored none of.
  const holdsNone = (own: string, time: number, recurring: boolean): boolean => {
    if (recurring) return false;
    const accountId = account.get(own) as bigint | undefined;
    return accountId === undefined || (!withHistory.has(toNumber(accountId)) && thisImport(toNumber(accountId), time) === 0);
  };
  return { day, holdsNone };
}
