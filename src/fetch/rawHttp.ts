import { createHash } from 'node:crypto';
import { HttpFailure, retryAfterSeconds } from './httpFailure.js';

/** A response body as received, with its SHA-256: what a fetched source's provenance cites. */
export interface RawBody {
  text: string;
  sha256: string;
  bytes: number;
}

/**
 * One HTTP request, read whole. Non-2xx answers become HttpFailure (status, Retry-After) for the
 * retry policy to judge; the timeout covers connecting and reading the body.
 */
export async function requestRaw(
  url: string,
  init: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; timeoutMs: number },
  shownUrl: string,
): Promise<RawBody> {
  const { target, authorization } = splitCredentials(url);
  const response = await fetch(target, {
    method: init.method,
    headers: { ...(authorization ? { authorization } : {}), ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  const buffer = Buffer.from(await response.arrayBuffer());
  const text = buffer.toString('utf8');
  if (!response.ok) throw new HttpFailure(shownUrl, response.status, retryAfterSeconds(response.headers.get('retry-after')), text.slice(0, 200).trim());
  return { text, sha256: createHash('sha256').update(buffer).digest('hex'), bytes: buffer.length };
}

/** `http://user:pass@host/` → the URL without them and a Basic authorization header (fetch refuses credentials in URLs). */
function splitCredentials(url: string): { target: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { target: url, authorization: undefined };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.toString(), authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') };
}
