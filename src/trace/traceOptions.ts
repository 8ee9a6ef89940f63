import type { RuleName, TraceOptions } from '../model/trace.js';
import { parsePositiveInteger, parseTime } from '../model/optionText.js';
import type { Db } from '../store/caseStore.js';
import { selectCaseAssets } from '../store/traceLedger.js';
import { parseMinAmount, type CaseAsset } from './minAmount.js';

/** The limits `trace`, `compare` and the workbench's POST /api/trace take, as text. */
export interface TraceLimitOptions {
  maxHops?: string;
  minAmount?: string;
  until?: string;
  stopAtDegree?: string;
}

/** The trace options as the CLI (and the workbench's POST /api/trace) give them, as text. */
export function parseTraceOptions(db: Db, options: TraceLimitOptions & { rule: string }): TraceOptions {
  return { rule: options.rule as RuleName, ...parseTraceLimits(db, options) };
}

/** The limits `trace` and `compare` share, parsed at the edge (--min-amount in each asset's own units). */
export function parseTraceLimits(db: Db, options: TraceLimitOptions): Omit<TraceOptions, 'rule'> {
  return parseTraceLimitsFor(() => selectCaseAssets(db), options);
}

/** The same, with the case's assets from any backend (read only for --min-amount). */
export function parseTraceLimitsFor(assets: () => readonly CaseAsset[], options: TraceLimitOptions): Omit<TraceOptions, 'rule'> {
  const limits: Omit<TraceOptions, 'rule'> = {};
  if (options.maxHops !== undefined) limits.maxHops = parsePositiveInteger(options.maxHops, '--max-hops');
  if (options.until !== undefined) limits.until = parseTime(options.until, '--until');
  if (options.stopAtDegree !== undefined) limits.stopAtDegree = parsePositiveInteger(options.stopAtDegree, '--stop-at-degree');
  if (options.minAmount !== undefined) limits.minAmount = parseMinAmount(options.minAmount, assets());
  return limits;
}
