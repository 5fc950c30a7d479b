/**
 * ID-8, ID-13: every security notice offers a one-tap "this wasn't me" that works —
 * including a sign-in on a new device and a second factor being added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, messagesTo, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t.stop());

const LINK = /\/v1\/freeze\?token=(kpf_[0-9a-f]{32}\.[A-Za-z0-9_-]{43})/;

describe('security notices carry a working freeze link', () => {
  it('lets the owner freeze the account from a new-device notice', async () => {
    const s = await signUp(t);
    const login = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: s.email, password: s.password } });
    const { flowId } = login.json() as { flowId: string };
    await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms` });
    const code = await latestCode(t, s.phoneE164, 'sms');
    const thief = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, payload: { method: 'sms', code } });
    expect(thief.statusCode).toBe(200);

    const notice = (await messagesTo(t, s.email)).find((m) => m.subject?.includes('New sign-in'))!;
    const token = LINK.exec(notice.body)?.[1];
    expect(token).toBeDefined();
    const freeze = await t.konpay.app.inject({ method: 'POST', url: '/v1/freeze', payload: { token } });
    expect(freeze.statusCode).toBe(200);
    const thiefToken = (thief.json() as { session: { token: string } }).session.token;
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(thiefToken) })).statusCode).toBe(401);
    const again = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: s.email, password: s.password } });
    expect(again.json()).toMatchObject({ status: 423, code: 'account_frozen' });
  });

  it('puts a freeze link in the notice of a new second factor', async () => {
    const s = await signUp(t);
    const r = await t.konpay.app.inject({ method: 'POST', url: '/v1/me/factors/recovery-codes', headers: bearer(s.token) });
    expect(r.statusCode).toBe(201);
    const notice = (await messagesTo(t, s.email)).find((m) => m.subject?.includes('sign-in method was added'));
    expect(notice?.body).toMatch(LINK);
  });
});
