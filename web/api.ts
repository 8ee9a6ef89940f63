/** The workbench's API (docs/workbench.md); the token travels in the HttpOnly cookie. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new ApiFailure(response.status, (body as { error?: string }).error ?? `HTTP ${response.status}`);
  return body as T;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { credentials: 'same-origin' }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

export const accountPath = (rail: string, ident: string): string => `/api/accounts/${encodeURIComponent(rail)}/${encodeURIComponent(ident)}`;
