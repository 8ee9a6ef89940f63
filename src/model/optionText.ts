import { HoptraceError } from './errors.js';

/**
 * Option values given as text (by the CLI or the workbench's API) as typed values: strings become
 * typed values once, at the edge that receives them.
 */
export function parsePositiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  return Number(text);
}

/**
 * Which end of a bare date each time option means (docs/cli.md, "Time options"): a lower bound
 * starts at the day's first millisecond, an upper bound ends at its last, so `--min-timestamp
 * 2024-01-01` includes all of 1 January and `--until 2024-01-31` all of 31 January.
 */
export const TIME_OPTION_BOUNDS = {
  '--min-timestamp': 'start',
  '--max-timestamp': 'end',
  '--until': 'end',
  '--from': 'start',
  '--to': 'end',
} as const satisfies Record<string, 'start' | 'end'>;

export type TimeOption = keyof typeof TIME_OPTION_BOUNDS;

/** `2024-03-01`, `2024-03-01T12:00:00Z` (UTC unless an offset is given), or milliseconds. */
export function parseTime(text: string, option: TimeOption): number {
  const value = text.trim();
  if (/^\d{12,14}$/.test(value)) return Number(value);
  const dayTime = TIME_OPTION_BOUNDS[option] === 'start' ? 'T00:00:00.000Z' : 'T23:59:59.999Z';
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}${dayTime}` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(withZone);
  if (Number.isNaN(time))
    throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a date (2024-03-01), a UTC time (2024-03-01T12:00:00Z) or milliseconds`);
  return time;
}
