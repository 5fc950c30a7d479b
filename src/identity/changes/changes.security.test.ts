/**
 * Attacks on a signed-in account (ID-8, ID-9): a stolen or fixed session must not be
 * enough to take the account over by changing its e-mail, phone or password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, api, reauthenticate } from '../../../test/harness/account.js';
import { bearer, latestCode, newCustomer, signUp } from '../../../test/harness/customer.js';
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

const FIVE_MINUTES = 5 * 60_000;

describe('privileged changes need a recent re-authentication (ID-8)', () => {
  it('refuses an e-mail change from a session that signed in more than 5 minutes ago, and sends nothing', async () => {
    const who = await signUp(t);
    const target = newCustomer('new').email;
    clock.advance(FIVE_MINUTES + 1000);
    const res = await call('POST', '/v1/me/email', { newEmail: target }, bearer(who.token));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'reauthentication_required' });
    for (const [url, body] of [['/v1/me/phone', { newPhone: '080-1111-2222' }], ['/v1/me/password', { newPassword: 'an attacker would like this' }]] as const) {
      expect((await call('POST', url, body, bearer(who.token))).json()).toMatchObject({ code: 'reauthentication_required' });
    }
    expect((await allMessages(t)).filter((m) => m.to === target)).toEqual([]);

    const fresh = await reauthenticate(t, who.token, who.password);
    const ok = await call('POST', '/v1/me/email', { newEmail: target }, bearer(fresh));
    expect(ok.statusCode, ok.body).toBe(202);
    // The window also closes on the confirmation.
    const { flowId } = ok.json() as { flowId: string };
    const code = await latestCode(t, target, 'email');
    clock.advance(FIVE_MINUTES + 1000);
    const late = await call('POST', `/v1/me/email/${flowId}/confirm`, { code }, bearer(fresh));
    expect(late.json()).toMatchObject({ code: 'reauthentication_required' });
    expect((await call('GET', '/v1/me', undefined, bearer(fresh))).json()).toMatchObject({ email: who.email });
  });
});

describe('session fixation (ID-9)', () => {
  it('re-authentication issues a new token and the old one stops working', async () => {
    const who = await signUp(t);
    const fresh = await reauthenticate(t, who.token, who.password);
    expect(fresh).toMatch(/^kps_/);
    expect(fresh).not.toBe(who.token);
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ code: 'unauthenticated' });
    expect((await call('POST', '/v1/me/reauthenticate', { password: who.password }, bearer(who.token))).json()).toMatchObject({ code: 'unauthenticated' });
    expect((await call('GET', '/v1/me', undefined, bearer(fresh))).statusCode).toBe(200);
  });

  it('replaces the cookies of a web session', async () => {
    const who = await signUp(t);
    const login = await call('POST', '/v1/login', { identifier: who.email, password: who.password, transport: 'cookie' }, { 'x-konpay-device': who.deviceCredential });
    const old = login.cookies.find((c) => c.name === 'konpay_session')!.value;
    const csrf = (login.json() as { session: { csrfToken: string } }).session.csrfToken;
    const res = await call('POST', '/v1/me/reauthenticate', { password: who.password }, { cookie: `konpay_session=${old}`, 'x-csrf-token': csrf });
    expect(res.statusCode, res.body).toBe(200);
    const next = res.cookies.find((c) => c.name === 'konpay_session')!.value;
    expect(next).not.toBe(old);
    expect((await call('GET', '/v1/me', undefined, { cookie: `konpay_session=${old}` })).statusCode).toBe(401);
    expect((await call('GET', '/v1/me', undefined, { cookie: `konpay_session=${next}` })).statusCode).toBe(200);
  });
});

describe('a stolen session cannot guess its way to privilege', () => {
  it('is signed out after 5 wrong passwords, however they are spread over asking for codes', async () => {
    const who = await signUp(t);
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call('POST', '/v1/me/reauthenticate', { password: `guess number ${i} of many` }, bearer(who.token));
      expect(res.json()).toMatchObject({ code: 'password_wrong' });
      remaining.push((res.json() as { remaining: number }).remaining);
      await call('POST', '/v1/me/reauthenticate/sms', undefined, bearer(who.token)); // asking again refills nothing
      clock.advance(31_000);
    }
    expect(remaining).toEqual([4, 3, 2, 1]);
    const last = await call('POST', '/v1/me/reauthenticate', { password: 'guess number five' }, bearer(who.token));
    expect(last.json()).toMatchObject({ status: 401, code: 'reauthentication_locked' });
    // Even the right password is too late for this session.
    expect((await call('POST', '/v1/me/reauthenticate', { password: who.password }, bearer(who.token))).statusCode).toBe(401);
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).statusCode).toBe(401);
  });

  it('counts a wrong current password on a password change against the same budget', async () => {
    const who = await signUp(t);
    const wrong = await call('POST', '/v1/me/password', { currentPassword: 'not it at all', newPassword: 'fresh and long passphrase' }, bearer(who.token));
    expect(wrong.json()).toMatchObject({ code: 'password_wrong', remaining: 4 });
    const next = await call('POST', '/v1/me/reauthenticate', { password: 'not it either' }, bearer(who.token));
    expect(next.json()).toMatchObject({ code: 'password_wrong', remaining: 3 });
  });
});

describe('one verified contact per account, without enumeration (ID-1, ID-6)', () => {
  it('answers a phone number of another account exactly like a free one, and never sends it a code', async () => {
    const owner = await signUp(t);
    const who = await signUp(t);
    const free = newCustomer('free');
    const answers = [];
    for (const newPhone of [owner.phone, free.phone]) {
      const start = await call('POST', '/v1/me/phone', { newPhone }, bearer(who.token));
      expect(start.statusCode).toBe(202);
      const { flowId } = start.json() as { flowId: string };
      const confirm = await call('POST', `/v1/me/phone/${flowId}/confirm`, { code: '000000' }, bearer(who.token));
      answers.push({ start: start.body.replace(flowId, 'F'), confirm: { ...(confirm.json() as object), requestId: undefined } });
    }
    expect(answers[0]).toEqual(answers[1]);
    const toOwner = (await allMessages(t)).filter((m) => m.to === owner.phoneE164);
    expect(toOwner[0]!.body).toMatch(/already has an account/);
    expect(toOwner[0]!.body).not.toMatch(/\b\d{6}\b/);
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ phone: who.phoneE164 });
  });

  it('does the same for an e-mail address of another account', async () => {
    const owner = await signUp(t);
    const who = await signUp(t);
    const start = await call('POST', '/v1/me/email', { newEmail: owner.email.toUpperCase() }, bearer(who.token));
    expect(start.statusCode).toBe(202);
    const notice = (await allMessages(t)).find((m) => m.to === owner.email);
    expect(notice?.subject).toMatch(/tried to use your address/);
    expect(notice?.body).not.toMatch(/\b\d{6}\b/);
  });

  it('will not let one account confirm another account\'s change', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const target = newCustomer('x').email;
    const start = await call('POST', '/v1/me/email', { newEmail: target }, bearer(a.token));
    const { flowId } = start.json() as { flowId: string };
    const stolen = await call('POST', `/v1/me/email/${flowId}/confirm`, { code: await latestCode(t, target, 'email') }, bearer(b.token));
    expect(stolen.json()).toMatchObject({ code: 'flow_not_found' });
    expect((await call('GET', '/v1/me', undefined, bearer(b.token))).json()).toMatchObject({ email: b.email });
  });
});
