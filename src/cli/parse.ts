import { HoptraceError } from '../model/errors.js';

/** Strings become typed values once, here at the CLI edge. */
export function parsePositiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  return Number(text);
}

/** `2024-03-01`, `2024-03-01T12:00:00Z` (UTC unless an offset is given), or milliseconds. */
export function parseTime(text: string, option: string): number {
  const value = text.trim();
  if (/^\d{12,14}$/.test(value)) return Number(value);
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(withZone);
  if (Number.isNaN(time)) throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a date (2024-03-01), a UTC time (2024-03-01T12:00:00Z) or milliseconds`);
  return time;
}
