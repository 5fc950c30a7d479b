/**
 * The API from the browser: same origin, the cookie transport (HttpOnly session and
 * device cookies the page's script cannot read), and the CSRF token that every write
 * must carry, read from the one cookie meant for it (`konpay_csrf`).
 */
import type { Problem } from '../../shared/contract.js';

/** A refusal from the API: its problem document, whose `code` the screens explain. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
  get code(): string {
    return this.problem.code;
  }
}

/** The network is down or the answer was not the API's: told apart from refusals. */
export class NetworkError extends Error {}

/**
 * How far this phone's clock is from the server's, from the latest answer's Date header.
 * A payment code's refresh and expiry times are the server's: with a phone a minute fast,
 * local time would count a fresh code as already due for refresh.
 */
let skewMs = 0;

export function serverNow(): number {
  return Date.now() + skewMs;
}

function csrfToken(): string | undefined {
  return document.cookie.split('; ').find((c) => c.startsWith('konpay_csrf='))?.slice('konpay_csrf='.length);
}

/** `extra` headers: an Idempotency-Key for requests that move money (WAL-2). */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = method === 'GET' ? undefined : csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new NetworkError('network');
  }
  // The header has whole seconds, half a second behind on average.
  const date = Date.parse(res.headers.get('date') ?? '');
  if (!Number.isNaN(date)) skewMs = date + 500 - Date.now();
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new NetworkError(`unexpected ${res.status}`);
  const json = (await res.json()) as unknown;
  if (!res.ok) {
    // Any screen's request may learn the account must replace its password first: the app
    // then shows only that screen (web/wallet/src/security/reset-required.tsx).
    if ((json as Problem).code === 'password_reset_required') dispatchEvent(new Event('konpay:password-reset-required'));
    throw new ApiError(json as Problem);
  }
  return json as T;
}
