import { HoptraceError } from '../model/errors.js';
import { RULE_NAMES, type TraceResult } from '../model/trace.js';
import type { Db } from '../store/caseStore.js';
import {
  findAccount,
  isRail,
  selectBalanceHistory,
  selectAccountSummary,
  selectClusterDetails,
  selectNeighbours,
  selectTransferPage,
  type AccountKey,
} from '../store/explore.js';
import { selectCaseInfo } from '../store/info.js';
import { searchCase } from '../store/search.js';
import { insertNote, type NoteTarget } from '../store/notes.js';
import { insertClusterAssertion, type NewAssertion } from '../store/clusterAssertions.js';
import type { CaseAssertion, CaseNote } from '../model/explore.js';
import { traceCase } from '../trace/traceCase.js';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../report/writeReport.js';
import { traceAccountKeys } from '../report/reportModel.js';
import { selectCaseNames } from '../store/caseNames.js';
import { parseTraceOptions } from '../trace/traceOptions.js';

/**
 * The workbench's JSON API (docs/workbench.md): each route calls the function the matching CLI
 * command calls, so `/api/info` is `info --json` and `POST /api/trace` is `trace --json`.
 */
export interface ApiContext {
  db: Db;
  casePath: string;
  /** How traces name the case when casePath is a working copy of it (a PostgreSQL case): cited unhashed. */
  caseName?: string;
  write: boolean;
  /** How notes and assertions are stored (--write); the case file's own functions unless set. */
  writer?: CaseWriter;
}

/**
 * Stores a note or an assertion and answers with it as stored. On a case file that is `db`
 * itself; a PostgreSQL case stores it in the database and then in the working copy `db` is
 * (src/store/pg/caseWritesPg.ts).
 */
export interface CaseWriter {
  note(db: Db, target: NoteTarget, text: string, createdAt: string): CaseNote | Promise<CaseNote>;
  assertion(db: Db, assertion: NewAssertion, createdAt: string): CaseAssertion | Promise<CaseAssertion>;
}

const CASE_FILE_WRITER: CaseWriter = { note: insertNote, assertion: insertClusterAssertion };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ApiAnswer = { status: number; body: unknown; file?: { type: string; name: string; text: string } };

const ok = (body: unknown): ApiAnswer => ({ status: 200, body });

export function handleGet(ctx: ApiContext, path: string, query: URLSearchParams): ApiAnswer {
  const parts = path.split('/').slice(1).map(decodeSegment);
  // parts[0] is 'api'
  const [, what, a, b, c] = parts;
  if (what === 'info' && parts.length === 2) return ok(selectCaseInfo(ctx.db));
  if (what === 'search' && parts.length === 2) return ok(searchCase(ctx.db, query.get('q') ?? ''));
  if (what === 'accounts' && a !== undefined && b !== undefined && parts.length <= 5) {
    const account = accountOf(ctx.db, a, b);
    if (c === undefined) return ok(selectAccountSummary(ctx.db, account));
    if (c === 'transfers') {
      const order = query.get('order') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') throw new ApiError(400, 'order: asc or desc');
      const cursor = query.get('cursor');
      return ok(selectTransferPage(ctx.db, { account, limit: limitOf(query.get('limit'), 50, 1000), order, ...(cursor ? { cursor } : {}) }));
    }
    if (c === 'neighbours') return ok(selectNeighbours(ctx.db, account, limitOf(query.get('limit'), 200, 5000)));
    if (c === 'history') return ok(selectBalanceHistory(ctx.db, account));
  }
  if (what === 'clusters' && a !== undefined && parts.length === 3) {
    if (!/^\d+$/.test(a)) throw new ApiError(400, 'a cluster id is a number');
    const details = selectClusterDetails(ctx.db, Number(a));
    if (!details) throw new ApiError(404, `no cluster ${a}`);
    return ok(details);
  }
  throw new ApiError(404, `no route GET ${path}`);
}

