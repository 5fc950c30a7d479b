/**
 * Attacks on sign-in (SPEC.md §1): a stolen password used from the attacker's own device
 * (7pay weakness 3), brute force of one-time codes, session fixation, and one customer
 * reaching into another's sessions and devices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, signUp, type SignedUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { ManualClock } from '../shared/clock.js';

let t: TestKonpay;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.konpay.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}), headers });

async function startNewDeviceLogin(s: SignedUp): Promise<string> {
  const res = await post('/v1/login', { identifier: s.email, password: s.password });
  expect(res.statusCode).toBe(202);
  return (res.json() as { flowId: string }).flowId;
}

describe('password-only login from a new device (7pay weakness 3)', () => {
  it('is stopped at the second factor: the right password alone yields no session', async () => {
    const victim = await signUp(t);
    const res = await post('/v1/login', { identifier: victim.email, password: victim.password });
    expect(res.statusCode).toBe(202);
    const body = res.json() as Record<string, unknown>;
    expect(body.status).toBe('second_factor_required');
    expect(JSON.stringify(body)).not.toMatch(/kps_/);
    expect(res.cookies.find((c) => c.name === 'konpay_session')).toBeUndefined();
    // A forged or foreign device credential does not help.
    const other = await signUp(t);
    for (const credential of [other.deviceCredential, `${victim.deviceCredential.slice(0, -4)}AAAA`, 'eyJhbGciOiJub25lIn0.e30.']) {
      const r = await post('/v1/login', { identifier: victim.email, password: victim.password }, { 'x-konpay-device': credential });
      expect(r.statusCode).toBe(202);
    }
  });

  it('does not remember a device once its owner forgot it', async () => {
    const s = await signUp(t);
    const devices = await t.konpay.app.inject({ method: 'GET', url: '/v1/me/devices', headers: bearer(s.token) });
    const id = (devices.json() as { devices: { id: string }[] }).devices[0]!.id;
    const del = await t.konpay.app.inject({ method: 'DELETE', url: `/v1/me/devices/${id}`, headers: bearer(s.token) });
    expect(del.statusCode).toBe(204);
    const r = await post('/v1/login', { identifier: s.email, password: s.password }, { 'x-konpay-device': s.deviceCredential });
    expect(r.statusCode).toBe(202); // the credential is still well signed, but revoked
    // …and the device's sessions ended with it.
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(s.token) })).statusCode).toBe(401);
  });
});

describe('one-time code brute force (ID-3)', () => {
  it('ends the flow after 5 wrong codes: the 6th try fails even with the right code', async () => {
    const s = await signUp(t);
    const flowId = await startNewDeviceLogin(s);
    await post(`/v1/login/${flowId}/sms`);
    const right = await latestCode(t, s.phoneE164, 'sms');
    const wrong = right === '000000' ? '111111' : '000000';
    const remaining: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(`/v1/login/${flowId}/verify`, { method: 'sms', code: wrong });
      remaining.push((r.json() as { remaining?: number; code: string }).remaining ?? (r.json() as { code: string }).code);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 'too_many_attempts']);
    const sixth = await post(`/v1/login/${flowId}/verify`, { method: 'sms', code: right });
    expect(sixth.statusCode).not.toBe(200);
    expect(JSON.stringify(sixth.json())).not.toMatch(/kps_/);
  });

  it('does not reset the failure count when a new code is sent, and spaces resends', async () => {
    const s = await signUp(t);
    const flowId = await startNewDeviceLogin(s);
    await post(`/v1/login/${flowId}/sms`);
    const first = await latestCode(t, s.phoneE164, 'sms');
    for (let i = 0; i < 3; i++) await post(`/v1/login/${flowId}/verify`, { method: 'sms', code: first === '000000' ? '111111' : '000000' });

    const tooSoon = await post(`/v1/login/${flowId}/sms`);
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json()).toMatchObject({ code: 'resend_too_soon' });
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);

    clock.advance(31_000);
    expect((await post(`/v1/login/${flowId}/sms`)).statusCode).toBe(202);
    const second = await latestCode(t, s.phoneE164, 'sms');
    // The new code replaced the old one…
    const old = await post(`/v1/login/${flowId}/verify`, { method: 'sms', code: first === second ? '999999' : first });
    // …and the count went on from 3: this 4th failure leaves one try, not four.
    expect(old.json()).toMatchObject({ code: 'code_wrong', remaining: 1 });
    const ok = await post(`/v1/login/${flowId}/verify`, { method: 'sms', code: second, deviceLabel: 'Laptop' });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses the right code after ten minutes', async () => {
    const s = await signUp(t);
    const flowId = await startNewDeviceLogin(s);
    await post(`/v1/login/${flowId}/sms`);
    const code = await latestCode(t, s.phoneE164, 'sms');
    clock.advance(10 * 60_000 + 1);
    const r = await post(`/v1/login/${flowId}/verify`, { method: 'sms', code });
    // The code and its login flow both last ten minutes: the flow is gone with it.
    expect(r.json()).toMatchObject({ status: 404, code: 'flow_not_found' });
    expect(JSON.stringify(r.json())).not.toMatch(/kps_/);
  });

  it('refuses a code from another flow of the same account', async () => {
    const s = await signUp(t);
    const a = await startNewDeviceLogin(s);
    await post(`/v1/login/${a}/sms`);
    const codeForA = await latestCode(t, s.phoneE164, 'sms');
    const b = await startNewDeviceLogin(s);
    await post(`/v1/login/${b}/sms`);
    const r = await post(`/v1/login/${b}/verify`, { method: 'sms', code: codeForA });
    // (a 1-in-a-million chance that B drew the same code is accepted by this test's design)
    if (codeForA !== (await latestCode(t, s.phoneE164, 'sms'))) expect(r.json()).toMatchObject({ code: 'code_wrong' });
  });
});

describe('session fixation and IDOR (ID-9)', () => {
  it('issues a new token at every login; a token planted before login is never upgraded', async () => {
    const s = await signUp(t);
    const planted = 'kps_' + 'A'.repeat(43);
    const r = await post('/v1/login', { identifier: s.email, password: s.password, transport: 'cookie' }, { 'x-konpay-device': s.deviceCredential, cookie: `konpay_session=${planted}` });
    expect(r.statusCode).toBe(200);
    const issued = r.cookies.find((c) => c.name === 'konpay_session')!.value;
    expect(issued).not.toBe(planted);
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `konpay_session=${planted}` } })).statusCode).toBe(401);
  });

  it('does not let one customer see or end another\'s sessions or devices', async () => {
    const alice = await signUp(t);
    const mallory = await signUp(t);
    const aliceSessions = await t.konpay.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: bearer(alice.token) });
    const aliceSession = (aliceSessions.json() as { sessions: { id: string }[] }).sessions[0]!.id;
    const aliceDevices = await t.konpay.app.inject({ method: 'GET', url: '/v1/me/devices', headers: bearer(alice.token) });
    const aliceDevice = (aliceDevices.json() as { devices: { id: string }[] }).devices[0]!.id;

    const s = await t.konpay.app.inject({ method: 'DELETE', url: `/v1/me/sessions/${aliceSession}`, headers: bearer(mallory.token) });
    const d = await t.konpay.app.inject({ method: 'DELETE', url: `/v1/me/devices/${aliceDevice}`, headers: bearer(mallory.token) });
    expect(s.json()).toMatchObject({ status: 404, code: 'not_found_session' });
    expect(d.json()).toMatchObject({ status: 404, code: 'not_found_device' });
    const malloryView = await t.konpay.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: bearer(mallory.token) });
    expect(JSON.stringify(malloryView.json())).not.toContain(aliceSession);
    // Alice is untouched.
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(alice.token) })).statusCode).toBe(200);
  });
});
