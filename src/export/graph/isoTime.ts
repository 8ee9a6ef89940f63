const DAY_MS = 86_400_000;
const MAX_DATE_MS = 8.64e15;

/**
 * `new Date(ms).toISOString()` for a stream of times, mostly in order: the date part is made by
 * Date once per day and kept, the time of day by arithmetic (a Date per transfer was a tenth of a
 * 1,000,000-edge export). Byte-identical to toISOString for every valid time.
 */
export class IsoTimes {
  private day = Number.NaN;
  private prefix = '';

  format(time: number): string {
    // Beyond Date's range (or NaN) toISOString throws its RangeError; within it, Date truncates.
    if (!(Math.abs(time) <= MAX_DATE_MS)) return new Date(time).toISOString();
    const ms = Math.trunc(time) + 0;
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.prefix = new Date(day * DAY_MS).toISOString().slice(0, -13);
      this.day = day;
    }
    let rest = ms - day * DAY_MS;
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    return `${this.prefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
