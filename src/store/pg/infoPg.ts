import { createHash } from 'node:crypto';
import type pg from 'pg';
import { formatAmount } from '../../model/amount.js';
import type { BalanceGapRow } from '../balanceGaps.js';
import { NO_HOLDINGS } from '../../model/types.js';
import type { CaseInfo } from '../info.js';
import type { DerivedResult } from '../staleness.js';
import { selectRejectsPg, selectSourceHoldingsPg, selectSourcesPg } from './sourcesPg.js';

/**
 * `hoptrace info` on a PostgreSQL case: the same CaseInfo as ../info.ts, field for field. NUMERIC
 * sums are exact, so the per-asset totals need none of the case file's 64-bit workarounds.
 */
export async function selectCaseInfoPg(client: pg.Client): Promise<CaseInfo> {
  const count = async (table: string): Promise<number> => Number((await client.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM ${table}`)).rows[0]!.n);
  const groups = await client.query<{ rail: string; asset: string; decimals: string; n: string; total: string }>(
    `SELECT rail, asset, decimals::text AS decimals, COUNT(*)::text AS n, SUM(amount)::text AS total
     FROM transfers GROUP BY rail, asset, decimals ORDER BY rail COLLATE "C", asset COLLATE "C", transfers.decimals`,
  );
  const sources = await selectSourcesPg(client);
  const holdings = await selectSourceHoldingsPg(client);
  return {
    transfers: await count('transfers'),
    accounts: await count('accounts'),
    tags: await count('tags'),
    links: await count('links'),
    byAsset: groups.rows.map((g) => ({ rail: g.rail, asset: g.asset, count: Number(g.n), amount: formatAmount(BigInt(g.total), Number(g.decimals)) })),
    sources: sources.map((s) => ({
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
    rejects: await selectRejectsPg(client),
    balanceGaps: await selectBalanceGapsPg(client),
    stale: await staleResultsPg(client),
  };
}

export async function selectBalanceGapsPg(client: pg.Client): Promise<BalanceGapRow[]> {
  const result = await client.query<{
    ident: string;
    asset: string;
    decimals: string;
    missing: string;
    path: string;
    source_id: string;
    line_before: string | null;
    line_after: string;
    time_before: string | null;
    time_after: string;
    reason: string;
  }>(
    `SELECT a.ident, g.asset, g.decimals::text AS decimals, g.missing::text AS missing, s.path, g.source_id::text AS source_id, g.line_before::text AS line_before,
            g.line_after::text AS line_after, g.time_before::text AS time_before, g.time_after::text AS time_after, g.reason
     FROM balance_gaps g JOIN accounts a ON a.id = g.account_id JOIN sources s ON s.id = g.source_id
     ORDER BY a.ident COLLATE "C", g.asset COLLATE "C", g.time_after, g.source_id, g.line_after`,
  );
  return result.rows.map((r) => ({
    account: r.ident,
    asset: r.asset,
    missing: formatAmount(BigInt(r.missing), Number(r.decimals)),
    path: r.path,
    sourceId: Number(r.source_id),
    lineBefore: r.line_before === null ? null : Number(r.line_before),
    lineAfter: Number(r.line_after),
    timeBefore: r.time_before === null ? null : Number(r.time_before),
    timeAfter: Number(r.time_after),
    reason: r.reason,
  }));
}

/** ../staleness.ts on PostgreSQL: the same basis hash over the same rows. */
async function staleResultsPg(client: pg.Client): Promise<DerivedResult[]> {
  const hash = createHash('sha256');
  for (const row of (
    await client.query<{ id: string; sha256: string; adapter: string; options: string }>(
      'SELECT id::text AS id, sha256, adapter, options FROM sources ORDER BY sources.id',
    )
  ).rows) {
    hash.update([row.id, row.sha256, row.adapter, row.options].join('\u001f') + '\n');
  }
  const findingsBasis = hash.copy().digest('hex');
  // Clusters also follow from the investigators' assertions, as ../staleness.ts hashes them.
  for (const row of (
    await client.query<{ id: string; a: string; b: string; same: string }>(
      'SELECT id::text AS id, a::text AS a, b::text AS b, same::text AS same FROM cluster_assertions ORDER BY cluster_assertions.id',
    )
  ).rows) {
    hash.update(`assertion\u001f${row.id}\u001f${row.a}\u001f${row.b}\u001f${row.same === '0' ? 0 : 1}\n`);
  }
  const clustersBasis = hash.digest('hex');
  const stale: DerivedResult[] = [];
  for (const [result, table, basis] of [
    ['clusters', 'clusters', clustersBasis],
    ['findings', 'findings', findingsBasis],
  ] as const) {
    const has = (await client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount ?? 0;
    const recorded = (await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [`${result}_basis`])).rows[0]?.value;
    if (has > 0 && recorded !== basis) stale.push(result);
  }
  return stale;
}

/** The case's assets and their decimals (../traceLedger.ts: selectCaseAssets), for --min-amount. */
export async function selectCaseAssetsPg(client: pg.Client): Promise<{ asset: string; decimals: number }[]> {
  const result = await client.query<{ asset: string; decimals: string }>(
    'SELECT asset, MAX(decimals)::text AS decimals FROM transfers GROUP BY asset ORDER BY asset COLLATE "C"',
  );
  return result.rows.map((r) => ({ asset: r.asset, decimals: Number(r.decimals) }));
}
