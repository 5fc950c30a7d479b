/**
 * "This wasn't me" links (ID-8): the one tap that stops a takeover in progress. A link
 * must work once, only on purpose (never by being fetched), and only if Konpay made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, api, freezeTokenIn, reauthenticate, recoveryWithEmailProven } from '../../../test/harness/account.js';
import { bearer, latestCode, signUp, type SignedUp } from '../../../test/harness/customer.js';
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

let n = 0;

/** Changes the password (a privileged change) and returns the freeze token its notice carries. */
async function changeAndGetLink(who: SignedUp): Promise<string> {
  const token = await reauthenticate(t, who.token, who.password);
  const password = `someone else's pick number ${++n}`;
  const res = await call('POST', '/v1/me/password', { newPassword: password }, bearer(token));
  expect(res.statusCode, res.body).toBe(200);
  const notice = (await allMessages(t)).find((m) => m.to === who.email && /password was changed/.test(m.subject ?? ''));
  const link = freezeTokenIn(notice!.body);
  expect(link).toBeDefined();
  who.token = token;
  who.password = password;
  return link!;
}

/** What signing in with the right password on the remembered device answers. */
async function deviceLogin(who: SignedUp): Promise<{ status: number; code?: string }> {
  const res = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': who.deviceCredential });
  return { status: res.statusCode, code: (res.json() as { code?: string }).code };
}

describe('freeze links', () => {
  it('show a confirmation page on GET without freezing anything', async () => {
    const who = await signUp(t);
    const link = await changeAndGetLink(who);
    for (let i = 0; i < 3; i++) { // a mail scanner, a link preview, the customer
      const page = await call('GET', `/v1/freeze?token=${link}`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.body).toContain('<form method="post" action="/v1/freeze">');
      expect(page.body).toMatch(/Your password was changed \(c\*{4}@example\.jp/);
    }
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ frozen: false });
    expect(await deviceLogin(who)).toMatchObject({ status: 200 });
  });

  it('freeze the account once: sessions and devices end, login is refused, help is given', async () => {
    const who = await signUp(t);
    const link = await changeAndGetLink(who);
    const res = await call('POST', '/v1/freeze', { token: link });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'frozen', help: expect.stringMatching(/support/) });

    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ code: 'unauthenticated' });
    expect(await deviceLogin(who)).toEqual({ status: 423, code: 'account_frozen' });
    const notice = (await allMessages(t)).find((m) => m.to === who.email && /frozen/.test(m.subject ?? ''));
    expect(notice?.body).toMatch(/contact Konpay support/);

    const reused = await call('POST', '/v1/freeze', { token: link });
    expect(reused.json()).toMatchObject({ status: 400, code: 'freeze_link_invalid' });
    const page = await call('GET', `/v1/freeze?token=${link}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('already used');
  });

  it('work from the page\'s own form post, answering a page', async () => {
    const who = await signUp(t);
    const link = await changeAndGetLink(who);
    const res = await t.konpay.app.inject({
      method: 'POST', url: '/v1/freeze', payload: `token=${encodeURIComponent(link)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Your account is frozen');
    expect(await deviceLogin(who)).toEqual({ status: 423, code: 'account_frozen' });
  });

  it('leave the account frozen through a recovery, even one that proves every factor', async () => {
    const who = await signUp(t);
    expect((await call('POST', '/v1/freeze', { token: await changeAndGetLink(who) })).statusCode).toBe(200);
    const flowId = await recoveryWithEmailProven(t, who);
    expect((await call('POST', `/v1/recovery/${flowId}/sms`)).statusCode).toBe(202);
    const code = await latestCode(t, who.phoneE164, 'sms');
    const done = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code, newPassword: 'the attacker wants back in' });
    expect(done.json()).toMatchObject({ status: 423, code: 'account_frozen' });
    // 423 after a password check: the password recovery would have set was not set.
    expect(await deviceLogin(who)).toEqual({ status: 423, code: 'account_frozen' });
  });

  it('refuse forged, altered and expired tokens', async () => {
    const who = await signUp(t);
    const link = await changeAndGetLink(who);
    const [head, secret] = link.split('.') as [string, string];
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    const forged = [
      `${head}.${flip(secret)}`, // right flow, wrong secret
      `kpf_${'0'.repeat(32)}.${secret}`, // unknown flow
      link.replace('kpf_', 'kps_'),
      `${link}x`,
      '<script>alert(1)</script>',
      '',
    ];
    for (const token of forged) {
      const res = await call('POST', '/v1/freeze', { token });
      expect(res.json(), token).toMatchObject({ code: 'freeze_link_invalid' });
      const page = await call('GET', `/v1/freeze?token=${encodeURIComponent(token)}`);
      expect(page.statusCode).toBe(400);
      expect(page.body).not.toContain('<script>');
    }
    clock.advance(7 * 86_400_000 + 1000);
    const expired = await call('POST', '/v1/freeze', { token: link });
    expect(expired.json()).toMatchObject({ code: 'freeze_link_invalid' });
    // None of them froze the account: its owner still signs in.
    expect(await deviceLogin(who)).toMatchObject({ status: 200 });
  });
});

describe('notices that carry a freeze link', () => {
  it('include e-mail and phone changes, to the old address and number', async () => {
    const who = await signUp(t);
    const token = await reauthenticate(t, who.token, who.password);
    const start = await call('POST', '/v1/me/phone', { newPhone: '080-7777-1234' }, bearer(token));
    const { flowId } = start.json() as { flowId: string };
    await call('POST', `/v1/me/phone/${flowId}/confirm`, { code: await latestCode(t, '+818077771234', 'sms') }, bearer(token));
    const sms = (await allMessages(t)).find((m) => m.to === who.phoneE164 && /changed/.test(m.body));
    const link = freezeTokenIn(sms!.body)!;
    expect((await call('POST', '/v1/freeze', { token: link })).statusCode).toBe(200);
    expect((await call('GET', '/v1/me', undefined, bearer(token))).statusCode).toBe(401);
  });
});
