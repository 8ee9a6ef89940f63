/**
 * Exchange exports write UTC as `2020-07-22 02:26:44`, `2026-06-10T05:09:23Z` or with
 * milliseconds; the header says UTC (`Date(UTC)`, `UTC_Time`) or the layout's documentation does.
 * Anything else is refused rather than guessed: a local time read as UTC moves a payment by hours.
 */
export function parseUtcTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|\+00:?00| UTC)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  const check = new Date(time);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  return time;
}

/**
 * `5/21/2017 1:37:47 PM` (month first, 12-hour clock: Bittrex's 2017 exports, UTC) as
 * `2017-05-21 13:37:47`; undefined for any other text.
 */
export function usDateTimeAsIso(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/i.exec(text.trim());
  if (!m) return undefined;
  const [, month, day, year, hour, minute, second, half] = m;
  const h12 = Number(hour);
  if (h12 < 1 || h12 > 12) return undefined;
  const h24 = (h12 % 12) + (half!.toUpperCase() === 'PM' ? 12 : 0);
  const two = (n: string | number): string => String(n).padStart(2, '0');
  return `${year}-${two(month!)}-${two(day!)} ${two(h24)}:${minute}:${second}`;
}
