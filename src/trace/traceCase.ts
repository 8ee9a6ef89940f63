import { HoptraceError } from '../model/errors.js';
import type { TraceOptions, TraceResult } from '../model/trace.js';
import type { Db } from '../store/caseStore.js';
import { selectBalanceGapsOf } from '../store/balanceGaps.js';
import { seedHint } from '../store/search.js';
import { logHead } from '../store/auditLog.js';
import { selectSources } from '../store/sources.js';
import { AccountHistories, type ExplorerExportSpan } from '../store/accountHistory.js';
import { type CaseFileCitation, readCitedCase } from '../store/caseCitation.js';
import { inReadSnapshot } from '../store/readSnapshot.js';
import { SqliteTraceLedger } from '../store/traceLedger.js';
import { resolveTransferIds, selectClusterIds, selectTransferDetails } from '../store/transferRefs.js';
import { toolVersion } from '../version.js';
import { buildTraceResult } from './buildResult.js';
import { traceLedger } from './engine.js';
import type { LedgerTransfer } from './ledger.js';

export interface TraceCaseParams {
  db: Db;
  /** Path of the case file, hashed into the result (null for an in-memory case). */
  casePath: string | null;
  seeds: readonly string[];
  options: TraceOptions;
  /** When `db` is a working set of a larger case (PostgreSQL): its explorer exports' spans, computed over the whole case. */
  explorerExports?: Map<number, ExplorerExportSpan>;
  /** The ledger over `db` to trace with (default: SqliteTraceLedger; a working set's answers counterparty counts from its whole case). */
  ledger?: SqliteTraceLedger;
  /** What the result cites of the case file at `casePath`, when several traces share one (compare); by default each takes its own. */
  citation?: CaseFileCitation;
}

/**
 * `hoptrace trace`: resolve the seeds, run the engine over the case file, cite everything — all in
 * one read snapshot of the case, the one the citation names (src/store/caseCitation.ts).
 */
export function traceCase(params: TraceCaseParams): TraceResult {
  const { db, casePath, citation } = params;
  if (citation !== undefined || !casePath) return inReadSnapshot(db, () => traceCited(params, citation));
  return readCitedCase(db, casePath, (own) => traceCited(params, own));
}

function traceCited(
  { db, casePath, seeds, options, explorerExports, ledger = new SqliteTraceLedger(db) }: TraceCaseParams,
  cited: CaseFileCitation | undefined,
): TraceResult {
  if (seeds.length === 0)
    throw new HoptraceError('no seed given', { hint: 'name a victim payment: a tx hash, a bank reference, account:IDENT or transfer:ID' });
  const seedTransfers: LedgerTransfer[] = [];
  for (const seed of seeds) {
    const ids = resolveTransferIds(db, seed);
    if (ids.length === 0) throw new HoptraceError(`seed ${JSON.stringify(seed)} matches no transfer in the case file`, { hint: seedHint(db, seed) });
    for (const id of ids) seedTransfers.push(ledger.transfer(id)!);
  }
  const raw = traceLedger(ledger, seedTransfers, options);
  ledger.preloadAccounts([...raw.endpoints, ...raw.held, ...raw.beyondHopLimit, ...raw.belowThreshold, ...raw.unknownSourceDraws].map((h) => h.accountId));
  const histories = new AccountHistories(db, explorerExports);
  const result = buildTraceResult(raw, options.rule, options, {
    account: (id) => ledger.account(id),
    transferDetails: (ids) => selectTransferDetails(db, ids),
    clusters: (ids) => selectClusterIds(db, ids),
    caseFile: () => ({
      path: casePath ?? ':memory:',
      sha256: cited?.hash ? cited.hash.digest() : null,
      ...(cited?.unhashed === undefined ? {} : { unhashed: cited.unhashed }),
      logHead: cited ? cited.logHead : logHead(db).hash,
      tool: 'hoptrace',
      version: toolVersion(),
    }),
    sources: selectSources(db).map((s) => ({ path: s.path, sha256: s.sha256, size: s.size, adapter: s.adapter, rows: s.rows, rejected: s.rejected })),
    seedArguments: [...seeds],
    history: (accountId, asset, arrival) => histories.history(accountId, asset, arrival, options.until),
  });
  // Statements of the accounts this trace passes through that are known to be incomplete.
  const bankAccounts = result.edges.filter((e) => e.rail === 'bank').flatMap((e) => [e.from, e.to]);
  const gaps = selectBalanceGapsOf(db, bankAccounts);
  if (gaps.length > 0)
    result.balanceGaps = gaps.map((g) => ({
      account: g.account,
      asset: g.asset,
      missing: g.missing,
      path: g.path,
      lineBefore: g.lineBefore,
      lineAfter: g.lineAfter,
    }));
  return result;
}
