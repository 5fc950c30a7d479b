/** Re-authentication and privileged changes (ID-8, ID-10, ID-13) as the owner makes them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, api, freezeTokenIn, reauthenticate } from '../../../test/harness/account.js';
import { bearer, latestCode, newCustomer, signUp } from '../../../test/harness/customer.js';
import { enableTotp, totpCode } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const DAY = 24 * 3_600_000;
type Me = { email: string; phone: string; restrictedUntil: string | null };
const me = async (token: string) => (await call('GET', '/v1/me', undefined, bearer(token))).json() as Me;
const kinds = async (token: string) => ((await call('GET', '/v1/me/security-events', undefined, bearer(token))).json() as { events: { kind: string }[] }).events.map((e) => e.kind);

describe('re-authentication', () => {
  it('works with an SMS code to the verified phone, and opens the privileged window', async () => {
    const who = await signUp(t);
    clock.advance(10 * 60_000);
    expect((await call('POST', '/v1/me/reauthenticate/sms', undefined, bearer(who.token))).statusCode).toBe(202);
    const tooSoon = await call('POST', '/v1/me/reauthenticate/sms', undefined, bearer(who.token));
    expect(tooSoon.json()).toMatchObject({ status: 429, code: 'resend_too_soon' });
    const wrong = await call('POST', '/v1/me/reauthenticate', { method: 'sms', code: '000000' }, bearer(who.token));
    expect(wrong.json()).toMatchObject({ code: 'code_wrong' });
    const res = await call('POST', '/v1/me/reauthenticate', { method: 'sms', code: await latestCode(t, who.phoneE164, 'sms') }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { session: { token: string }; privilegedUntil: string };
    expect(new Date(body.privilegedUntil).getTime()).toBe(clock.now().getTime() + 5 * 60_000);
    expect((await call('POST', '/v1/me/phone', { newPhone: '080-3333-4444' }, bearer(body.session.token))).statusCode).toBe(202);
  });

  it('works with an authenticator code', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    clock.advance(10 * 60_000);
    const res = await call('POST', '/v1/me/reauthenticate', { method: 'totp', code: await totpCode(secret, clock.now()) }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses a body mixing a password and a code, or naming no factor', async () => {
    const who = await signUp(t);
    for (const body of [{ password: who.password, method: 'sms', code: '123456' }, { method: 'birth_date', code: '19900401' }, {}]) {
      expect((await call('POST', '/v1/me/reauthenticate', body, bearer(who.token))).json()).toMatchObject({ code: 'validation_failed' });
    }
  });
});

describe('changing the password', () => {
  it('signs out every other session, keeps this one, restricts the account and notifies with a freeze link', async () => {
    const who = await signUp(t);
    const other = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': who.deviceCredential });
    const otherToken = (other.json() as { session: { token: string } }).session.token;
    const newPassword = 'a quieter passphrase 2026';
    const res = await call('POST', '/v1/me/password', { currentPassword: who.password, newPassword }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'changed', sessionsRevoked: 1, restrictedUntil: new Date(clock.now().getTime() + DAY).toISOString() });
    expect((await call('GET', '/v1/me', undefined, bearer(otherToken))).statusCode).toBe(401);
    expect((await me(who.token)).restrictedUntil).not.toBeNull();
    expect(await kinds(who.token)).toContain('password_changed');
    const notice = (await allMessages(t)).find((m) => m.to === who.email && /password was changed/.test(m.subject ?? ''));
    expect(freezeTokenIn(notice!.body)).toBeDefined();
    const login = await call('POST', '/v1/login', { identifier: who.email, password: newPassword }, { 'x-konpay-device': who.deviceCredential });
    expect(login.statusCode).toBe(200);
  });

  it('refuses a weak new password', async () => {
    const who = await signUp(t);
    const res = await call('POST', '/v1/me/password', { newPassword: 'password1' }, bearer(who.token));
    expect(res.json()).toMatchObject({ code: 'weak_password', reason: 'breached' });
  });
});

describe('changing the e-mail address', () => {
  it('switches only after the new address proves its code, and tells the old one with a freeze link', async () => {
    const who = await signUp(t);
    const newEmail = newCustomer('moved').email;
    const start = await call('POST', '/v1/me/email', { newEmail: ` ${newEmail.toUpperCase()} ` }, bearer(who.token));
    expect(start.statusCode, start.body).toBe(202);
    const { flowId } = start.json() as { flowId: string };
    expect((await me(who.token)).email).toBe(who.email);

    const res = await call('POST', `/v1/me/email/${flowId}/confirm`, { code: await latestCode(t, newEmail, 'email') }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'changed', email: newEmail, phone: who.phoneE164 });
    expect((await me(who.token)).email).toBe(newEmail);
    expect(await kinds(who.token)).toContain('email_changed');

    const toOld = (await allMessages(t)).find((m) => m.to === who.email && /e-mail address was changed/.test(m.subject ?? ''));
    expect(toOld?.body).toContain('c****@example.jp → m****@example.jp');
    expect(freezeTokenIn(toOld!.body)).toBeDefined();
    const login = await call('POST', '/v1/login', { identifier: newEmail, password: who.password }, { 'x-konpay-device': who.deviceCredential });
    expect(login.statusCode).toBe(200);
  });

  it('refuses an address that is not one, or is already the account\'s', async () => {
    const who = await signUp(t);
    expect((await call('POST', '/v1/me/email', { newEmail: 'nope' }, bearer(who.token))).json()).toMatchObject({ code: 'invalid_email' });
    expect((await call('POST', '/v1/me/email', { newEmail: who.email }, bearer(who.token))).json()).toMatchObject({ code: 'contact_unchanged' });
  });
});

describe('changing the phone number', () => {
  it('switches after the SMS code, and texts the old number a freeze link', async () => {
    const who = await signUp(t);
    const next = newCustomer('p');
    const start = await call('POST', '/v1/me/phone', { newPhone: next.phone }, bearer(who.token));
    const { flowId } = start.json() as { flowId: string };
    const res = await call('POST', `/v1/me/phone/${flowId}/confirm`, { code: await latestCode(t, next.phoneE164, 'sms') }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
    expect(new Date((await me(who.token)).restrictedUntil!).getTime()).toBe(clock.now().getTime() + DAY);
    expect((await me(who.token)).phone).toBe(next.phoneE164);

    const messages = await allMessages(t);
    const sms = messages.find((m) => m.to === who.phoneE164 && /changed/.test(m.body));
    expect(sms?.body).toContain(`+81******${next.phoneE164.slice(-4)}`);
    expect(freezeTokenIn(sms!.body)).toBeDefined();
    expect(messages.some((m) => m.to === who.email && /phone number was changed/.test(m.subject ?? ''))).toBe(true);
    const byPhone = await call('POST', '/v1/login', { identifier: next.phone, password: who.password }, { 'x-konpay-device': who.deviceCredential });
    expect(byPhone.statusCode).toBe(200);
  });

  it('refuses a number that cannot receive SMS', async () => {
    const who = await signUp(t);
    const fresh = await reauthenticate(t, who.token, who.password);
    expect((await call('POST', '/v1/me/phone', { newPhone: '03-1234-5678' }, bearer(fresh))).json()).toMatchObject({ code: 'invalid_phone' });
  });
});
