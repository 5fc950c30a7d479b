/**
 * Re-authenticating with a passkey (ID-8, ID-9): options name only this account's
 * passkeys; a verified assertion rotates the session, opens privileged changes and, as a
 * second factor, answers a risk step-up (RISK-1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../../test/harness/customer.js';
import { addPasskey, api, type FlowPasskeyOptions } from '../../../test/harness/factors.js';
import { riskPolicyEnv, type TestKonpay } from '../../../test/harness/konpay.js';
import { addCard, customer, requestTopup, startWalletKonpay, type Holder } from '../../../test/harness/wallet.js';
import { withTransaction } from '../../db/tx.js';
import { ManualClock } from '../../shared/clock.js';
import { newUuid } from '../../shared/ids.js';
import { insertDevice } from '../repo/sessions.js';

const clock = new ManualClock('2026-07-01T01:00:00Z');
let t: TestKonpay;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  t = await startWalletKonpay(riskPolicyEnv(), { clock });
  call = api(t);
});
afterAll(() => t?.stop());

const DAY = 86_400_000;

async function options(token: string): Promise<FlowPasskeyOptions> {
  const res = await call('POST', '/v1/me/reauthenticate/passkey/options', undefined, bearer(token));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ expiresAt: expect.any(String) });
  return (res.json() as { options: FlowPasskeyOptions }).options;
}

const secondFactorAt = async (uid: string) => (await t.db.pool.query<{ second_factor_at: Date | null }>(
  `SELECT second_factor_at FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1`, [uid])).rows[0]?.second_factor_at;

/** A session on a phone the account has never seen (as raid.security.test.ts makes one). */
async function newPhoneSession(who: Holder): Promise<string> {
  const now = clock.now();
  const deviceId = newUuid();
  return withTransaction(t.konpay.pool, async (q) => {
    await insertDevice(q, { id: deviceId, userId: who.uid, label: 'New phone', now });
    return (await t.konpay.identity.sessions.issue(q, who.uid, deviceId, 'bearer', { ip: '198.51.100.7', userAgent: 'test' }, now)).token;
  });
}

describe('re-authenticating with a passkey', () => {
  it('offers only this account\'s passkeys, with user verification, and answers a new privileged session', async () => {
    const who = await customer(t);
    const mine = await addPasskey(t, who);
    await addPasskey(t, await signUp(t)); // someone else's: never offered here
    const opts = await options(who.token);
    expect(opts.allowCredentials!.map((c) => c.id)).toEqual([mine.id]);
    expect(opts.userVerification).toBe('required');

    const res = await call('POST', '/v1/me/reauthenticate', { method: 'passkey', response: mine.authenticate(opts) }, bearer(who.token));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { status: string; session: { token: string }; privilegedUntil: string };
    expect(body).toMatchObject({ status: 'reauthenticated', session: { token: expect.stringMatching(/^kps_/) } });
    // The old token is revoked (session fixation defence); the new one carries the factor.
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).statusCode).toBe(401);
    expect((await call('GET', '/v1/me', undefined, bearer(body.session.token))).statusCode).toBe(200);
    expect(await secondFactorAt(who.uid)).toEqual(clock.now());
  });

  it('answers factor_unavailable to an account without passkeys', async () => {
    const who = await signUp(t);
    const res = await call('POST', '/v1/me/reauthenticate/passkey/options', undefined, bearer(who.token));
    expect(res.json()).toMatchObject({ status: 400, code: 'factor_unavailable' });
  });

  it('refuses a malformed assertion as bad input, in the problem format', async () => {
    const who = await signUp(t);
    const res = await call('POST', '/v1/me/reauthenticate', { method: 'passkey', response: { id: 'x' } }, bearer(who.token));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400 });
  });

  it('answers a card top-up\'s step-up from a new phone', async () => {
    const who = await customer(t);
    const key = await addPasskey(t, who);
    const card = await addCard(t, who); // on the phone the account was made on: no step-up
    clock.advance(30 * DAY);
    const phone = { ...who, token: await newPhoneSession(who) };
    const first = await requestTopup(t, phone, card.id, 5000, 'stepup-passkey-1');
    expect(first.json()).toMatchObject({ status: 403, code: 'step_up_required' });

    const res = await call('POST', '/v1/me/reauthenticate', { method: 'passkey', response: key.authenticate(await options(phone.token)) }, bearer(phone.token));
    expect(res.statusCode, res.body).toBe(200);
    phone.token = (res.json() as { session: { token: string } }).session.token;
    const again = await requestTopup(t, phone, card.id, 5000, 'stepup-passkey-1');
    expect(again.statusCode, again.body).toBe(201);
  });

  it('does not let a password answer a step-up', async () => {
    const who = await customer(t);
    const card = await addCard(t, who);
    clock.advance(30 * DAY);
    const phone = { ...who, token: await newPhoneSession(who) };
    const res = await call('POST', '/v1/me/reauthenticate', { password: who.password }, bearer(phone.token));
    expect(res.statusCode, res.body).toBe(200);
    phone.token = (res.json() as { session: { token: string } }).session.token;
    expect(await secondFactorAt(who.uid)).toBeNull();
    expect((await requestTopup(t, phone, card.id, 5000)).json()).toMatchObject({ code: 'step_up_required' });
  });
});
