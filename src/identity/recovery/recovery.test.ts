/** Recovery (ID-7) as the real owner goes through it: e-mail code, a second factor, a new password. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, api, freezeTokenIn, recoverBySms, recoveryWithEmailProven } from '../../../test/harness/account.js';
import { bearer, latestCode, signUp } from '../../../test/harness/customer.js';
import { addPasskey, enableTotp, flowPasskeyOptions, issueRecoveryCodes, totpCode } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';
import { fromPublicId } from '../../shared/ids.js';
import { setMustResetPassword } from '../repo/users.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const push = { endpoint: 'https://push.example.net/wpush/v2/abc', keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA', auth: 'tBHItJI5svbpez7KI4CCXg' } };

describe('recovery with the SMS factor', () => {
  it('sets the new password, restricts the account for a day, clears a forced reset and tells the customer on every channel', async () => {
    const who = await signUp(t);
    expect((await call('POST', '/v1/me/push-subscriptions', push, bearer(who.token))).statusCode).toBe(204);
    await setMustResetPassword(t.konpay.pool, fromPublicId('usr', who.userId)!);
    const newPassword = 'the owner is back in 2026';
    const { token, deviceCredential } = await recoverBySms(t, who, newPassword);

    const me = (await call('GET', '/v1/me', undefined, bearer(token))).json() as { restrictedUntil: string; mustResetPassword: boolean };
    expect(new Date(me.restrictedUntil).getTime()).toBe(clock.now().getTime() + 24 * 3_600_000);
    expect(me.mustResetPassword).toBe(false);
    const login = await call('POST', '/v1/login', { identifier: who.email, password: newPassword }, { 'x-konpay-device': deviceCredential });
    expect(login.statusCode).toBe(200);

    const notices = (await allMessages(t)).filter((m) => /recovered/i.test(`${m.subject} ${m.body}`));
    const byChannel = Object.fromEntries(notices.map((m) => [m.channel, m]));
    expect(byChannel.email?.to).toBe(who.email);
    expect(byChannel.sms?.to).toBe(who.phoneE164);
    expect(byChannel.push?.to).toBe(fromPublicId('usr', who.userId));
    expect(notices).toHaveLength(3);
    // E-mail and SMS carry the same one-tap "this wasn't me" link.
    expect(freezeTokenIn(byChannel.email!.body)).toBeDefined();
    expect(freezeTokenIn(byChannel.sms!.body)).toBe(freezeTokenIn(byChannel.email!.body));
    const events = (await call('GET', '/v1/me/security-events', undefined, bearer(token))).json() as { events: { kind: string; details: object }[] };
    expect(events.events[0]).toMatchObject({ kind: 'recovery_completed', details: { method: 'sms' } });
  });

  it('refuses a weak new password without spending the SMS code', async () => {
    const who = await signUp(t);
    const flowId = await recoveryWithEmailProven(t, who);
    await call('POST', `/v1/recovery/${flowId}/sms`);
    const code = await latestCode(t, who.phoneE164, 'sms');
    for (const newPassword of ['password123', 'short', `${who.email} again`]) {
      const weak = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code, newPassword });
      expect(weak.json()).toMatchObject({ status: 400, code: 'weak_password' });
    }
    const ok = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code, newPassword: 'finally a good one 2026', transport: 'cookie' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.cookies.map((c) => c.name).sort()).toEqual(['konpay_csrf', 'konpay_device', 'konpay_install', 'konpay_session']);
    // Spent: the same flow cannot recover the account a second time.
    const again = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code, newPassword: 'and once more 2026 ok' });
    expect(again.json()).toMatchObject({ code: 'flow_not_found' });
  });
});

describe('recovery with TOTP or a recovery code', () => {
  it('accepts an authenticator code instead of the SMS', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    clock.advance(30_000); // the code used to confirm enrolment is spent; take the next one
    const flowId = await recoveryWithEmailProven(t, who);
    const methods = (await call('POST', `/v1/recovery/${flowId}/email`, { code: '000000' })).json() as { methods: string[] };
    expect(methods.methods).toEqual(['sms', 'totp']);
    const wrong = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'totp', code: '000000', newPassword: 'an authenticator did it 2026' });
    expect(wrong.json()).toMatchObject({ code: 'code_wrong', remaining: 4 });
    const done = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'totp', code: await totpCode(secret, clock.now()), newPassword: 'an authenticator did it 2026' });
    expect(done.statusCode, done.body).toBe(200);
  });

  it('accepts a recovery code, once', async () => {
    const who = await signUp(t);
    const [rc] = await issueRecoveryCodes(t, who);
    const flowId = await recoveryWithEmailProven(t, who);
    const done = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'recovery_code', code: rc!, newPassword: 'paper in the drawer 2026' });
    expect(done.statusCode, done.body).toBe(200);
    const next = await recoveryWithEmailProven(t, who);
    const reused = await call('POST', `/v1/recovery/${next}/complete`, { method: 'recovery_code', code: rc!, newPassword: 'paper in the drawer 2027' });
    expect(reused.json()).toMatchObject({ code: 'code_wrong' });
  });
});

describe('recovery with a passkey', () => {
  it('offers the account\'s passkeys once the e-mail code is proven and recovers with one', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const flowId = await recoveryWithEmailProven(t, who);
    const methods = (await call('POST', `/v1/recovery/${flowId}/email`, { code: '000000' })).json() as { methods: string[] };
    expect(methods.methods).toEqual(['sms', 'passkey']);
    const options = await flowPasskeyOptions(t, `/v1/recovery/${flowId}`);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.allowCredentials!.map((c) => c.id)).toEqual([authr.id]);

    const newPassword = 'my passkey vouched for me 2026';
    const done = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'passkey', response: authr.authenticate(options), newPassword });
    expect(done.statusCode, done.body).toBe(200);
    const body = done.json() as { session: { token: string }; deviceCredential: string; restrictedUntil: string };
    expect(new Date(body.restrictedUntil).getTime()).toBe(clock.now().getTime() + 24 * 3_600_000);
    const events = (await call('GET', '/v1/me/security-events', undefined, bearer(body.session.token))).json() as { events: { kind: string; details: object }[] };
    expect(events.events[0]).toMatchObject({ kind: 'recovery_completed', details: { method: 'passkey' } });
    // The old session is gone; the new password works.
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).statusCode).toBe(401);
    expect((await call('POST', '/v1/login', { identifier: who.email, password: newPassword }, { 'x-konpay-device': body.deviceCredential })).statusCode).toBe(200);
  });
});
