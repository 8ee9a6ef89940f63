import { verifyCasePg } from '../../ingest/verifySourcesPg.js';
import type { VerifyResult } from '../../ingest/verifySources.js';
import { HoptraceError } from '../../model/errors.js';
import type { SourceHoldings, SourceInfo } from '../../model/types.js';
import { logHead, type AuditEntry } from '../../store/auditLog.js';
import { selectLogPg } from '../../store/pg/auditLogReadPg.js';
import { selectSourceHoldingsPg, selectSourcesPg } from '../../store/pg/sourcesPg.js';
import { selectFreezeEventsPg, selectFreezeListRailsPg } from '../../store/pg/freezeEventsPg.js';
import { openAccountWorkingSet } from '../../store/pg/accountWorkingSet.js';
import { openMovementSet, openTagWorkingSet } from '../../store/pg/tagWorkingSet.js';
import { openSearchWorkingSet } from '../../store/pg/searchWorkingSet.js';
import { requireAccount, type AccountKey, type TransferQuery } from '../../store/explore.js';
import { openTransferPageSet } from '../../store/pg/transferPageSet.js';
import type { FreezeEvent } from '../../model/freeze.js';
import type { Db } from '../../store/caseStore.js';
import type { CaseNames } from '../../model/caseNames.js';
import type { RuleName, TraceResult } from '../../model/trace.js';
import { selectCaseAssetsPg } from '../../store/pg/infoPg.js';
import { traceAccountKeys } from '../../report/reportModel.js';
import { checkTraceCase } from '../../report/traceCaseCheck.js';
import { traceCasePg } from '../../trace/traceCasePg.js';
import { parseTraceLimitsFor } from '../../trace/traceOptions.js';
import type { TraceCliOptions } from '../commands/trace.js';
import { selectCaseNamesPg } from '../../store/pg/caseNamesPg.js';
import { closePgCase, openPgCase, type PgCase } from '../../store/pg/pgCase.js';
import { openWorkingCopy } from '../../store/pg/workingCopy.js';
import { writeBackPg, type WriteBack } from '../../store/pg/writeBackPg.js';
import { insertClusterAssertionPg, insertNotePg } from '../../store/pg/caseWritesPg.js';
import type { CaseWriter } from '../../serve/api.js';
import { notOnPostgres } from '../context.js';
import type { GlobalOptions, TraceLimitOptions } from '../options.js';
import { waitNotice, withPgCase } from './postgres.js';
import { writeTraceReport } from './trace.js';

/**
 * The read and analysis commands on a PostgreSQL case (docs/postgresql.md, "What runs on
 * PostgreSQL"). The whole-case ones run their SQLite code unchanged over a working copy of the
 * case (src/store/pg/workingCopy.ts); those that store a result (cluster, detect) write it back
 * in one transaction with its audit-log entry.
 */
const CLUSTERS: WriteBack = { tables: ['cluster_assertions', 'clusters', 'cluster_evidence'], meta: ['clusters_basis'] };
const FINDINGS: WriteBack = { tables: ['findings', 'finding_accounts'], meta: ['findings_basis'] };

/** Each whole-case command, and what it stores given its arguments (undefined: it only reads). */
const WORKING_COPY_COMMANDS: Readonly<Record<string, (args: readonly string[]) => WriteBack | undefined>> = {
  cluster: (args) => (args.some((a) => a === '--explain' || a.startsWith('--explain=')) ? undefined : CLUSTERS),
  detect: () => FINDINGS,
  findings: () => undefined,
  export: () => undefined,
};

/**
 * withCase (../context.ts) on a PostgreSQL case: `run` gets the working copy and its temporary
 * path. A command that stores results is refused before any work when the role may not write them.
 * `show` reads the working copy after its results are stored in the case, so nothing is printed
 * when storing them fails.
 */
export async function withPgWorkingCopy<T>(
  globals: GlobalOptions,
  command: string,
  args: readonly string[],
  run: (db: Db, path: string) => Promise<T> | T,
  show?: (db: Db, result: T) => void,
): Promise<T> {
  const stores = WORKING_COPY_COMMANDS[command];
  if (stores === undefined) throw notOnPostgres(command);
  const back = stores(args);
  return withPgCase(globals, 'existing', async (handle) => {
    if (back) await checkMayWrite(handle, writeBackPrivileges(back), storesResults(command));
    const copy = await openWorkingCopy(handle.client);
    try {
      const result = await run(copy.db, copy.path);
      const changed = logHead(copy.db).seq !== copy.head.seq;
      if (changed && !back) throw new Error(`${command} changed its working copy of a PostgreSQL case, but stores nothing there`);
      if (changed && back) await writeBackPg(handle, copy, back, command, () => waitNotice(handle.location));
      show?.(copy.db, result);
      return result;
    } finally {
      copy.close();
    }
  });
}

