import type { TraceResult } from '../model/trace.js';
import { decimalsOf, toUnits } from './decimal.js';

/**
 * What holds between the figures of every trace result hoptrace writes (src/trace/buildResult.ts),
 * checked before a report is written from a file (validateTrace.ts): a hand-edited or damaged file
 * whose figures no longer agree is refused, not reported. These are the result's own identities,
 * not a re-trace: a file edited consistently throughout passes, and only the case file can say
 * more (docs/reports.md, "What a report checks").
 */
export function traceConsistencyProblems(result: TraceResult): string[] {
  const problems: string[] = [];
  // Each object's amounts are written with its asset's decimals, all alike: one with more digits
  // than the others would be cut short where the report adds it up (decimal.ts, toUnits).
  const sameScale = (path: string, amounts: readonly string[]): void => {
    const scale = decimalsOf(amounts[0]!);
    const odd = amounts.find((a) => decimalsOf(a) !== scale);
    if (odd !== undefined) problems.push(`${path} has ${JSON.stringify(odd)} beside ${JSON.stringify(amounts[0])}: not one asset's decimals`);
  };
  for (const [i, s] of result.seeds.entries()) sameScale(`seeds[${i}]`, [s.amount, s.paid, s.traced]);
  for (const list of ['endpoints', 'held', 'beyondHopLimit', 'belowThreshold'] as const)
    for (const [i, h] of result[list].entries()) sameScale(`${list}[${i}]`, [h.amount, ...Object.values(h.bySeed)]);
  result.edges.forEach((e, i) => {
    const path = `edges[${i}]`;
    const allocation = e.allocation ? Object.values(e.allocation) : [];
    sameScale(path, [e.amount, e.traced, ...Object.values(e.bySeed), ...Object.values(e.beyondHopLimit ?? {}), ...allocation]);
    // Not checked against the transfer's amount: a payout linked to a fiat payment can carry that
    // payment's money beside what its sender already held traced (src/trace/engine.ts, injected lots).
    if (!same(e.traced, Object.values(e.bySeed))) problems.push(`${path}.traced ${e.traced} is not the sum of its bySeed`);
  });
  if (result.totals.edges !== result.edges.length)
    problems.push(`totals.edges says ${result.totals.edges}, but the file lists ${result.edges.length} edges: edges were added or removed`);
  for (const [i, t] of result.totals.byAsset.entries()) {
    const path = `totals.byAsset[${i}]`;
    const figures = [t.seeded, t.linkedIn, t.convertedOut, t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unknownSourceDrawn, t.unaccounted];
    sameScale(path, figures);
    const ofAsset = <T extends { asset: string }>(items: readonly T[]): T[] => items.filter((item) => item.asset === t.asset);
    const listed: [keyof typeof t, string, string[]][] = [
      ['seeded', 'the traced amounts of its seeds', ofAsset(result.seeds).map((s) => s.traced)],
      ['atEndpoints', 'its endpoints', ofAsset(result.endpoints).map((h) => h.amount)],
      ['held', 'its held amounts', ofAsset(result.held).map((h) => h.amount)],
      ['beyondHopLimit', 'its amounts beyond the hop limit', ofAsset(result.beyondHopLimit).map((h) => h.amount)],
      ['belowThreshold', 'its amounts below the threshold', ofAsset(result.belowThreshold).map((h) => h.amount)],
    ];
    for (const [field, what, amounts] of listed)
      if (!same(t[field], amounts)) problems.push(`${path}.${field} ${t[field]} ${t.asset} is not the sum of ${what}`);
    // What came in (seeded, linked in) less what left (converted out) is where it rests, or unaccounted.
    const scale = scaleOf(figures);
    const balance = toUnits(t.seeded, scale) + toUnits(t.linkedIn, scale) - toUnits(t.convertedOut, scale);
    const rests = [t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unaccounted].reduce((sum, v) => sum + toUnits(v, scale), 0n);
    if (balance !== rests) problems.push(`${path}: seeded + linkedIn − convertedOut is not atEndpoints + held + beyondHopLimit + belowThreshold + unaccounted`);
  }
  const conserved = result.totals.byAsset.every((t) => toUnits(t.unaccounted, decimalsOf(t.unaccounted)) === 0n);
  if (result.totals.conserved !== conserved) problems.push(`totals.conserved is ${result.totals.conserved}, but the unaccounted amounts say ${conserved}`);
  return problems;
}

/** Whether `total` is the exact sum of `parts`, at the finest scale among them (found once: a list may hold 100,000 amounts). */
function same(total: string, parts: readonly string[]): boolean {
  const scale = scaleOf([total, ...parts]);
  let sum = 0n;
  for (const part of parts) sum += toUnits(part, scale);
  return toUnits(total, scale) === sum;
}

function scaleOf(values: readonly string[]): number {
  let scale = 0;
  for (const value of values) scale = Math.max(scale, decimalsOf(value));
  return scale;
}
