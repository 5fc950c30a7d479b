/**
 * Attacks from one place with many accounts or many cards (RISK-1), with the engine's
 * default thresholds. Each test uses its own client address (injected `remoteAddress`),
 * because the per-address signals are what is under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, newCustomer } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { CARDS, passChallenge, startWalletKonpay, tokenise, uniqueCard } from '../../test/harness/wallet.js';
import { fromPublicId } from '../shared/ids.js';

let t: TestKonpay;
beforeAll(async () => { t = await startWalletKonpay({ RISK_POLICY: '{}' }); });
afterAll(() => t?.stop());

interface Account { email: string; phoneE164: string; password: string; uid: string; token: string; deviceCredential: string; cardPhone: string }

/** A sign-up as the app makes it, from `ip`; answers the account, or the refusal. */
async function signUpFrom(ip: string): Promise<Account | { refused: { statusCode: number; body: string } }> {
  const who = newCustomer('farm');
  const call = (url: string, payload: object) => t.konpay.app.inject({ method: 'POST', url, payload, remoteAddress: ip });
  const start = await call('/v1/signup', { email: who.email, phone: who.phone, password: who.password, locale: 'en' });
  expect(start.statusCode, start.body).toBe(202);
  const { flowId } = start.json() as { flowId: string };
  const done = await call(`/v1/signup/${flowId}/verify`, { emailCode: await latestCode(t, who.email), smsCode: await latestCode(t, who.phoneE164), deviceLabel: 'Phone' });
  if (done.statusCode !== 201) return { refused: done };
  const body = done.json() as { userId: string; session: { token: string }; deviceCredential: string };
  return { ...who, uid: fromPublicId('usr', body.userId)!, token: body.session.token, deviceCredential: body.deviceCredential, cardPhone: newCustomer('holder').phone };
}

async function account(ip: string): Promise<Account> {
  const a = await signUpFrom(ip);
  if ('refused' in a) throw new Error(`sign-up refused: ${a.refused.body}`);
  return a;
}

const outcomes = async (action: string) => (await t.konpay.pool.query<{ outcome: string; reasons: string[] }>(
  `SELECT outcome, reasons FROM risk_decisions WHERE action = $1 ORDER BY created_at, id`, [action])).rows;

/** A card added from `ip` with a wrong security code: refused by the issuer's check. */
async function failedCard(c: Account, ip: string, number: string): Promise<void> {
  const { token } = await tokenise(t, number, c);
  const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/cards', headers: bearer(c.token), payload: { token }, remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(201);
  const { card, nextAction } = res.json() as { card: { id: string }; nextAction: { url: string } };
  await passChallenge(t, nextAction.url, c);
  const after = await t.konpay.app.inject({ method: 'POST', url: `/v1/cards/${card.id}/verify`, headers: bearer(c.token), remoteAddress: ip });
  expect((after.json() as { status: string }).status).toBe('failed');
}

describe('attack: many accounts or many cards from one device or address', () => {
  it('refuses the fourth sign-up from one address within a day (coupon farming); no account is made', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 3; i++) await account(ip);
    const fourth = await signUpFrom(ip);
    expect('refused' in fourth && fourth.refused.statusCode).toBe(403);
    expect('refused' in fourth && JSON.parse(fourth.refused.body)).toMatchObject({ code: 'risk_declined' });
    expect((await outcomes('signup')).map((d) => d.outcome)).toEqual(['allow', 'allow', 'allow', 'deny']);
    expect((await outcomes('signup')).at(-1)!.reasons).toEqual(['signup_farming']);
    const users = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'farm%'`);
    expect(users.rows[0].n).toBe(3);
    // Another address is not affected.
    expect('uid' in (await signUpFrom('203.0.113.11'))).toBe(true);
  });

  it('asks a second factor at login, even on a known phone, from an address shared by many accounts', async () => {
    const shared = '198.51.100.20';
    const [a] = [await account(shared), await account(shared), await account(shared)];
    const login = (ip: string) => t.konpay.app.inject({
      method: 'POST', url: '/v1/login', remoteAddress: ip, headers: { 'x-konpay-device': a!.deviceCredential },
      payload: { identifier: a!.email, password: a!.password, transport: 'bearer' },
    });
    // From the owner's usual (unshared) address the known phone signs straight in...
    expect((await login('192.0.2.44')).statusCode).toBe(200);
    // ...from the address three accounts use, it passes a second factor first.
    const stepped = await login(shared);
    expect(stepped.statusCode, stepped.body).toBe(202);
    const { flowId } = stepped.json() as { flowId: string };
    expect((await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms`, remoteAddress: shared })).statusCode).toBe(202);
    const code = await latestCode(t, a!.phoneE164, 'sms');
    const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, remoteAddress: shared, payload: { method: 'sms', code, deviceLabel: 'Phone' } });
    expect(done.statusCode, done.body).toBe(200);
    // The same phone: no new device, no restricted mode for the owner.
    const devices = await t.konpay.pool.query(`SELECT label FROM devices WHERE user_id = $1`, [a!.uid]);
    expect(devices.rows).toEqual([{ label: 'Phone' }]);
    expect(done.json()).toMatchObject({ restrictedUntil: null });
    const last = (await outcomes('login')).at(-1)!;
    expect(last).toEqual({ outcome: 'step_up', reasons: ['shared_device'] });
  });

  it('denies card additions from an address where cards keep failing (card testing)', async () => {
    const ip = '192.0.2.77';
    const a = await account(ip);
    const b = await account(ip);
    // Refused by the issuer's checks (wrong security code twice, a failed challenge), each under its per-card cap.
    await failedCard(a, ip, CARDS.incorrectCvc);
    await failedCard(a, ip, CARDS.challengeFails);
    await failedCard(b, ip, CARDS.incorrectCvc);
    // Three refused cards from this address in a day: the next card is not even sent to the network.
    const { token } = await tokenise(t, uniqueCard(), b);
    const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/cards', headers: bearer(b.token), payload: { token }, remoteAddress: ip });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ code: 'risk_declined' });
    expect(res.body).not.toContain('card_testing');
    expect((await outcomes('card_add')).at(-1)).toEqual({ outcome: 'deny', reasons: ['card_testing'] });
  });
});