/** The refusal for a role that may only read, when `command` stores what it makes in the case. */
export function storesResults(command: string): { what: string; hint: string } {
  return {
    what: `${command} stores its results there`,
    hint: `run ${command} as a role that may write to the case; a read-only role runs every read command (docs/postgresql.md)`,
  };
}

/** A role that may only read is told so before the command works for nothing: `needed` is each (table, privilege) the command writes with. */
export async function checkMayWrite(handle: PgCase, needed: readonly (readonly [string, string])[], refusal: { what: string; hint: string }): Promise<void> {
  for (const [table, privilege] of needed) {
    const got = await handle.client.query<{ ok: boolean }>('SELECT has_table_privilege($1, $2) AS ok', [table, privilege]);
    if (!got.rows[0]?.ok)
      throw new HoptraceError(`this database role may not change the case (no ${privilege} on ${table}), and ${refusal.what}`, {
        file: handle.location,
        hint: refusal.hint,
      });
  }
}

/** The privileges storing `back` needs: its tables replaced, its meta keys set, its log entry appended. */
function writeBackPrivileges(back: WriteBack): [string, string][] {
  return [
    ...back.tables.flatMap((t): [string, string][] => [
      [t, 'INSERT'],
      [t, 'DELETE'],
    ]),
    ['meta', 'INSERT'],
    ['meta', 'UPDATE'],
    ['audit_log', 'INSERT'],
  ];
}

/** `hoptrace log`, `sources` and `verify` read PostgreSQL directly: a few queries, no working copy. */
export async function selectLogOnPg(globals: GlobalOptions): Promise<AuditEntry[]> {
  return withPgCase(globals, 'existing', (handle) => selectLogPg(handle.client));
}

export async function selectSourcesOnPg(globals: GlobalOptions): Promise<{ sources: SourceInfo[]; holdings: Map<number, SourceHoldings> }> {
  return withPgCase(globals, 'existing', async (handle) => ({
    sources: await selectSourcesPg(handle.client),
    holdings: await selectSourceHoldingsPg(handle.client),
  }));
}

/** `hoptrace status`: the case's freeze events for the wallets where a trace's USDT rests, read in SQL. */
export async function selectFreezeEventsOnPg(
  globals: GlobalOptions,
  ethereum: readonly string[],
  tron: readonly string[],
): Promise<{ events: FreezeEvent[]; listRails: ('ethereum' | 'tron')[] }> {
  return withPgCase(globals, 'existing', async (handle) => ({
    events: [...(await selectFreezeEventsPg(handle.client, 'ethereum', ethereum)), ...(await selectFreezeEventsPg(handle.client, 'tron', tron))],
    listRails: await selectFreezeListRailsPg(handle.client),
  }));
}

/**
 * `account` and `transfers --account` on PostgreSQL: `run` gets a working set of the one account
 * (src/store/pg/accountWorkingSet.ts), not a copy of the whole case; an account the case does not
 * hold is the error a case file gives.
 */
export async function withAccountOnPg<T>(globals: GlobalOptions, text: string, run: (db: Db, account: AccountKey) => T): Promise<T> {
  return withPgCase(globals, 'existing', async (handle) => {
    const set = await openAccountWorkingSet(handle.client, text);
    try {
      return run(set.db, requireAccount(set.db, text));
    } finally {
      set.close();
    }
  });
}

/** `tags` and `endpoints` on PostgreSQL: `run` gets the tags in `categories` (all when undefined) with their accounts and sources. */
export async function withTagsOnPg<T>(globals: GlobalOptions, categories: readonly string[] | undefined, run: (db: Db) => T): Promise<T> {
  return withRowSet(globals, (client) => openTagWorkingSet(client, categories), run);
}

/** `exchange-movements` on PostgreSQL: `run` gets the exchange returns' movements and the sources. */
export async function withMovementsOnPg<T>(globals: GlobalOptions, run: (db: Db) => T): Promise<T> {
  return withRowSet(globals, openMovementSet, run);
}

/** `run` over an in-memory case that `open` fills from PostgreSQL, closed when it returns. */
async function withRowSet<T>(globals: GlobalOptions, open: (client: PgCase['client']) => Promise<Db>, run: (db: Db) => T): Promise<T> {
  return withPgCase(globals, 'existing', async (handle) => {
    const db = await open(handle.client);
    try {
      return run(db);
    } finally {
      db.close();
    }
  });
}

/** `search` on PostgreSQL: `run` gets the rows each of the search's queries picks (src/store/pg/searchWorkingSet.ts). */
export async function withSearchOnPg<T>(globals: GlobalOptions, text: string, run: (db: Db) => T): Promise<T> {
  return withRowSet(globals, (client) => openSearchWorkingSet(client, text), run);
}

