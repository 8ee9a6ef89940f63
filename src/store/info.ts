import { formatAmount } from '../model/amount.js';
import { NO_HOLDINGS, type RejectedRow } from '../model/types.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';
import { selectBalanceGaps, type BalanceGapRow } from './balanceGaps.js';
import { selectRejects, selectSourceHoldings, selectSources } from './sources.js';
import { inReadSnapshot } from './readSnapshot.js';
import { staleResults, type DerivedResult } from './staleness.js';

export interface AssetTotal {
  rail: string;
  asset: string;
  count: number;
  /** Sum of amounts in asset units, a decimal string. */
  amount: string;
}

export interface CaseInfo {
  transfers: number;
  accounts: number;
  tags: number;
  links: number;
  byAsset: AssetTotal[];
  sources: {
    path: string;
    sha256: string;
    adapter: string;
    /** Transfers stored (what else the source holds: tags, links, freezeEvents). */
    rows: number;
    tags: number;
    links: number;
    freezeEvents: number;
    rejected: number;
    skipped: number;
    duplicates: number;
    importedAt: string;
    notes: string[];
  }[];
  rejects: RejectedRow[];
  /** Running-balance gaps recorded by `ingest bank --balance gaps`: statements known to be incomplete. */
  balanceGaps: BalanceGapRow[];
  /** Clusters and findings computed before the case's sources last changed (src/store/staleness.ts). */
  stale: DerivedResult[];
}

const count = (db: Db, table: string): number => toNumber(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());

/**
 * The case file's contents in figures: what `hoptrace info` prints, read in one read snapshot, so
 * the figures agree with each other whatever another process stores meanwhile (docs/case-file.md,
 * "Reading while another process writes").
 */
export function selectCaseInfo(db: Db): CaseInfo {
  return inReadSnapshot(db, () => readCaseInfo(db));
}

function readCaseInfo(db: Db): CaseInfo {
  const groups = db
    .prepare(
      // Grouped by decimals too: amounts in different units must never be added (a token read
      // from logs in base units and from an explorer export in token units).
      `SELECT rail, asset, decimals, COUNT(*) AS n,
              SUM(CASE WHEN typeof(amount) = 'integer' THEN amount / 1000000000 ELSE 0 END) AS high_sum,
              SUM(CASE WHEN typeof(amount) = 'integer' THEN amount % 1000000000 ELSE 0 END) AS low_sum,
              SUM(typeof(amount) <> 'integer') AS text_rows
       FROM transfers GROUP BY rail, asset, decimals ORDER BY rail, asset, decimals`,
    )
    .all() as { rail: string; asset: string; decimals: bigint; n: bigint; high_sum: bigint | null; low_sum: bigint | null; text_rows: bigint }[];
  const textAmounts = db.prepare("SELECT amount FROM transfers WHERE rail = ? AND asset = ? AND decimals = ? AND typeof(amount) <> 'integer'").pluck();
  const byAsset = groups.map((g) => {
    // SQLite's SUM fails past 2^63 (a few dozen 18-decimal token transfers, or an exchange's
    // USDT flows): summing the high and low parts separately keeps the total exact.
    let total = amountFromDb(g.high_sum ?? 0n) * 1_000_000_000n + amountFromDb(g.low_sum ?? 0n);
    if (toNumber(g.text_rows) > 0) for (const value of textAmounts.iterate(g.rail, g.asset, g.decimals)) total += amountFromDb(value);
    return { rail: g.rail, asset: g.asset, count: toNumber(g.n), amount: formatAmount(total, toNumber(g.decimals)) };
  });
  const holdings = selectSourceHoldings(db);
  return {
    transfers: count(db, 'transfers'),
    accounts: count(db, 'accounts'),
    tags: count(db, 'tags'),
    links: count(db, 'links'),
    byAsset,
    sources: selectSources(db).map((s) => ({
      path: s.path,
      sha256: s.sha256,
      adapter: s.adapter,
      rows: s.rows,
      ...(holdings.get(s.id) ?? NO_HOLDINGS),
      rejected: s.rejected,
      skipped: s.skipped,
      duplicates: s.duplicates,
      importedAt: s.importedAt,
      notes: s.notes,
    })),
    rejects: selectRejects(db),
    balanceGaps: selectBalanceGaps(db),
    stale: staleResults(db),
  };
}
