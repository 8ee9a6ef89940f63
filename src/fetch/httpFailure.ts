import { HoptraceError } from '../model/errors.js';

/** An HTTP answer that was not 2xx, with what retrying needs to know. */
export class HttpFailure extends HoptraceError {
  constructor(
    readonly url: string,
    readonly status: number,
    /** Seconds from a Retry-After header, when the server gave one. */
    readonly retryAfterSeconds: number | undefined,
    readonly bodyStart: string,
  ) {
    super(`HTTP ${status} from ${url}${bodyStart ? `: ${bodyStart}` : ''}`);
    this.name = 'HttpFailure';
  }
}

/** `Retry-After` as seconds (a number of seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  // Only an HTTP date (RFC 9110 IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"): Date.parse
  // also reads "1.5" or "-1" as dates.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(header.trim())) return undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
