import { HoptraceError } from '../model/errors.js';
import type { TraceOptions, TraceResult } from '../model/trace.js';
import type { Db } from '../store/caseStore.js';
import { selectBalanceGapsOf } from '../store/balanceGaps.js';
import { seedHint } from '../store/search.js';
import { logHead } from '../store/auditLog.js';
import { selectSources } from '../store/sources.js';
import { AccountHistories, type ExplorerExportSpan } from '../store/accountHistory.js';
import { checkpointCaseFile, type PendingHash, startFileHash } from '../store/caseFileHash.js';
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
 * What a result cites of its case file, taken together before the trace: the SHA-256 of its bytes
 * once the WAL is folded in (computed on a worker while the trace runs for a large file,
 * docs/performance.md "The case file's hash") and the head of its audit log at that moment.
 */
export interface CaseFileCitation {
  hash: PendingHash;
  logHead: string;
}

export function citeCaseFile(db: Db, path: string): CaseFileCitation {
  checkpointCaseFile(db);
  return { logHead: logHead(db).hash, hash: startFileHash(path) };
}

/** `hoptrace trace`: resolve the seeds, run the engine over the case file, cite everything. */
export function traceCase({ db, casePath, seeds, options, explorerExports, ledger = new SqliteTraceLedger(db), citation }: TraceCaseParams): TraceResult {
  if (seeds.length === 0)
    throw new HoptraceError('no seed given', { hint: 'name a victim payment: a tx hash, a bank reference, account:IDENT or transfer:ID' });
  const seedTransfers: LedgerTransfer[] = [];
  for (const seed of seeds) {
    const ids = resolveTransferIds(db, seed);
    if (ids.length === 0) throw new HoptraceError(`seed ${JSON.stringify(seed)} matches no transfer in the case file`, { hint: seedHint(db, seed) });
    for (const id of ids) seedTransfers.push(ledger.transfer(id)!);
  }
  // A citation given by the caller is the caller's to abandon; this trace abandons only its own.
  const own = citation === undefined && casePath ? citeCaseFile(db, casePath) : undefined;
  const cited = citation ?? own;
  let result: TraceResult;
  try {
    const raw = traceLedger(ledger, seedTransfers, options);
    ledger.preloadAccounts([...raw.endpoints, ...raw.held, ...raw.beyondHopLimit, ...raw.belowThreshold, ...raw.unknownSourceDraws].map((h) => h.accountId));
    const histories = new AccountHistories(db, explorerExports);
    result = buildTraceResult(raw, options.rule, options, {
      account: (id) => ledger.account(id),
      transferDetails: (ids) => selectTransferDetails(db, ids),
      clusters: (ids) => selectClusterIds(db, ids),
      caseFile: () => ({
        path: casePath ?? ':memory:',
        sha256: cited ? cited.hash.digest() : null,
        logHead: cited ? cited.logHead : logHead(db).hash,
        tool: 'hoptrace',
        version: toolVersion(),
      }),
      sources: selectSources(db).map((s) => ({ path: s.path, sha256: s.sha256, size: s.size, adapter: s.adapter, rows: s.rows, rejected: s.rejected })),
      seedArguments: [...seeds],
      history: (accountId, asset, arrival) => histories.history(accountId, asset, arrival),
    });
  } catch (error) {
    own?.hash.abandon();
    throw error;
  }
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
