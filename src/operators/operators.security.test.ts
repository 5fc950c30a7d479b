/**
 * Attacks on the console API: a customer's session (cookie or bearer), a wrong-role
 * operator, a forged or stale console cookie, a cookie riding along with a wrong bearer
 * token, guessing which addresses are operators, and secrets leaking into logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../test/harness/customer.js';
import { totpCode } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, signInRequest } from '../../test/harness/operators.js';
import { argon2Hasher, type PasswordHasher } from '../identity/password.js';
import { secretBytes } from '../secrets.js';
import { ManualClock } from '../shared/clock.js';
import { OPERATOR_COOKIE } from './http-auth.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
let verifications = 0;

beforeAll(async () => {
  // Counts password verifications: an unknown address must cost what a known one does.
  const counting = (h: PasswordHasher): PasswordHasher => ({ hash: (p) => h.hash(p), verify: (x, p) => (verifications++, h.verify(x, p)) });
  const pepper = Buffer.alloc(32, 7);
  t = await startTestKonpay({}, { worker: false, clock, hasher: counting(argon2Hasher(pepper, { memoryKib: 1024, iterations: 1, parallelism: 1 })) });
});
afterAll(() => t.stop());

const inject = (url: string, headers: Record<string, string>, cookies: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') =>
  t.konpay.app.inject({ method, url, headers, cookies, ...(method === 'POST' ? { payload: { q: 'x@example.jp' } } : {}) });

describe('attack: a customer\'s session on the console API', () => {
  it('neither the wallet\'s cookie nor the app\'s bearer token reaches a customer\'s data', async () => {
    const customer = await signUp(t);
    const url = `/ops/v1/customers/${customer.userId}`;
    for (const r of [
      await inject(url, {}, { konpay_session: customer.token }),
      await inject(url, { authorization: `Bearer ${customer.token}` }),
      await inject(url, {}, { [OPERATOR_COOKIE]: customer.token }),
      await inject('/ops/v1/customers/search', { 'x-csrf-token': 'x' }, { konpay_session: customer.token }, 'POST'),
    ]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'operator_unauthorized' });
      expect(r.body).not.toContain(customer.email);
    }
  });
});

describe('attack: a console cookie where it does not belong', () => {
  it('a forged, revoked or borrowed cookie gets nothing; a wrong bearer token is not rescued by a good cookie', async () => {
    const op = await newOperator(t, 'admin');
    const s = await signInOperator(t, op);
    expect((await inject('/ops/v1/session', {}, { [OPERATOR_COOKIE]: s.cookie })).statusCode).toBe(200);
    expect((await inject('/ops/v1/session', {}, { [OPERATOR_COOKIE]: `${s.cookie.slice(0, -1)}${s.cookie.endsWith('A') ? 'B' : 'A'}` })).statusCode).toBe(401);
    expect((await inject('/ops/v1/session', { authorization: 'Bearer not-the-operator-token-0123456789abcdef' }, { [OPERATOR_COOKIE]: s.cookie })).statusCode).toBe(401);
    // The machine token still works on its own.
    expect((await inject('/ops/v1/session', { authorization: `Bearer ${t.config.secrets.operatorApiToken!}` })).json()).toMatchObject({ operator: { via: 'api-token', role: 'admin' }, csrfToken: null });
    // The CSRF token of one session is worthless with another.
    clock.advance(30_000);
    const other = await signInOperator(t, op);
    expect((await consoleRequest(t, { cookie: other.cookie, csrfToken: s.csrfToken }, 'DELETE', '/ops/v1/session')).status).toBe(403);
    await consoleRequest(t, s, 'DELETE', '/ops/v1/session');
    expect((await inject('/ops/v1/session', {}, { [OPERATOR_COOKIE]: s.cookie })).statusCode).toBe(401);
  });
});

describe('attack: an operator acting beyond their role', () => {
  it('support cannot unfreeze or flip kill switches, and the refusal is logged', async () => {
    clock.advance(30_000);
    const support = await signInOperator(t, await newOperator(t, 'support'));
    const switched = await consoleRequest(t, support, 'PUT', '/ops/v1/switches', { feature: 'payments', off: true, reason: 'testing my luck' });
    expect(switched.status).toBe(403);
    expect(switched.json).toMatchObject({ code: 'operator_forbidden' });
    const reads = await consoleRequest<{ switches: { feature: string; off: boolean }[] }>(t, support, 'GET', '/ops/v1/switches');
    expect(reads.status).toBe(200);
    expect(reads.json.switches.every((s) => !s.off)).toBe(true);

    const risk = await signInOperator(t, await newOperator(t, 'risk'));
    const flipped = await consoleRequest(t, risk, 'PUT', '/ops/v1/switches', { feature: 'signups', off: true, reason: 'Coupon farming wave' });
    expect(flipped.status, JSON.stringify(flipped.json)).toBe(200);
    expect(JSON.stringify(flipped.json)).toContain('opr_');
    expect(t.logs.text).toContain('"action":"role.refused"');
  });
});

describe('attack: finding out who the operators are', () => {
  it('an unknown address costs one password verification, like a known one, and answers the same', async () => {
    clock.advance(30_000);
    const op = await newOperator(t);
    const code = await totpCode(op.secret, clock.now());
    const before = verifications;
    const unknown = await signInRequest(t, { email: `ghost-${op.email}`, password: op.password, code });
    const afterUnknown = verifications;
    const known = await signInRequest(t, { email: op.email, password: `${op.password}!`, code });
    expect(afterUnknown - before).toBe(1);
    expect(verifications - afterUnknown).toBe(1);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect({ ...unknown.json(), requestId: 0 }).toEqual({ ...known.json(), requestId: 0 });
  });
});

describe('attack: signing an operator in from another site', () => {
  it('refuses a form post: only JSON signs in, which no cross-site form can send', async () => {
    clock.advance(30_000);
    const op = await newOperator(t);
    const code = await totpCode(op.secret, clock.now());
    const form = new URLSearchParams({ email: op.email, password: op.password, code }).toString();
    const r = await t.konpay.app.inject({ method: 'POST', url: '/ops/v1/session', payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(r.statusCode).toBe(415);
    expect(r.cookies).toEqual([]);
    // No CORS: a cross-origin script gets no permission to send JSON with credentials.
    const preflight = await t.konpay.app.inject({ method: 'OPTIONS', url: '/ops/v1/session', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('attack: secrets in logs and answers', () => {
  it('never writes a password, a TOTP secret, a code or a session token to the log', async () => {
    clock.advance(30_000);
    const op = await newOperator(t);
    const code = await totpCode(op.secret, clock.now());
    await signInRequest(t, { email: op.email, password: op.password, code: '123456' });
    const r = await signInRequest(t, { email: op.email, password: op.password, code });
    const cookie = r.cookies.find((c) => c.name === OPERATOR_COOKIE)!.value;
    for (const s of [op.password, op.secret, code, cookie]) expect(t.logs.text).not.toContain(s);
    // The secret at rest is sealed, not the base32 the app was given.
    const row = await t.db.pool.query<{ totp_secret_sealed: string; password_hash: string }>('SELECT totp_secret_sealed, password_hash FROM operators WHERE email = $1', [op.email]);
    expect(row.rows[0]!.totp_secret_sealed).toMatch(/^v1\./);
    expect(row.rows[0]!.totp_secret_sealed).not.toContain(op.secret);
    expect(row.rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(secretBytes(t.config.secrets.encryptionKey).length).toBeGreaterThanOrEqual(32);
  });
});
