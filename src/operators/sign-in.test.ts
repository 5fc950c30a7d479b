/**
 * Operator sign-in (OPS-2): e-mail, password and a TOTP code every time; one answer for
 * every failure; codes work once; failures slow down; sessions end when idle, at their
 * lifetime and at sign-out; console writes need the CSRF token; roles are enforced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, signInRequest, type TestOperator } from '../../test/harness/operators.js';
import { ManualClock } from '../shared/clock.js';
import { disableOperatorAccount } from './accounts.js';
import { OPERATOR_COOKIE } from './http-auth.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

/** Every test uses a fresh 30 s step, so a code from an earlier test is never a replay here. */
const nextStep = () => clock.advance(30_000);
const codeOf = (op: TestOperator, steps = 0) => totpCode(op.secret, clock.now(), steps);
const withoutRequestId = (body: string) => ({ ...(JSON.parse(body) as Record<string, unknown>), requestId: undefined });

describe('operator sign-in', () => {
  it('signs in with e-mail, password and TOTP: a strict, HttpOnly cookie scoped to the operator API, and the CSRF token', async () => {
    nextStep();
    const op = await newOperator(t, 'risk', 'Sato Yui');
    const r = await signInRequest(t, { email: op.email.toUpperCase(), password: op.password, code: await codeOf(op) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json() as { operator: Record<string, unknown>; csrfToken: string; idleTimeoutSeconds: number };
    expect(body.operator).toEqual({ id: op.id, name: 'Sato Yui', email: op.email, role: 'risk', via: 'console' });
    expect(body.idleTimeoutSeconds).toBe(1800);
    const cookie = r.cookies.find((c) => c.name === OPERATOR_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/ops/v1' });
    expect(cookie.secure).toBeFalsy(); // http://localhost; https public URLs get Secure
    expect(cookie.value).toMatch(/^kpo_[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const stored = await t.db.pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM operator_sessions');
    expect(JSON.stringify(stored.rows)).not.toContain(cookie.value);

    const me = await consoleRequest(t, { cookie: cookie.value, csrfToken: body.csrfToken }, 'GET', '/ops/v1/session');
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ operator: body.operator, csrfToken: body.csrfToken });
    expect(t.logs.text).toContain('"action":"operator.sign_in"');
    expect(t.logs.text).not.toContain(op.password);
    expect(t.logs.text).not.toContain(op.secret);
  });

  it('answers one 401 for an unknown address, a wrong password, a wrong, empty or replayed code, and a disabled account', async () => {
    nextStep();
    const op = await newOperator(t);
    const right = { email: op.email, password: op.password, code: await codeOf(op) };
    const wrongCode = String((Number(right.code) + 1) % 1_000_000).padStart(6, '0');
    const failures = [
      { ...right, email: `nobody-${op.email}` },
      { ...right, password: `${op.password}x` },
      { ...right, code: wrongCode },
      { ...right, code: '' },
      { ...right, code: await codeOf(op, -3) }, // from a minute and a half ago
    ];
    const answers = [];
    for (const f of failures) {
      const r = await signInRequest(t, f);
      expect(r.statusCode, JSON.stringify(f)).toBe(401);
      answers.push(withoutRequestId(r.body));
    }
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ code: 'operator_sign_in_failed' });

    // The right code works once: a second sign-in with it (shoulder-surfed, phished) is refused.
    expect((await signInRequest(t, right)).statusCode).toBe(200);
    const replay = await signInRequest(t, right);
    expect(replay.statusCode).toBe(401);
    expect(withoutRequestId(replay.body)).toEqual(answers[0]);
    nextStep();
    expect((await signInRequest(t, { ...right, code: await codeOf(op) })).statusCode).toBe(200);

    // A disabled operator is refused the same way, and their sessions have ended.
    nextStep();
    const session = await signInOperator(t, op);
    expect(await disableOperatorAccount({ pool: t.konpay.pool, clock }, op.email)).toBe('disabled');
    expect((await consoleRequest(t, session, 'GET', '/ops/v1/session')).status).toBe(401);
    nextStep();
    const disabled = await signInRequest(t, { ...right, code: await codeOf(op) });
    expect(withoutRequestId(disabled.body)).toEqual(answers[0]);
  });

  it('refuses a missing code as invalid input: the second factor is never optional', async () => {
    const op = await newOperator(t);
    const r = await t.konpay.app.inject({ method: 'POST', url: '/ops/v1/session', payload: { email: op.email, password: op.password } });
    expect(r.statusCode).toBe(400);
    expect(r.cookies).toEqual([]);
  });

  it('slows failures down per operator: after 5 free failures each try waits, even with the right credentials, and every wait ends', async () => {
    nextStep();
    const op = await newOperator(t);
    for (let i = 0; i < 6; i++) {
      expect((await signInRequest(t, { email: op.email, password: 'wrong password', code: '000000' })).statusCode).toBe(401);
    }
    const blocked = await signInRequest(t, { email: op.email, password: op.password, code: await codeOf(op) });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'operator_sign_in_throttled', retryAfterSeconds: 1 });
    expect(blocked.headers['retry-after']).toBe('1');
    clock.advance(1000);
    expect((await signInRequest(t, { email: op.email, password: op.password, code: await codeOf(op) })).statusCode).toBe(200);
    // A success clears the operator's count.
    nextStep();
    expect((await signInRequest(t, { email: op.email, password: 'wrong again', code: '000000' })).statusCode).toBe(401);
    expect((await signInRequest(t, { email: op.email, password: op.password, code: await codeOf(op) })).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes, after 12 hours whatever the use, and at sign-out', async () => {
    nextStep();
    const op = await newOperator(t);
    const idle = await signInOperator(t, op);
    clock.advance(29 * 60_000);
    expect((await consoleRequest(t, idle, 'GET', '/ops/v1/session')).status).toBe(200);
    clock.advance(29 * 60_000); // touched 29 minutes ago: still alive
    expect((await consoleRequest(t, idle, 'GET', '/ops/v1/session')).status).toBe(200);
    clock.advance(31 * 60_000);
    const expired = await consoleRequest(t, idle, 'GET', '/ops/v1/session');
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ code: 'operator_unauthorized' });

    nextStep();
    const busy = await signInOperator(t, op);
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 20) {
      expect((await consoleRequest(t, busy, 'GET', '/ops/v1/session')).status, `after ${elapsed} min`).toBe(200);
      clock.advance(20 * 60_000);
    }
    expect((await consoleRequest(t, busy, 'GET', '/ops/v1/session')).status).toBe(401);

    nextStep();
    const leaving = await signInOperator(t, op);
    const out = await consoleRequest(t, leaving, 'DELETE', '/ops/v1/session');
    expect(out.status).toBe(204);
    expect((await consoleRequest(t, leaving, 'GET', '/ops/v1/session')).status).toBe(401);
  });

  it('refuses console writes without the session\'s CSRF token, and routes a role may not use', async () => {
    nextStep();
    const risk = await signInOperator(t, await newOperator(t, 'risk'));
    const noToken = await consoleRequest(t, risk, 'DELETE', '/ops/v1/session', undefined, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.json).toMatchObject({ code: 'operator_csrf_failed' });
    const otherToken = await consoleRequest(t, { ...risk, csrfToken: `${risk.csrfToken.slice(0, -2)}AA` }, 'DELETE', '/ops/v1/session');
    expect(otherToken.status).toBe(403);
    // Reads need no token: a GET changes nothing.
    expect((await consoleRequest(t, risk, 'GET', '/ops/v1/session', undefined, { csrf: false })).status).toBe(200);

    const support = await signInOperator(t, await newOperator(t, 'support'));
    const unfreeze = await consoleRequest(t, support, 'POST', `/ops/v1/customers/usr_${'0'.repeat(32)}/unfreeze`, { reason: 'customer called back' });
    expect(unfreeze.status).toBe(403);
    expect(unfreeze.json).toMatchObject({ code: 'operator_forbidden' });
    // Admin-only by default: registering merchants.
    expect((await consoleRequest(t, support, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).status).toBe(403);
    expect((await consoleRequest(t, risk, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).status).toBe(403);
    const admin = await signInOperator(t, await newOperator(t, 'admin'));
    expect((await consoleRequest(t, admin, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).status).toBe(201);
    // Any role reads.
    expect((await consoleRequest(t, support, 'GET', '/ops/v1/merchants')).status).toBe(200);
    expect(t.logs.text).toContain('"action":"role.refused"');
  });
});

describe('operator sign-in behind https', () => {
  it('marks the cookie Secure when the public URL is https', async () => {
    const https = await startTestKonpay({ PUBLIC_URL: 'https://konpay.example' }, { worker: false });
    try {
      const op = await newOperator(https);
      const r = await signInRequest(https, { email: op.email, password: op.password, code: await totpCode(op.secret, new Date()) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.cookies.find((c) => c.name === OPERATOR_COOKIE)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/ops/v1' });
    } finally {
      await https.stop();
    }
  });
});
