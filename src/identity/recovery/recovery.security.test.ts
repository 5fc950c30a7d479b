/**
 * Attacks on password recovery (ID-6, ID-7), starting with the one that emptied 7pay
 * wallets in July 2019: a reset request that names where the reset link should go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, api, recoverBySms, recoveryWithEmailProven } from '../../../test/harness/account.js';
import { bearer, latestCode, newCustomer, signUp } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { secretBytes } from '../../secrets.js';
import { hmac } from '../../shared/crypto.js';
import { fromPublicId } from '../../shared/ids.js';
import { lockChallenge, recordSend } from '../repo/flows.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  call = api(t);
});
afterAll(() => t.stop());

describe('the 7pay reset attack (ID-7)', () => {
  it('refuses a recovery request that carries an address, phone or birth date of its own, and sends nothing anywhere', async () => {
    const victim = await signUp(t);
    const attacker = newCustomer('attacker');
    const before = (await allMessages(t)).length;
    for (const extra of [
      { email: attacker.email },
      { phone: attacker.phone },
      { birthDate: '2019-01-01' },
      { email: victim.email, birthDate: '1990-04-01', phone: victim.phone }, // 7pay's own form, pointed at the victim
      { sendTo: attacker.email },
    ]) {
      const res = await call('POST', '/v1/recovery', { identifier: victim.email, ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed' });
    }
    expect(await t.konpay.worker.runOnce()).toBe(0); // nothing was even queued
    expect(await allMessages(t)).toHaveLength(before);
  });

  it('sends a well-formed request\'s code only to the verified address on file, even when named by phone', async () => {
    const victim = await signUp(t);
    const before = (await allMessages(t)).length;
    const res = await call('POST', '/v1/recovery', { identifier: victim.phone });
    expect(res.statusCode).toBe(202);
    const sent = (await allMessages(t)).slice(0, -before || undefined);
    expect(sent.map((m) => [m.channel, m.to])).toEqual([['email', victim.email]]);
    expect(sent[0]!.body).toMatch(/account recovery code is \d{6}/);
  });
});

describe('recovery needs a second factor (ID-7)', () => {
  it('never completes with the e-mail code alone', async () => {
    const victim = await signUp(t);
    const flowId = await recoveryWithEmailProven(t, victim); // the attacker holds the mailbox
    const newPassword = 'attacker owns this mailbox 2026';

    const noFactor = await call('POST', `/v1/recovery/${flowId}/complete`, { newPassword });
    expect(noFactor.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    const notSent = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code: '123456', newPassword });
    expect(notSent.json()).toMatchObject({ code: 'code_not_sent' });
    const noTotp = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'totp', code: '123456', newPassword });
    expect(noTotp.json()).toMatchObject({ code: 'factor_unavailable' });
    // A secret question or birth date is no factor: the schema has no place for one.
    const birthDate = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'birth_date', code: '19900401', newPassword });
    expect(birthDate.json()).toMatchObject({ code: 'validation_failed' });

    expect((await call('POST', `/v1/recovery/${flowId}/sms`)).statusCode).toBe(202);
    for (let i = 0; i < 5; i++) {
      const guess = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code: String(100000 + i), newPassword });
      expect(guess.statusCode).toBeGreaterThanOrEqual(400);
    }
    // Out of tries, the real SMS code is worthless too.
    const real = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code: await latestCode(t, victim.phoneE164, 'sms'), newPassword });
    expect(real.json()).toMatchObject({ code: 'flow_not_found' });

    const oldLogin = await call('POST', '/v1/login', { identifier: victim.email, password: victim.password }, { 'x-konpay-device': victim.deviceCredential });
    expect(oldLogin.statusCode).toBe(200);
    const newLogin = await call('POST', '/v1/login', { identifier: victim.email, password: newPassword });
    expect(newLogin.json()).toMatchObject({ code: 'invalid_credentials' });
    expect((await call('GET', '/v1/me', undefined, bearer(victim.token))).statusCode).toBe(200);
  });

  it('sends no SMS before the e-mail code is proven', async () => {
    const victim = await signUp(t);
    const start = await call('POST', '/v1/recovery', { identifier: victim.email });
    const { flowId } = start.json() as { flowId: string };
    const smsFirst = await call('POST', `/v1/recovery/${flowId}/sms`);
    expect(smsFirst.json()).toMatchObject({ status: 409, code: 'email_not_verified' });
    const complete = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code: '123456', newPassword: 'never gets this far 2026' });
    expect(complete.json()).toMatchObject({ code: 'email_not_verified' });
    expect((await allMessages(t)).filter((m) => m.to === victim.phoneE164 && m.channel === 'sms')).toHaveLength(1); // the sign-up code only
  });
});

describe('no enumeration (ID-6)', () => {
  it('answers known and unknown identifiers byte for byte alike, but for the flow id and request id', async () => {
    const known = await signUp(t);
    const strangers = ['nobody-here@example.jp', '090-9999-0000', 'not even an identifier'];
    const answers = [];
    for (const identifier of [known.email, known.phone, ...strangers]) {
      const res = await call('POST', '/v1/recovery', { identifier });
      const body = res.json() as { flowId: string };
      expect(body.flowId).toMatch(/^flw_[0-9a-f]{32}$/);
      answers.push({ status: res.statusCode, type: res.headers['content-type'], length: res.headers['content-length'], body: res.body.replace(body.flowId, 'FLOW') });
    }
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('answers wrong e-mail codes alike, and an unknown identifier\'s flow never completes', async () => {
    const known = await signUp(t);
    const flows: string[] = [];
    for (const identifier of [known.email, 'nobody-at-all@example.jp']) {
      flows.push(((await call('POST', '/v1/recovery', { identifier })).json() as { flowId: string }).flowId);
    }
    const strip = (b: string) => ({ ...(JSON.parse(b) as object), requestId: undefined });
    const [smsA, smsB] = await Promise.all(flows.map((f) => call('POST', `/v1/recovery/${f}/sms`)));
    expect(strip(smsA!.body)).toEqual(strip(smsB!.body));
    expect(smsB!.json()).toMatchObject({ code: 'email_not_verified' });
    for (let i = 0; i < 6; i++) {
      const [a, b] = await Promise.all(flows.map((f) => call('POST', `/v1/recovery/${f}/email`, { code: '000000' })));
      expect(a!.statusCode).toBe(b!.statusCode);
      expect(strip(a!.body)).toEqual(strip(b!.body));
    }
    // Its code went to nobody: no message names the address typed.
    expect((await allMessages(t)).filter((m) => m.to === 'nobody-at-all@example.jp')).toEqual([]);
  });

  it('ends an unknown identifier\'s flow even when its code is guessed', async () => {
    const start = await call('POST', '/v1/recovery', { identifier: 'lucky-guesser@example.jp' });
    const { flowId } = start.json() as { flowId: string };
    // Plant a code we know on the e-mail challenge, as if a guess had hit the unsent one.
    const challenge = (await lockChallenge(t.konpay.pool, fromPublicId('flw', flowId)!, 'email'))!;
    const key = secretBytes(t.config.secrets.signingKey);
    await recordSend(t.konpay.pool, challenge.id, hmac(key, 'otp', challenge.id, '424242'), new Date(), new Date(Date.now() + 600_000));
    const hit = await call('POST', `/v1/recovery/${flowId}/email`, { code: '424242' });
    expect(hit.json()).toMatchObject({ code: 'too_many_attempts' });
    expect((await call('POST', `/v1/recovery/${flowId}/sms`)).json()).toMatchObject({ code: 'flow_not_found' });
  });
});

describe('after recovery (ID-7)', () => {
  it('leaves every old session and remembered device dead, and opens one new session', async () => {
    const victim = await signUp(t);
    // A second session on the same device, as an attacker who logged in would hold.
    const second = await call('POST', '/v1/login', { identifier: victim.email, password: victim.password }, { 'x-konpay-device': victim.deviceCredential });
    const secondToken = (second.json() as { session: { token: string } }).session.token;

    const newPassword = 'a brand new passphrase 2026';
    const recovered = await recoverBySms(t, victim, newPassword);

    for (const token of [victim.token, secondToken]) {
      expect((await call('GET', '/v1/me', undefined, bearer(token))).json()).toMatchObject({ code: 'unauthenticated' });
    }
    // The old device credential no longer skips the second factor, even with the new password.
    const oldDevice = await call('POST', '/v1/login', { identifier: victim.email, password: newPassword }, { 'x-konpay-device': victim.deviceCredential });
    expect(oldDevice.statusCode).toBe(202);
    expect(oldDevice.json()).toMatchObject({ status: 'second_factor_required' });
    const oldPassword = await call('POST', '/v1/login', { identifier: victim.email, password: victim.password }, { 'x-konpay-device': recovered.deviceCredential });
    expect(oldPassword.json()).toMatchObject({ code: 'invalid_credentials' });

    const me = await call('GET', '/v1/me/devices', undefined, bearer(recovered.token));
    expect((me.json() as { devices: { label: string }[] }).devices.map((d) => d.label)).toEqual(['Recovered phone']);
    const sessions = await call('GET', '/v1/me/sessions', undefined, bearer(recovered.token));
    expect((sessions.json() as { sessions: unknown[] }).sessions).toHaveLength(1);
    const nextLogin = await call('POST', '/v1/login', { identifier: victim.email, password: newPassword }, { 'x-konpay-device': recovered.deviceCredential });
    expect(nextLogin.statusCode).toBe(200);
  });
});

describe('recovery mail bombing (ID-3, ID-6)', () => {
  let t2: TestKonpay;
  beforeAll(async () => {
    t2 = await startTestKonpay({ CODE_SENDS_PER_DESTINATION_PER_HOUR: '3' }, { worker: false });
  });
  afterAll(() => t2.stop());

  it('stops mailing a victim past the hourly budget without changing any answer', async () => {
    const call2 = api(t2);
    const victim = await signUp(t2); // the sign-up code is one of the three
    for (let i = 0; i < 4; i++) expect((await call2('POST', '/v1/recovery', { identifier: victim.email })).statusCode).toBe(202);
    const mails = (await allMessages(t2)).filter((m) => m.to === victim.email && /recovery code/.test(m.body));
    expect(mails).toHaveLength(2);

    // Named by phone, the victim's flow mails the exhausted address; a stranger's does not.
    // Their wrong-code answers must still match, or the budget would link phone and e-mail.
    const flows: string[] = [];
    for (const identifier of [victim.phone, '090-8888-7777']) {
      const res = await call2('POST', '/v1/recovery', { identifier });
      flows.push((res.json() as { flowId: string }).flowId);
    }
    const answers = await Promise.all(flows.map(async (f) => ({ ...((await call2('POST', `/v1/recovery/${f}/email`, { code: '000000' })).json() as object), requestId: undefined })));
    expect(answers[0]).toMatchObject({ code: 'code_wrong' });
    expect(answers[0]).toEqual(answers[1]);
  });
});
