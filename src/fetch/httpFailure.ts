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
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
