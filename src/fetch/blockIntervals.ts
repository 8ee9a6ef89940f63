/** Inclusive block ranges `[from, to]`, kept sorted and merged. */
export type BlockInterval = readonly [from: number, to: number];

/** Adds `[from, to]` to a sorted, merged list; touching ranges ([1,5] and [6,9]) merge. */
export function addInterval(intervals: readonly BlockInterval[], added: BlockInterval): BlockInterval[] {
  const all = [...intervals, added].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** The parts of `[from, to]` not covered by `covered` (sorted, merged), in block order. */
export function missingIntervals(covered: readonly BlockInterval[], from: number, to: number): BlockInterval[] {
  const missing: BlockInterval[] = [];
  let next = from;
  for (const [a, b] of covered) {
    if (b < next) continue;
    if (a > to) break;
    if (a > next) missing.push([next, Math.min(a - 1, to)]);
    next = Math.max(next, b + 1);
    if (next > to) break;
  }
  if (next <= to) missing.push([next, to]);
  return missing;
}

export function intervalBlocks(intervals: readonly BlockInterval[]): number {
  return intervals.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
}
