import { formatAmount } from '../model/amount.js';
import { HoptraceError } from '../model/errors.js';
import type { AccountAmount, RuleName, TraceResult } from '../model/trace.js';

/**
 * The range of opinion (docs/tracing.md, "Comparing rules"): the same seeds and limits traced
 * under several rules, per victim and per endpoint side by side. Amounts per victim are per
 * asset (`{"USDT": "1800.000000"}`), since a victim's euros reach exchanges as USDT through links.
 */
export type AssetAmounts = Record<string, string>;

export interface VictimOutcome {
  atEndpoints: AssetAmounts;
  held: AssetAmounts;
  beyondHopLimit: AssetAmounts;
  belowThreshold: AssetAmounts;
}

export interface RuleComparison {
  rules: RuleName[];
  victims: { rail: string; ident: string; paid: AssetAmounts; byRule: Partial<Record<RuleName, VictimOutcome>> }[];
  endpoints: { rail: string; ident: string; category: string; labels: string[]; asset: string; byRule: Partial<Record<RuleName, string>> }[];
}

interface Units {
  units: bigint;
  decimals: number;
}

function units(text: string): Units {
  const dot = text.indexOf('.');
  return { units: BigInt(text.replace('.', '')), decimals: dot < 0 ? 0 : text.length - dot - 1 };
}

function addUnits(target: Map<string, Units>, asset: string, amount: string): void {
  const u = units(amount);
  const known = target.get(asset);
  target.set(asset, known ? { units: known.units + u.units, decimals: known.decimals } : u);
}

function asAmounts(map: Map<string, Units>): AssetAmounts {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([asset, u]) => [asset, formatAmount(u.units, u.decimals)]));
}

/** Traces of the same seeds and limits under different rules → the comparison. */
export function compareTraces(results: readonly TraceResult[]): RuleComparison {
  if (results.length === 0) throw new HoptraceError('nothing to compare', { hint: 'give at least one rule' });
  const first = results[0]!;
  const seedsOf = (r: TraceResult): string => r.seeds.map((s) => s.id).join(',');
  for (const r of results) {
    if (seedsOf(r) !== seedsOf(first))
      throw new HoptraceError(`the ${r.rule} trace has other seeds than the ${first.rule} trace`, {
        hint: 'compare traces of the same seeds (hoptrace compare SEED… traces them for you)',
      });
    const { seeds: _a, ...params } = r.params;
    const { seeds: _b, ...firstParams } = first.params;
    if (JSON.stringify(params) !== JSON.stringify(firstParams))
      throw new HoptraceError(`the ${r.rule} trace has other limits than the ${first.rule} trace`, {
        hint: 'compare traces with the same --max-hops, --min-amount, --until and --stop-at-degree',
      });
  }
  const rules = results.map((r) => r.rule);
  if (new Set(rules).size !== rules.length) throw new HoptraceError(`a rule is given twice: ${rules.join(', ')}`);

  const victimKey = new Map<string, string>();
  const victims = new Map<string, RuleComparison['victims'][number]>();
  for (const seed of first.seeds) {
    const k = `${seed.rail}:${seed.from}`;
    victimKey.set(seed.id, k);
    let victim = victims.get(k);
    if (!victim) victims.set(k, (victim = { rail: seed.rail, ident: seed.from, paid: {}, byRule: {} }));
  }
  const paid = new Map<string, Map<string, Units>>();
  for (const seed of first.seeds) {
    const k = victimKey.get(seed.id)!;
    if (!paid.has(k)) paid.set(k, new Map());
    addUnits(paid.get(k)!, seed.asset, seed.paid);
  }
  for (const [k, amounts] of paid) victims.get(k)!.paid = asAmounts(amounts);

  for (const result of results) {
    const sums = new Map<string, Record<keyof VictimOutcome, Map<string, Units>>>();
    for (const k of victims.keys()) sums.set(k, { atEndpoints: new Map(), held: new Map(), beyondHopLimit: new Map(), belowThreshold: new Map() });
    const spread = (items: readonly AccountAmount[], field: keyof VictimOutcome): void => {
      for (const item of items) {
        for (const [seed, amount] of Object.entries(item.bySeed)) {
          const k = victimKey.get(seed);
          if (k) addUnits(sums.get(k)![field], item.asset, amount);
        }
      }
    };
    spread(result.endpoints, 'atEndpoints');
    spread(result.held, 'held');
    spread(result.beyondHopLimit, 'beyondHopLimit');
    spread(result.belowThreshold, 'belowThreshold');
    for (const [k, s] of sums) {
      victims.get(k)!.byRule[result.rule] = {
        atEndpoints: asAmounts(s.atEndpoints),
        held: asAmounts(s.held),
        beyondHopLimit: asAmounts(s.beyondHopLimit),
        belowThreshold: asAmounts(s.belowThreshold),
      };
    }
  }

  const endpoints = new Map<string, RuleComparison['endpoints'][number] & { largest: bigint; decimals: number }>();
  for (const result of results) {
    for (const e of result.endpoints) {
      const k = `${e.rail}\u0000${e.ident}\u0000${e.asset}`;
      let entry = endpoints.get(k);
      if (!entry)
        endpoints.set(
          k,
          (entry = {
            rail: e.rail,
            ident: e.ident,
            category: e.category,
            labels: e.labels,
            asset: e.asset,
            byRule: {},
            largest: 0n,
            decimals: units(e.amount).decimals,
          }),
        );
      entry.byRule[result.rule] = e.amount;
      const u = units(e.amount).units;
      if (u > entry.largest) entry.largest = u;
    }
  }
  const endpointList = [...endpoints.values()]
    .sort((a, b) => (a.largest === b.largest ? (a.rail + a.ident + a.asset < b.rail + b.ident + b.asset ? -1 : 1) : a.largest > b.largest ? -1 : 1))
    .map(({ largest: _largest, decimals, ...entry }) => ({
      ...entry,
      byRule: Object.fromEntries(rules.map((rule) => [rule, entry.byRule[rule] ?? formatAmount(0n, decimals)])),
    }));
  return { rules, victims: [...victims.values()], endpoints: endpointList };
}

