import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, messagesTo, newCustomer, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t.stop());

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.konpay.app.inject({ method, url, ...(payload ? { payload } : {}), headers });

describe('sign-up (ID-1)', () => {
  it('creates an account only after both the e-mail and the SMS code are proven', async () => {
    const who = newCustomer();
    const start = await inject('POST', '/v1/signup', { email: who.email.toUpperCase(), phone: who.phone, password: who.password });
    expect(start.statusCode).toBe(202);
    const { flowId } = start.json() as { flowId: string };

    const emailOnly = await inject('POST', `/v1/signup/${flowId}/verify`, { emailCode: await latestCode(t, who.email) });
    expect(emailOnly.json()).toEqual({ status: 'pending', remaining: { email: false, sms: true } });

    const done = await inject('POST', `/v1/signup/${flowId}/verify`, { smsCode: await latestCode(t, who.phoneE164) });
    expect(done.statusCode).toBe(201);
    const body = done.json() as { userId: string; session: { token: string }; deviceCredential: string; restrictedUntil: null };
    expect(body.session.token).toMatch(/^kps_/);

    const me = await inject('GET', '/v1/me', undefined, bearer(body.session.token));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: body.userId, email: who.email, phone: who.phoneE164, factors: ['sms'], frozen: false });

    // The flow is spent: replaying the codes creates nothing.
    const again = await inject('POST', `/v1/signup/${flowId}/verify`, { smsCode: '000000' });
    expect(again.json()).toMatchObject({ code: 'flow_not_found' });
    const events = await inject('GET', '/v1/me/security-events', undefined, bearer(body.session.token));
    expect((events.json() as { events: { kind: string }[] }).events.map((e) => e.kind)).toEqual(['account_created']);
  });

  it('refuses weak passwords, non-mobile numbers and bad addresses before sending anything', async () => {
    const who = newCustomer();
    for (const [payload, code] of [
      [{ ...who, password: 'password1' }, 'weak_password'],
      [{ ...who, password: 'short' }, 'weak_password'],
      [{ ...who, password: `${who.email} is mine` }, 'weak_password'],
      [{ ...who, phone: '03-1234-5678' }, 'invalid_phone'],
      [{ ...who, email: 'not-an-address' }, 'invalid_email'],
    ] as const) {
      const res = await inject('POST', '/v1/signup', { email: payload.email, phone: payload.phone, password: payload.password });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code });
    }
    expect(await messagesTo(t, who.email)).toEqual([]);
  });

  it('accepts long Unicode passphrases', async () => {
    const who = { ...newCustomer(), password: '猫が好きな私のパスフレーズ、とても長い' };
    const s = await signUp(t, who);
    expect(s.token).toMatch(/^kps_/);
  });

  it('gives a second sign-up with a taken phone number the same answer, and never an account', async () => {
    const first = await signUp(t);
    const other = newCustomer();
    const res = await inject('POST', '/v1/signup', { email: other.email, phone: first.phone, password: other.password, locale: 'en' });
    expect(res.statusCode).toBe(202);
    const { flowId } = res.json() as { flowId: string };
    const smsToOwner = (await messagesTo(t, first.phoneE164)).find((m) => /already/.test(m.body));
    expect(smsToOwner).toBeDefined();
    const emailCode = await latestCode(t, other.email);
    const r = await inject('POST', `/v1/signup/${flowId}/verify`, { emailCode, smsCode: '123456' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'code_wrong' });
  });
});

describe('login (ID-4)', () => {
  it('lets a remembered device in with the password alone', async () => {
    const s = await signUp(t);
    const res = await inject('POST', '/v1/login', { identifier: s.email, password: s.password }, { 'x-konpay-device': s.deviceCredential });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { session: { token: string } };
    expect(body.session.token).not.toBe(s.token); // a new token at every authentication
    expect((await inject('GET', '/v1/me', undefined, bearer(body.session.token))).statusCode).toBe(200);
  });

  it('asks a new device for a second factor, then remembers it and restricts the account for a day', async () => {
    const s = await signUp(t);
    const res = await inject('POST', '/v1/login', { identifier: s.phone, password: s.password });
    expect(res.statusCode).toBe(202);
    const flow = res.json() as { flowId: string; methods: string[] };
    expect(flow.methods).toEqual(['sms']);
    expect((await inject('POST', `/v1/login/${flow.flowId}/sms`)).statusCode).toBe(202);
    const code = await latestCode(t, s.phoneE164, 'sms');
    const done = await inject('POST', `/v1/login/${flow.flowId}/verify`, { method: 'sms', code, deviceLabel: 'New laptop' });
    expect(done.statusCode).toBe(200);
    const body = done.json() as { session: { token: string }; deviceCredential: string; restrictedUntil: string };
    expect(new Date(body.restrictedUntil).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const devices = await inject('GET', '/v1/me/devices', undefined, bearer(body.session.token));
    expect((devices.json() as { devices: { label: string }[] }).devices.map((x) => x.label).sort()).toEqual(['New laptop', 'Test phone']);
    const notices = await messagesTo(t, s.email);
    expect(notices.some((m) => m.subject?.includes('New sign-in'))).toBe(true);

    const next = await inject('POST', '/v1/login', { identifier: s.email, password: s.password }, { 'x-konpay-device': body.deviceCredential });
    expect(next.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown account alike', async () => {
    const s = await signUp(t);
    const wrong = await inject('POST', '/v1/login', { identifier: s.email, password: 'not the password at all' });
    const unknown = await inject('POST', '/v1/login', { identifier: 'nobody-here@example.jp', password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });
});

describe('sessions (ID-9)', () => {
  it('lists sessions and signs out everywhere', async () => {
    const s = await signUp(t);
    const second = await inject('POST', '/v1/login', { identifier: s.email, password: s.password }, { 'x-konpay-device': s.deviceCredential });
    const token2 = (second.json() as { session: { token: string } }).session.token;
    const list = await inject('GET', '/v1/me/sessions', undefined, bearer(token2));
    expect((list.json() as { sessions: unknown[] }).sessions).toHaveLength(2);
    const all = await inject('POST', '/v1/me/sessions/revoke-all', undefined, bearer(token2));
    expect(all.json()).toEqual({ revoked: 2 });
    for (const tok of [s.token, token2]) {
      expect((await inject('GET', '/v1/me', undefined, bearer(tok))).json()).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('uses cookies with CSRF protection for the web', async () => {
    const s = await signUp(t);
    const res = await inject('POST', '/v1/login', { identifier: s.email, password: s.password, transport: 'cookie' }, { 'x-konpay-device': s.deviceCredential });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { session: { token?: string; csrfToken: string } };
    expect(body.session.token).toBeUndefined();
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(cookies.konpay_session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const cookie = `konpay_session=${cookies.konpay_session!.value}`;
    expect((await inject('GET', '/v1/me', undefined, { cookie })).statusCode).toBe(200);
    const noCsrf = await inject('POST', '/v1/logout', undefined, { cookie });
    expect(noCsrf.json()).toMatchObject({ status: 403, code: 'csrf_failed' });
    const ok = await inject('POST', '/v1/logout', undefined, { cookie, 'x-csrf-token': body.session.csrfToken });
    expect(ok.statusCode).toBe(204);
  });
});
