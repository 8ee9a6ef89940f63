import { HoptraceError } from './errors.js';

/**
 * Option values given as text (by the CLI or the workbench's API) as typed values: strings become
 * typed values once, at the edge that receives them.
 */
export function parsePositiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  // Past 2^53 a number is not the one given (99999999999999999999 would be recorded as 1e20).
  if (!Number.isSafeInteger(Number(text)))
    throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a whole number ≥ 1 and at most ${Number.MAX_SAFE_INTEGER}`);
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

/** A date, with a time of day and an offset if given: `2024-03-01`, `2024-03-01T12:00`, `…T12:00:00.250+02:00` (fractions to nanoseconds, read to the millisecond). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([zZ]|[+-]\d{2}:?\d{2})?)?$/;
/** Milliseconds since 1970 from 1973 to 5138: 12 to 14 digits. */
const MILLISECONDS = /^\d{12,14}$/;

/**
 * `2024-03-01`, `2024-03-01T12:00:00Z` (UTC unless an offset is given), or milliseconds since 1970
 * (docs/cli.md, "Time options"). Anything else is refused, a date that does not exist (31 April)
 * too: a time that reads as another one would silently move what a trace or a listing covers.
 */
export function parseTime(text: string, option: TimeOption): number {
  const value = text.trim();
  if (MILLISECONDS.test(value)) return Number(value);
  const refuse = (why: string): HoptraceError =>
    new HoptraceError(`${option} ${JSON.stringify(text)}: ${why}`, {
      hint: 'give a date (2024-03-01), a UTC time (2024-03-01T12:00:00Z) or milliseconds since 1970 (1709294400000)',
    });
  if (/^\d{10}$/.test(value)) throw refuse('seconds since 1970? the option takes milliseconds (add 000)');
  if (/^\d+$/.test(value)) throw refuse('not a time: milliseconds since 1970 have 12 to 14 digits');
  const parts = DATE_TIME.exec(value);
  if (!parts) throw refuse('not a date or time');
  const [, year, month, day, hour, minute, second, , zone] = parts;
  // setUTCFullYear, not Date.UTC: the latter reads the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day))
    throw refuse(`there is no such day (${year}-${month}-${day})`);
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) throw refuse('no such time of day');
  if (zone && /^[+-]/.test(zone) && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(-2)) > 59)) throw refuse(`no such offset (${zone})`);
  const dayTime = TIME_OPTION_BOUNDS[option] === 'start' ? 'T00:00:00.000Z' : 'T23:59:59.999Z';
  const withZone = hour === undefined ? `${value}${dayTime}` : zone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`;
  const time = Date.parse(withZone);
  if (Number.isNaN(time)) throw refuse('not a date or time');
  return time;
}
