import type { TraceResult } from '../model/trace.js';
import { auditTrace } from './hopAudit.js';
import { victimSummaries } from './reportModel.js';
import type { RuleComparison } from '../trace/compare.js';
import { LIMITATIONS, PRECEDENCE, RULE_EXPLANATIONS, TIE_BREAKS } from './ruleExplanations.js';

/**
 * The JSON report: the trace result in canonical form, then a `report` object (method, legal
 * source, limitations, per-victim summary, checks). Canonical means the bytes depend only on the
 * content: keys in the documented order of each object (src/model/trace.ts), unknown keys after
 * them in code-point order, per-seed maps by seed id, two-space indentation. It stays a valid
 * trace: `hoptrace report` reads it back.
 */
const ACCOUNT = ['rail', 'ident', 'category', 'labels', 'asset', 'amount', 'bySeed', 'history', 'first', 'last', 'cluster', 'transfers'];
const KEY_ORDER: Record<string, readonly string[]> = {
  '': [
    'rule',
    'params',
    'seeds',
    'endpoints',
    'held',
    'beyondHopLimit',
    'belowThreshold',
    'unknownSourceDraws',
    'edges',
    'totals',
    'case',
    'sources',
    'report',
  ],
  params: ['maxHops', 'minAmount', 'until', 'stopAtDegree', 'seeds'],
  seeds: ['id', 'ref', 'rail', 'asset', 'amount', 'paid', 'traced', 'reason', 'from', 'to', 'time'],
  history: ['class', 'until', 'basis', 'lastSeen'],
  endpoints: ACCOUNT,
  held: ACCOUNT,
  beyondHopLimit: ACCOUNT,
  belowThreshold: ACCOUNT,
  unknownSourceDraws: ACCOUNT,
  edges: [
    'transfer',
    'rail',
    'ref',
    'seq',
    'logIndex',
    'from',
    'to',
    'asset',
    'amount',
    'traced',
    'bySeed',
    'hop',
    'time',
    'viaLink',
    'beyondHopLimit',
    'allocation',
    'outcome',
    'source',
  ],
  allocation: ['balanceBefore', 'tracedBefore', 'tracedCarried', 'tracedLeft', 'unknownDrawn'],
  source: ['path', 'sha256', 'line'],
  totals: ['byAsset', 'edges', 'accountsReached', 'conserved'],
  byAsset: ['asset', 'seeded', 'linkedIn', 'convertedOut', 'atEndpoints', 'held', 'beyondHopLimit', 'belowThreshold', 'unknownSourceDrawn', 'unaccounted'],
  case: ['path', 'sha256', 'unhashed', 'logHead', 'tool', 'version'],
  sources: ['path', 'sha256', 'size', 'adapter', 'rows', 'rejected'],
  report: ['generated', 'method', 'limitations', 'victims', 'sensitivity', 'checks'],
  method: ['rule', 'title', 'words', 'source', 'recompute', 'precedence', 'tieBreaks'],
  victims: ['rail', 'victim', 'seeds', 'paid', 'reached', 'held', 'beyondHopLimit', 'belowThreshold'],
  checks: ['problems', 'hops', 'statements'],
  hops: ['transfer', 'arithmetic', 'problems'],
  statements: ['rail', 'ident', 'asset', 'problems'],
};
/** Objects keyed by data (seed ids, categories, assets), not by schema: sorted. */
const MAPS = new Set([
  'bySeed',
  'paid',
  'reached',
  'held@victims',
  'beyondHopLimit@victims',
  'belowThreshold@victims',
  'minAmount@params',
  'beyondHopLimit@edges',
]);

/** Seed ids numerically (as JavaScript orders integer keys anyway), other keys by code point. */
function compareKeys(a: string, b: string): number {
  const integer = /^(0|[1-9]\d*)$/;
  if (integer.test(a) && integer.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonical(value: unknown, name: string, parent: string): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, name, parent));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  let ordered: string[];
  if (MAPS.has(name) || MAPS.has(`${name}@${parent}`) || parent === 'reached') ordered = [...keys].sort(compareKeys);
  else {
    const order = KEY_ORDER[name] ?? [];
    const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
    ordered = [...keys].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  const out: Record<string, unknown> = {};
  for (const k of ordered) out[k] = canonical(record[k], k, name);
  return out;
}

export function writeJson(result: TraceResult, options: { timestamp: string | null; comparison?: RuleComparison }): string {
  const audit = auditTrace(result);
  const { report: _previous, ...trace } = result as TraceResult & { report?: unknown };
  const report = {
    ...(options.timestamp ? { generated: options.timestamp } : {}),
    method: { rule: result.rule, ...RULE_EXPLANATIONS[result.rule], precedence: PRECEDENCE, tieBreaks: TIE_BREAKS },
    limitations: LIMITATIONS,
    victims: victimSummaries(result),
    ...(options.comparison ? { sensitivity: options.comparison } : {}),
    checks: {
      problems: audit.problemCount,
      hops: audit.hops.map((h, i) => ({ transfer: result.edges[i]!.transfer, arithmetic: h.arithmetic, problems: h.problems })),
      statements: audit.statements.map((s) => ({ rail: s.rail, ident: s.ident, asset: s.asset, problems: s.problems })),
    },
  };
  return JSON.stringify(canonical({ ...trace, report }, '', ''), null, 2) + '\n';
}
