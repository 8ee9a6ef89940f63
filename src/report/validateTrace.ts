import { readFileSync } from 'node:fs';
import { HoptraceError } from '../model/errors.js';
import { RULE_NAMES, type TraceResult } from '../model/trace.js';
import { RAILS } from '../model/types.js';
import { HISTORY_BASES } from '../model/trace.js';
import { traceConsistencyProblems } from './traceConsistency.js';

/**
 * A report is evidence built from one file: before writing a line, check that the file really is
 * a hoptrace trace result, field by field, and name the first problems with their JSON path
 * (`edges[3].source.sha256`), so a truncated or hand-edited file is refused, never half-reported.
 */
type Check = (value: unknown, path: string, problems: string[]) => void;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const OUTCOMES = ['carried', 'endpoint', 'beyond-hop-limit', 'below-threshold', 'linked'];

const fail = (problems: string[], path: string, what: string): void => {
  problems.push(`${path || 'the file'} ${what}`);
};

const text: Check = (v, p, out) => (typeof v === 'string' ? undefined : fail(out, p, 'is not a string'));
const decimal: Check = (v, p, out) =>
  typeof v === 'string' && DECIMAL.test(v) ? undefined : fail(out, p, `is not a decimal amount string (${JSON.stringify(v)})`);
const time: Check = (v, p, out) => (typeof v === 'string' && ISO_TIME.test(v) ? undefined : fail(out, p, `is not a UTC ISO time (${JSON.stringify(v)})`));
const sha256: Check = (v, p, out) => (typeof v === 'string' && SHA256.test(v) ? undefined : fail(out, p, 'is not a SHA-256 (64 lowercase hex digits)'));
const integer: Check = (v, p, out) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : fail(out, p, 'is not a whole number'));
const boolean: Check = (v, p, out) => (typeof v === 'boolean' ? undefined : fail(out, p, 'is not true or false'));
const oneOf =
  (values: readonly string[]): Check =>
  (v, p, out) =>
    values.includes(v as string) ? undefined : fail(out, p, `is ${JSON.stringify(v)}, not one of ${values.join(', ')}`);
const nullable =
  (check: Check): Check =>
  (v, p, out) =>
    v === null ? undefined : check(v, p, out);
const optional =
  (check: Check): Check =>
  (v, p, out) =>
    v === undefined ? undefined : check(v, p, out);

function object(fields: Record<string, Check>): Check {
  return (v, p, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(out, p, 'is not an object');
    const record = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(fields)) check(record[key], p ? `${p}.${key}` : key, out);
  };
}

function array(item: Check): Check {
  return (v, p, out) => {
    if (!Array.isArray(v)) return fail(out, p, 'is not a list');
    v.forEach((element, i) => item(element, `${p}[${i}]`, out));
  };
}

const bySeed: Check = (v, p, out) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(out, p, 'is not an object of amounts per seed');
  for (const [seed, amount] of Object.entries(v)) decimal(amount, `${p}.${seed}`, out);
};

const amountsByAsset: Check = (v, p, out) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(out, p, 'is not an object of amounts per asset');
  for (const [asset, amount] of Object.entries(v)) decimal(amount, `${p}.${asset}`, out);
};

/** DESIGN rule 10: how much of the holder's own history the case holds. */
const history: Check = (v, p, out) => {
  const kind = (v as { class?: unknown } | null)?.class;
  if (kind === 'in-case') return object({ class: text, until: time, basis: oneOf(HISTORY_BASES) })(v, p, out);
  if (kind === 'last-seen') return object({ class: text, lastSeen: time })(v, p, out);
  fail(out, p, 'is not a history class (in-case or last-seen)');
};

const accountAmount = { rail: oneOf(RAILS), ident: text, asset: text, amount: decimal, bySeed, cluster: optional(integer) };

const TRACE_RESULT: Check = object({
  rule: oneOf(RULE_NAMES),
  params: object({
    maxHops: nullable(integer),
    minAmount: nullable(amountsByAsset),
    until: nullable(time),
    stopAtDegree: nullable(integer),
    seeds: array(text),
  }),
  seeds: array(
    object({
      id: text,
      ref: text,
      rail: oneOf(RAILS),
      asset: text,
      amount: decimal,
      paid: decimal,
      traced: decimal,
      reason: optional(text),
      from: text,
      to: text,
      time,
    }),
  ),
  endpoints: array(object({ ...accountAmount, category: text, labels: array(text), first: time, last: time })),
  held: array(object({ ...accountAmount, history })),
  beyondHopLimit: array(object(accountAmount)),
  belowThreshold: array(object(accountAmount)),
  unknownSourceDraws: array(object({ rail: oneOf(RAILS), ident: text, asset: text, amount: decimal, transfers: integer })),
  edges: array(
    object({
      transfer: integer,
      rail: oneOf(RAILS),
      ref: text,
      seq: integer,
      logIndex: nullable(integer),
      from: text,
      to: text,
      asset: text,
      amount: decimal,
      traced: decimal,
      bySeed,
      hop: integer,
      time,
      viaLink: optional(integer),
      beyondHopLimit: optional(bySeed),
      allocation: optional(object({ balanceBefore: decimal, tracedBefore: decimal, tracedCarried: decimal, tracedLeft: decimal, unknownDrawn: decimal })),
      outcome: oneOf(OUTCOMES),
      source: object({ path: text, sha256, line: integer }),
    }),
  ),
  totals: object({
    byAsset: array(
      object({
        asset: text,
        seeded: decimal,
        linkedIn: decimal,
        convertedOut: decimal,
        atEndpoints: decimal,
        held: decimal,
        beyondHopLimit: decimal,
        belowThreshold: decimal,
        unknownSourceDrawn: decimal,
        unaccounted: decimal,
      }),
    ),
    edges: integer,
    accountsReached: integer,
    conserved: boolean,
  }),
  case: object({ path: text, sha256: nullable(sha256), unhashed: optional(text), tool: text, version: text }),
  sources: array(object({ path: text, sha256, size: integer, adapter: text, rows: integer, rejected: integer })),
  balanceGaps: optional(array(object({ account: text, asset: text, missing: decimal, path: text, lineAfter: integer }))),
});

/** The problems that make a value not a trace result (empty when it is one). */
export function traceResultProblems(value: unknown): string[] {
  const problems: string[] = [];
  TRACE_RESULT(value, '', problems);
  if (problems.length === 0) {
    const result = value as TraceResult;
    const seedIds = new Set(result.seeds.map((s) => s.id));
    result.edges.forEach((e, i) => {
      for (const seed of Object.keys(e.bySeed))
        if (!seedIds.has(seed)) problems.push(`edges[${i}].bySeed names seed ${JSON.stringify(seed)}, which is not among the seeds`);
    });
    problems.push(...traceConsistencyProblems(result));
  }
  return problems;
}

/** Reads a `hoptrace trace --out FILE` result (or a JSON report of one) for a report, refusing anything else. */
export function readTraceForReport(path: string): TraceResult {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HoptraceError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file: path });
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new HoptraceError(`not a hoptrace trace: invalid JSON (${(error as Error).message})`, {
      file: path,
      hint: 'write one with hoptrace trace SEED… --out FILE',
    });
  }
  const problems = traceResultProblems(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
    throw new HoptraceError(`not a hoptrace trace: ${shown}`, { file: path, hint: 'write one with hoptrace trace SEED… --out FILE' });
  }
  return value as TraceResult;
}
