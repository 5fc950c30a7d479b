/**
 * Operators in tests: an account made as `npm run ops -- operators add` makes it, its
 * authenticator app (the secret from the printed otpauth URI), and console requests with
 * the session cookie and the CSRF token, as the console sends them.
 */
import { expect } from 'vitest';
import { createOperator } from '../../src/operators/accounts.js';
import { OPERATOR_COOKIE } from '../../src/operators/http-auth.js';
import type { OperatorRole } from '../../src/operators/repo.js';
import { secretBytes } from '../../src/secrets.js';
import { totpCode } from './factors.js';
import type { TestKonpay } from './konpay.js';

let counter = 0;

export interface TestOperator {
  id: string;
  email: string;
  password: string;
  /** The authenticator app's secret, read from the otpauth URI. */
  secret: string;
  role: OperatorRole;
}

export function secretOfUri(uri: string): string {
  const secret = new URL(uri).searchParams.get('secret');
  if (!secret) throw new Error('no secret in the otpauth URI');
  return secret;
}

export async function newOperator(t: TestKonpay, role: OperatorRole = 'risk', name = 'Sato Yui'): Promise<TestOperator> {
  const email = `op${process.pid}-${++counter}@konpay.example`;
  const r = await createOperator(
    { pool: t.konpay.pool, clock: t.konpay.identity.clock, hasher: t.konpay.identity.hasher, encryptionKey: secretBytes(t.config.secrets.encryptionKey) },
    { email, name, role },
  );
  if (r.kind !== 'created') throw new Error(`operator: ${r.kind}`);
  return { id: r.id, email, password: r.password, secret: secretOfUri(r.totpUri), role };
}

export interface ConsoleSession {
  cookie: string;
  csrfToken: string;
}

export function signInRequest(t: TestKonpay, body: { email: string; password: string; code: string }, headers: Record<string, string> = {}) {
  return t.konpay.app.inject({ method: 'POST', url: '/ops/v1/session', payload: body, headers });
}

/** Signs in with the code of the current step (`steps` periods off); the clock must have moved past the last one used. */
export async function signInOperator(t: TestKonpay, op: TestOperator, steps = 0): Promise<ConsoleSession> {
  const r = await signInRequest(t, { email: op.email, password: op.password, code: await totpCode(op.secret, t.konpay.identity.clock.now(), steps) });
  expect(r.statusCode, r.body).toBe(200);
  const cookie = r.cookies.find((c) => c.name === OPERATOR_COOKIE);
  if (!cookie) throw new Error('no console cookie');
  return { cookie: cookie.value, csrfToken: (r.json() as { csrfToken: string }).csrfToken };
}

/** A console request: the cookie always, the CSRF token unless `csrf: false`. */
export async function consoleRequest<T = Record<string, unknown>>(
  t: TestKonpay, s: ConsoleSession, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, opts: { csrf?: boolean } = {},
): Promise<{ status: number; json: T; headers: Record<string, unknown> }> {
  const r = await t.konpay.app.inject({
    method, url,
    cookies: { [OPERATOR_COOKIE]: s.cookie },
    headers: { ...(opts.csrf === false ? {} : { 'x-csrf-token': s.csrfToken }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: r.statusCode, json: (r.body ? r.json() : undefined) as T, headers: r.headers };
}
