/**
 * An endpoint URL as it may be written to the case file, logs and reports: without user and
 * password, without key-like query values, and without path segments that look like an API key
 * (Infura's `/v3/<key>`, Alchemy's `/v2/<key>`, QuickNode's `/<token>/`).
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unreadable URL>';
  }
  parsed.username = '';
  parsed.password = '';
  // A fragment is never sent to the server and can carry a token (`#access_token=…`).
  parsed.hash = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/key|token|secret|auth|pass|sig/i.test(name)) parsed.searchParams.set(name, 'REDACTED');
  }
  parsed.pathname = parsed.pathname
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{20,}$/.test(segment) && /\d/.test(segment) ? 'REDACTED' : segment))
    .join('/');
  return parsed.toString();
}
