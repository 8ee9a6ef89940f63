import { formatAmount } from '../model/amount.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

/**
 * Running-balance gaps as the case records them (`ingest bank --balance gaps`): where a statement
 * shows money moving between two lines that no line explains. Listed by `info`, `verify` and the
 * reports that touch the account, so no one reads an account's flows as complete when its
 * statement is not (docs/bank-statements.md, "Balance gaps").
 */
export interface BalanceGapRow {
  account: string;
  asset: string;
  /** Net movement no line explains (printed balance − expected), a signed decimal string. */
  missing: string;
  path: string;
  sourceId: number;
  lineBefore: number | null;
  lineAfter: number;
  /** Booking days of the two lines, epoch milliseconds (local midnight of the statement's zone). */
  timeBefore: number | null;
  timeAfter: number;
  reason: string;
}

interface RawGap {
  ident: string;
  asset: string;
  decimals: bigint;
  missing: bigint;
  path: string;
  source_id: bigint;
  line_before: bigint | null;
  line_after: bigint;
  time_before: bigint | null;
  time_after: bigint;
  reason: string;
}

const SELECT = `SELECT a.ident, g.asset, g.decimals, g.missing, s.path, g.source_id, g.line_before, g.line_after, g.time_before, g.time_after, g.reason
  FROM balance_gaps g JOIN accounts a ON a.id = g.account_id JOIN sources s ON s.id = g.source_id`;
const ORDER = ' ORDER BY a.ident, g.asset, g.time_after, g.source_id, g.line_after';

function toRow(r: RawGap): BalanceGapRow {
  return {
    account: r.ident,
    asset: r.asset,
    missing: formatAmount(amountFromDb(r.missing), toNumber(r.decimals)),
    path: r.path,
    sourceId: toNumber(r.source_id),
    lineBefore: r.line_before === null ? null : toNumber(r.line_before),
    lineAfter: toNumber(r.line_after),
    timeBefore: r.time_before === null ? null : toNumber(r.time_before),
    timeAfter: toNumber(r.time_after),
    reason: r.reason,
  };
}

/** Every gap in the case, by account, asset and time. */
export function selectBalanceGaps(db: Db): BalanceGapRow[] {
  return (db.prepare(SELECT + ORDER).all() as RawGap[]).map(toRow);
}

/** The gaps of these accounts (bank idents), for reports that touch them. */
export function selectBalanceGapsOf(db: Db, idents: readonly string[]): BalanceGapRow[] {
  if (idents.length === 0) return [];
  return (
    db.prepare(`${SELECT} WHERE a.rail = 'bank' AND a.ident IN (SELECT value FROM json_each(?))${ORDER}`).all(JSON.stringify([...new Set(idents)])) as RawGap[]
  ).map(toRow);
}

/** `FILE:LINE: account …` as info and reports print a gap. */
export function describeGap(gap: BalanceGapRow): string {
  const between = gap.lineBefore === null ? `before line ${gap.lineAfter}` : `between lines ${gap.lineBefore} and ${gap.lineAfter}`;
  return `${gap.path}:${gap.lineAfter}: ${gap.account}: ${gap.missing} ${gap.asset} moved ${between} that no line shows`;
}
