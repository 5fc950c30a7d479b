import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import type { PushMessage, Sender } from '../notify/port.js';
import { ManualClock } from '../shared/clock.js';

const clock = new ManualClock(new Date());
const pushed: PushMessage[] = [];
const push: Sender<PushMessage> = { name: 'test-push', send: async (m) => { pushed.push(m); } };

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({ SESSION_IDLE_MINUTES: '60', SESSION_ABSOLUTE_HOURS: '3' }, { worker: false, clock, senders: { push } });
});
afterAll(() => t.stop());

const me = (token: string) => t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });

describe('session lifetime (ID-9)', () => {
  it('ends a session left idle longer than the idle timeout', async () => {
    const s = await signUp(t);
    clock.advance(59 * 60_000);
    expect((await me(s.token)).statusCode).toBe(200); // use keeps it alive…
    clock.advance(59 * 60_000);
    expect((await me(s.token)).statusCode).toBe(200);
    clock.advance(61 * 60_000); // …idleness ends it
    expect((await me(s.token)).json()).toMatchObject({ status: 401, code: 'session_expired' });
  });

  it('ends every session at its absolute lifetime, however busy', async () => {
    const s = await signUp(t);
    for (let i = 0; i < 5; i++) {
      clock.advance(35 * 60_000);
      expect((await me(s.token)).statusCode).toBe(200);
    }
    clock.advance(10 * 60_000); // 3 h 5 min after sign-in
    expect((await me(s.token)).json()).toMatchObject({ code: 'session_expired' });
  });

  it('serves concurrent requests on one session that all want to refresh its idle clock', async () => {
    const s = await signUp(t);
    clock.advance(2 * 60_000);
    const all = await Promise.all(Array.from({ length: 10 }, () => me(s.token)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
  });

  it('refuses tokens of the wrong shape without looking them up', async () => {
    for (const token of ['', 'kps_short', 'Bearer', 'kps_' + 'A'.repeat(43) + '\u0000']) {
      const r = await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(401);
    }
  });
});

describe('account view and notices', () => {
  it('shows factors, devices, restriction and frozen state', async () => {
    const s = await signUp(t);
    const body = (await me(s.token)).json() as Record<string, unknown>;
    expect(body).toMatchObject({ factors: ['sms'], restrictedUntil: null, frozen: false, mustResetPassword: false });
    expect(body.devices).toEqual([expect.objectContaining({ label: 'Test phone', current: true })]);
  });

  it('sends security notices by Web Push to subscribed devices (ID-13)', async () => {
    const s = await signUp(t);
    const sub = { endpoint: 'https://push.example.net/wpush/v2/abc', keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQt', auth: 'tBHItJI5svbpez7KI4CCXg' } };
    const bad = await t.konpay.app.inject({ method: 'POST', url: '/v1/me/push-subscriptions', headers: bearer(s.token), payload: { ...sub, endpoint: 'http://insecure.example/x' } });
    expect(bad.statusCode).toBe(400);
    const ok = await t.konpay.app.inject({ method: 'POST', url: '/v1/me/push-subscriptions', headers: bearer(s.token), payload: sub });
    expect(ok.statusCode).toBe(204);

    pushed.length = 0;
    await t.konpay.app.inject({ method: 'POST', url: '/v1/me/sessions/revoke-all', headers: bearer(s.token) });
    while ((await t.konpay.worker.runOnce()) > 0);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ subscription: sub, title: 'You were signed out everywhere' });
  });
});