/** max − min of some amounts of one asset, in minor units. */
export function spreadOf(amounts: readonly string[]): bigint {
  const values = amounts.map((a) => units(a).units);
  if (values.length === 0) return 0n;
  let min = values[0]!;
  let max = values[0]!;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}

/** One line of the comparison as a reader sees it: a victim's outcome or an endpoint, one asset, each rule. */
export interface ComparisonRow {
  kind: 'victim' | 'endpoint';
  label: string;
  measure: string;
  asset: string;
  byRule: Partial<Record<RuleName, string>>;
  spread: string;
  /** The largest spread of its kind and asset (the figure most open to argument). */
  largest: boolean;
}

/** The comparison as rows, with the spread of each and the largest spread per kind and asset flagged. */
export function comparisonRows(comparison: RuleComparison): ComparisonRow[] {
  const rows: (Omit<ComparisonRow, 'spread' | 'largest'> & { spreadUnits: bigint; decimals: number })[] = [];
  const measures: [keyof VictimOutcome, string][] = [
    ['atEndpoints', 'at endpoints'],
    ['held', 'held'],
    ['beyondHopLimit', 'beyond hop limit'],
    ['belowThreshold', 'below threshold'],
  ];
  for (const v of comparison.victims) {
    for (const [field, measure] of measures) {
      const assets = [...new Set(comparison.rules.flatMap((rule) => Object.keys(v.byRule[rule]?.[field] ?? {})))].sort();
      for (const asset of assets) {
        const present = comparison.rules.map((rule) => v.byRule[rule]?.[field][asset]).find((a) => a !== undefined)!;
        const zero = formatAmount(0n, units(present).decimals);
        const byRule = Object.fromEntries(comparison.rules.map((rule) => [rule, v.byRule[rule]?.[field][asset] ?? zero]));
        rows.push({
          kind: 'victim',
          label: `${v.rail}:${v.ident}`,
          measure,
          asset,
          byRule,
          spreadUnits: spreadOf(Object.values(byRule)),
          decimals: units(present).decimals,
        });
      }
    }
  }
  for (const e of comparison.endpoints) {
    const byRule = e.byRule as Record<string, string>;
    const first = Object.values(byRule)[0] ?? '0';
    rows.push({
      kind: 'endpoint',
      label: `${e.category}: ${e.rail}:${e.ident}${e.labels.length ? ` (${e.labels.join('; ')})` : ''}`,
      measure: 'reached',
      asset: e.asset,
      byRule: e.byRule,
      spreadUnits: spreadOf(Object.values(byRule)),
      decimals: units(first).decimals,
    });
  }
  const largest = new Map<string, bigint>();
  for (const r of rows) {
    const k = `${r.kind}|${r.asset}`;
    if (r.spreadUnits > (largest.get(k) ?? 0n)) largest.set(k, r.spreadUnits);
  }
  return rows.map(({ spreadUnits, decimals, ...r }) => ({
    ...r,
    spread: formatAmount(spreadUnits, decimals),
    largest: spreadUnits > 0n && spreadUnits === largest.get(`${r.kind}|${r.asset}`),
  }));
}
