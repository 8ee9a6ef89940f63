import { HoptraceError } from '../../model/errors.js';
import { RULE_NAMES, type RuleName, type TraceResult } from '../../model/trace.js';
import { compareTraces, comparisonRows, type RuleComparison } from '../../trace/compare.js';
import { readCitedCase } from '../../store/caseCitation.js';
import { traceCase } from '../../trace/traceCase.js';
import type { Db } from '../../store/caseStore.js';
import { onPostgres, withCase } from '../context.js';
import type { GlobalOptions, TraceLimitOptions } from '../options.js';
import { parseTraceLimits } from '../../trace/traceOptions.js';
import type { CompareCliOptions } from '../commands/compare.js';

export const DEFAULT_COMPARE_RULES = 'fifo,lifo,libr,pro-rata';

/** `--rules fifo,lifo`: known rule names, each once. */
export function parseRuleList(text: string, option: string): RuleName[] {
  const rules = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (rules.length === 0) throw new HoptraceError(`${option} names no rule`, { hint: `use some of ${RULE_NAMES.join(', ')}` });
  for (const rule of rules)
    if (!(RULE_NAMES as readonly string[]).includes(rule))
      throw new HoptraceError(`${option}: unknown rule ${JSON.stringify(rule)}`, { hint: `use some of ${RULE_NAMES.join(', ')}` });
  if (new Set(rules).size !== rules.length) throw new HoptraceError(`${option}: a rule is named twice`);
  return rules as RuleName[];
}

/** One trace per rule, same seeds and limits. */
export function traceUnderRules(db: Db, path: string, seeds: readonly string[], rules: readonly RuleName[], limits: TraceLimitOptions): TraceResult[] {
  const options = parseTraceLimits(db, limits);
  // One snapshot and one citation of the case file for every rule: every trace reads the same
  // state, and the file's hash is read once (docs/performance.md, "The case file's hash").
  return readCitedCase(db, path, (citation) => rules.map((rule) => traceCase({ db, casePath: path, seeds, options: { rule, ...options }, citation })));
}

/** `hoptrace compare SEED… [--rules LIST] [--json]`: the range of opinion across tracing rules. */
export async function runCompare(globals: GlobalOptions, seeds: string[], options: CompareCliOptions): Promise<RuleComparison> {
  const rules = parseRuleList(options.rules, '--rules');
  const results = onPostgres(globals)
    ? await (await import('./postgresRead.js')).traceUnderRulesPg(globals, seeds, rules, options)
    : await withCase(globals, async (db, path) => traceUnderRules(db, path, seeds, rules, options));
  const comparison = compareTraces(results);
  process.stdout.write(options.json ? JSON.stringify(comparison, null, 2) + '\n' : formatComparison(comparison));
  return comparison;
}

/** The comparison as text: per victim and per endpoint, each rule side by side, the largest spread flagged. */
export function formatComparison(comparison: RuleComparison): string {
  const out: string[] = [];
  const width = 18;
  const header = (first: string): string => `${first.padEnd(34)}${comparison.rules.map((r) => r.padStart(width)).join('')}${'spread'.padStart(width)}`;
  const line = (label: string, byRule: Record<string, string | undefined>, spread: string, largest: boolean): string =>
    `${label.padEnd(34)}${comparison.rules.map((r) => (byRule[r] ?? '—').padStart(width)).join('')}${spread.padStart(width)}${largest ? '  ◀ largest spread' : ''}`;
  const rows = comparisonRows(comparison);
  out.push(`rules compared: ${comparison.rules.join(', ')}`, '');
  for (const v of comparison.victims) {
    out.push(
      `victim ${v.rail}:${v.ident}: paid ${Object.entries(v.paid)
        .map(([asset, amount]) => `${amount} ${asset}`)
        .join(' + ')}`,
    );
    out.push(header('  '));
    for (const r of rows.filter((row) => row.kind === 'victim' && row.label === `${v.rail}:${v.ident}`))
      out.push(line(`  ${r.measure} (${r.asset})`, r.byRule, r.spread, r.largest));
    out.push('');
  }
  const endpoints = rows.filter((r) => r.kind === 'endpoint');
  if (endpoints.length > 0) {
    out.push('endpoints reached:');
    out.push(header('  '));
    for (const r of endpoints) {
      out.push(`  ${r.label}`);
      out.push(line(`    ${r.asset}`, r.byRule, r.spread, r.largest));
    }
  } else out.push('no endpoint reached under any rule');
  return out.join('\n') + '\n';
}
