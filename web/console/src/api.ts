/**
 * The operator API from the console: same origin, the HttpOnly `konpay_ops` cookie (the
 * page's script never sees it), and the session's CSRF token on every write. The token
 * comes from the sign-in answer (or `GET /ops/v1/session` after a reload) and is kept in
 * memory only: the cookie is scoped to /ops/v1, so no cookie could carry it to this page.
 */
import type { Problem } from './contract.js';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
  get code(): string {
    return this.problem.code;
  }
}

/** The network is down or the answer was not the API's. */
export class NetworkError extends Error {}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new NetworkError('network');
  }
  if (res.status === 204) return undefined as T;
  if (!(res.headers.get('content-type') ?? '').includes('json')) throw new NetworkError(`unexpected ${res.status}`);
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new ApiError(json as Problem);
  return json as T;
}