export async function handlePost(ctx: ApiContext, path: string, body: unknown): Promise<ApiAnswer> {
  if (path === '/api/trace') return ok(runTrace(ctx, body));
  if (path === '/api/report') return reportOf(ctx, body);
  if (path === '/api/notes') {
    if (!ctx.write) throw new ApiError(403, 'the workbench is read-only: start it with hoptrace serve --write to write notes');
    return { status: 201, body: await addNote(ctx, body) };
  }
  if (path === '/api/assertions') {
    if (!ctx.write) throw new ApiError(403, 'the workbench is read-only: start it with hoptrace serve --write to assert clusters');
    return { status: 201, body: await addAssertion(ctx, body) };
  }
  throw new ApiError(404, `no route POST ${path}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, `bad path segment ${JSON.stringify(segment)}`);
  }
}

function accountOf(db: Db, rail: string, ident: string): AccountKey {
  if (!isRail(rail)) throw new ApiError(400, `unknown rail ${JSON.stringify(rail)} (bank, ethereum or tron)`);
  const account = findAccount(db, `${rail}:${ident}`);
  if (!account) throw new ApiError(404, `no account ${rail}:${ident} in the case file`);
  return account;
}

function limitOf(text: string | null, fallback: number, max: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new ApiError(400, `limit: a whole number from 1 to ${max}`);
  return Number(text);
}

const asText = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new ApiError(400, `${name}: a string or a number`);
};

function runTrace(ctx: ApiContext, body: unknown): TraceResult {
  if (typeof body !== 'object' || body === null) throw new ApiError(400, 'the body is a JSON object {"seeds": [...], "rule": ...}');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b['seeds']) || b['seeds'].length === 0 || !b['seeds'].every((s) => typeof s === 'string'))
    throw new ApiError(400, 'seeds: a non-empty array of strings');
  const seeds = b['seeds'] as string[];
  const rule = asText(b['rule'], 'rule') ?? 'fifo';
  if (!(RULE_NAMES as readonly string[]).includes(rule))
    throw new HoptraceError(`unknown rule ${JSON.stringify(rule)}`, { hint: `use one of ${RULE_NAMES.join(', ')}` });
  const maxHops = asText(b['maxHops'], 'maxHops');
  const minAmount = asText(b['minAmount'], 'minAmount');
  const until = asText(b['until'], 'until');
  const stopAtDegree = asText(b['stopAtDegree'], 'stopAtDegree');
  const options = parseTraceOptions(ctx.db, {
    rule,
    ...(maxHops === undefined ? {} : { maxHops }),
    ...(minAmount === undefined ? {} : { minAmount }),
    ...(until === undefined ? {} : { until }),
    ...(stopAtDegree === undefined ? {} : { stopAtDegree }),
  });
  if (ctx.caseName === undefined) return traceCase({ db: ctx.db, casePath: ctx.casePath, seeds, options });
  const result = traceCase({ db: ctx.db, casePath: null, seeds, options });
  result.case.path = ctx.caseName;
  return result;
}

function addNote(ctx: ApiContext, body: unknown): CaseNote | Promise<CaseNote> {
  const writer = ctx.writer ?? CASE_FILE_WRITER;
  if (typeof body !== 'object' || body === null) throw new ApiError(400, 'the body is a JSON object {"account": "RAIL:IDENT" | "transfer": ID, "text": ...}');
  const b = body as Record<string, unknown>;
  if (typeof b['text'] !== 'string') throw new ApiError(400, 'text: a string');
  const at = new Date().toISOString();
  if (typeof b['account'] === 'string') {
    const account = findAccount(ctx.db, b['account']);
    if (!account) throw new ApiError(404, `no account ${b['account']} in the case file`);
    return writer.note(ctx.db, { accountId: account.id }, b['text'], at);
  }
  if (typeof b['transfer'] === 'number' && Number.isInteger(b['transfer'])) return writer.note(ctx.db, { transferId: b['transfer'] }, b['text'], at);
  throw new ApiError(400, 'name the note\'s target: "account": "RAIL:IDENT" or "transfer": ID');
}

/** `{"a": "RAIL:IDENT", "b": "RAIL:IDENT", "same": true | false, "reason": "…"}`: applied by the next hoptrace cluster. */
function addAssertion(ctx: ApiContext, body: unknown): CaseAssertion | Promise<CaseAssertion> {
  if (typeof body !== 'object' || body === null)
    throw new ApiError(400, 'the body is a JSON object {"a": "RAIL:IDENT", "b": "RAIL:IDENT", "same": true, "reason": ...}');
  const b = body as Record<string, unknown>;
  if (typeof b['a'] !== 'string' || typeof b['b'] !== 'string') throw new ApiError(400, 'a and b: two accounts, "RAIL:IDENT"');
  if (typeof b['same'] !== 'boolean') throw new ApiError(400, 'same: true (one operator) or false (never one operator)');
  if (typeof b['reason'] !== 'string') throw new ApiError(400, 'reason: a string');
  const account = (text: string) => {
    const found = findAccount(ctx.db, text);
    if (!found) throw new ApiError(404, `no account ${text} in the case file`);
    return found.id;
  };
  return (ctx.writer ?? CASE_FILE_WRITER).assertion(
    ctx.db,
    { a: account(b['a']), b: account(b['b']), same: b['same'], reason: b['reason'] },
    new Date().toISOString(),
  );
}

const REPORT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The evidence report of a trace (the body of POST /api/trace plus `format`), as `trace --report` writes it. */
function reportOf(ctx: ApiContext, body: unknown): ApiAnswer {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const format = b['format'] ?? 'html';
  if (typeof format !== 'string' || !(REPORT_FORMATS as readonly string[]).includes(format))
    throw new ApiError(400, `format: one of ${REPORT_FORMATS.join(', ')}`);
  const result = runTrace(ctx, body);
  // Named from the case file being served, as `trace --report` names them from its case file.
  const text = writeReport(result, format as ReportFormat, {
    timestamp: b['timestamp'] === false ? null : new Date().toISOString(),
    names: selectCaseNames(ctx.db, traceAccountKeys(result)),
  });
  return { status: 200, body: null, file: { type: REPORT_TYPES[format as ReportFormat], name: `hoptrace-report-${result.rule}.${format}`, text } };
}