/** `transfers` without `--account` on PostgreSQL: `run` gets the page's transfers with their accounts (src/store/pg/transferPageSet.ts). */
export async function withTransferPageOnPg<T>(globals: GlobalOptions, query: Omit<TransferQuery, 'account'>, run: (db: Db) => T): Promise<T> {
  return withRowSet(globals, (client) => openTransferPageSet(client, query), run);
}

export async function verifyOnPg(globals: GlobalOptions): Promise<VerifyResult> {
  return withPgCase(globals, 'existing', (handle) => verifyCasePg(handle.client));
}

/** A report's names (./report.ts: readCaseNames) from the PostgreSQL case at `url`. */
export async function readCaseNamesPg(url: string, trace: TraceResult): Promise<CaseNames> {
  const handle = await openPgCase(url, 'existing');
  try {
    // One snapshot, as on a case file: the log head the header cites and the names are of one state.
    await handle.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const log = (await handle.client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq')).rows;
      const seqs = new Map(log.map((r) => [r.hash, Number(r.seq)]));
      const last = log.at(-1);
      const readAt = checkTraceCase(
        trace,
        'the PostgreSQL case',
        (hash) => seqs.get(hash),
        last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: '' },
      );
      const names = await selectCaseNamesPg(handle.client, traceAccountKeys(trace));
      return readAt ? { ...names, readAt } : names;
    } finally {
      await handle.client.query('COMMIT');
    }
  } finally {
    await closePgCase(handle);
  }
}

/** `trace --report` on PostgreSQL: the report as on a case file; --compare's traces run on PostgreSQL too. */
export async function writeTraceReportPg(globals: GlobalOptions, seeds: string[], result: TraceResult, options: TraceCliOptions): Promise<void> {
  await writeTraceReport(globals, result, options, (rules) => traceUnderRulesPg(globals, seeds, rules, options));
}

/** One trace per rule on PostgreSQL, same seeds and limits (./compare.ts: traceUnderRules on a case file). */
export async function traceUnderRulesPg(
  globals: GlobalOptions,
  seeds: readonly string[],
  rules: readonly RuleName[],
  limits: TraceLimitOptions,
): Promise<TraceResult[]> {
  return withPgCase(globals, 'existing', async (handle) => {
    const assets = await selectCaseAssetsPg(handle.client);
    const results: TraceResult[] = [];
    for (const rule of rules) results.push(await traceCasePg(handle, seeds, { rule, ...parseTraceLimitsFor(() => assets, limits) }));
    return results;
  });
}

/** What `hoptrace serve` serves of a PostgreSQL case (./serve.ts). */
export interface ServedPgCase {
  /** The working copy's temporary case file. */
  path: string;
  location: string;
  /** With --write: notes and assertions stored in PostgreSQL, then in the working copy. */
  writer?: CaseWriter;
  close(): void;
}

/** What serve --write stores: a note or an assertion, each with its audit-log entry (src/store/pg/caseWritesPg.ts). */
const SERVE_WRITES: readonly (readonly [string, string])[] = [
  ['notes', 'INSERT'],
  ['cluster_assertions', 'INSERT'],
  ['meta', 'INSERT'],
  ['meta', 'UPDATE'],
  ['audit_log', 'INSERT'],
];

/**
 * `hoptrace serve` on PostgreSQL: a working copy of the case, taken at start, for the workbench to
 * read. With --write each note or assertion is stored in PostgreSQL in its own transaction under
 * the writer lock, on a connection of its own, then copied into the working copy
 * (docs/postgresql.md, "The workbench"); a role that may not write is refused at start.
 */
export async function snapshotForServe(globals: GlobalOptions, write: boolean): Promise<ServedPgCase> {
  return withPgCase(globals, 'existing', async (handle) => {
    if (write)
      await checkMayWrite(handle, SERVE_WRITES, {
        what: 'serve --write stores notes and assertions there',
        hint: 'run serve --write as a role that may write to the case; serve without --write shows it to a read-only role (docs/postgresql.md)',
      });
    const copy = await openWorkingCopy(handle.client);
    // The workbench opens the file itself (src/serve/server.ts), read-write with --write.
    copy.db.close();
    const served: ServedPgCase = { path: copy.path, location: handle.location, close: () => copy.close() };
    if (!write) return served;
    const store = <T>(work: (pgCase: PgCase, onWait: () => void) => Promise<T>): Promise<T> =>
      withPgCase(globals, 'existing', (pgCase) => work(pgCase, () => waitNotice(pgCase.location)));
    return {
      ...served,
      writer: {
        note: (db, target, text, createdAt) => store((pgCase, onWait) => insertNotePg(pgCase, db, target, text, createdAt, onWait)),
        assertion: (db, assertion, createdAt) => store((pgCase, onWait) => insertClusterAssertionPg(pgCase, db, assertion, createdAt, onWait)),
      },
    };
  });
}
