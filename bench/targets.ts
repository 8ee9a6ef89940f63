/**
 * The performance targets (docs/performance.md) as each bench measures them: a bench calls
 * reportTarget once per target with what it measured, and `npm run bench` (bench/run.ts) gathers
 * these lines into one table at the end, so whether each target is met is read in one place.
 */
export interface Target {
  /** What is measured, e.g. "USDT ingest, Etherscan 300,000 rows: CPU ratio to the bare pipeline". */
  name: string;
  measured: number;
  /** The target as a bound: measured ≥ atLeast, or measured ≤ atMost. */
  atLeast?: number;
  atMost?: number;
  /** The unit written after both numbers ('' for a ratio). */
  unit?: string;
}

/** The line bench/run.ts looks for: `TARGET` then tab-separated fields. */
export const TARGET_PREFIX = 'TARGET\t';

export function targetMet(target: Target): boolean {
  return (target.atLeast === undefined || target.measured >= target.atLeast) && (target.atMost === undefined || target.measured <= target.atMost);
}

export function targetLine(target: Target): string {
  const unit = target.unit ? ` ${target.unit}` : '';
  const bound = [target.atLeast === undefined ? '' : `≥ ${target.atLeast}${unit}`, target.atMost === undefined ? '' : `≤ ${target.atMost}${unit}`]
    .filter(Boolean)
    .join(' and ');
  return `${TARGET_PREFIX}${target.name}\t${target.measured.toFixed(2)}${unit}\t${bound}\t${targetMet(target) ? 'met' : 'NOT met'}`;
}

export function reportTarget(target: Target): void {
  process.stdout.write(targetLine(target) + '\n');
}

/** The closing table of `npm run bench`: one row per TARGET line, in the order the benches printed them. */
export function targetTable(lines: readonly string[]): string {
  const rows = lines.map((line) => line.slice(TARGET_PREFIX.length).split('\t'));
  if (rows.length === 0) return '';
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const met = rows.filter((r) => r[3] === 'met').length;
  return (
    `\ntargets (${met} of ${rows.length} met):\n` +
    rows.map((r) => `  ${r.map((cell, i) => (i === 3 ? cell : cell.padEnd(widths[i]!))).join('  ')}`).join('\n') +
    '\n'
  );
}
