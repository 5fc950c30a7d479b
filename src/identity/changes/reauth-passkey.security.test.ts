/**
 * Attacks on re-authenticating with a passkey (ID-8, ID-9, RISK-1). The attacker holds a
 * stolen session (a new phone, a fixed cookie) and wants the second factor a step-up or
 * a privileged change asks for, without a fresh answer of the account's own passkey.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp, type SignedUp } from '../../../test/harness/customer.js';
import { addPasskey, api, issueRecoveryCodes, type FlowPasskeyOptions } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';
import { fromPublicId } from '../../shared/ids.js';

const clock = new ManualClock('2026-01-05T00:00:05Z');
let t: TestKonpay;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

async function options(token: string): Promise<FlowPasskeyOptions> {
  const res = await call('POST', '/v1/me/reauthenticate/passkey/options', undefined, bearer(token));
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { options: FlowPasskeyOptions }).options;
}
const reauth = (token: string, response: AuthenticationResponseJSON) =>
  call('POST', '/v1/me/reauthenticate', { method: 'passkey', response }, bearer(token));
/** A second session of the same account, as another device would hold. */
async function secondSession(who: SignedUp): Promise<string> {
  const res = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': who.deviceCredential });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { session: { token: string } }).session.token;
}
/** Sessions of the account that carry a second factor (none, unless a factor was proven). */
const marked = async (who: SignedUp) => (await t.db.pool.query<{ n: number }>(
  `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND second_factor_at IS NOT NULL`, [fromPublicId('usr', who.userId)])).rows[0]!.n;

describe('attacks on passkey re-authentication', () => {
  it('refuses another user\'s passkey, and does not offer it', async () => {
    const victim = await signUp(t);
    const attacker = await signUp(t);
    const victimKey = await addPasskey(t, victim);
    const attackerKey = await addPasskey(t, attacker);
    const opts = await options(victim.token); // the attacker holds the victim's session
    expect(opts.allowCredentials!.map((c) => c.id)).toEqual([victimKey.id]);
    const res = await reauth(victim.token, attackerKey.authenticate(opts));
    expect(res.json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
    // No new session, no second factor on the old one.
    expect((await call('GET', '/v1/me', undefined, bearer(victim.token))).statusCode).toBe(200);
    expect(await marked(victim)).toBe(0);
  });

  it('refuses a replayed assertion: its challenge answers one attempt, and the new session none of the old ones', async () => {
    const who = await signUp(t);
    const key = await addPasskey(t, who);
    const opts = await options(who.token);
    const genuine = key.authenticate(opts);
    // A refused attempt burns the challenge: the genuine answer cannot follow it.
    expect((await reauth(who.token, key.authenticate(opts, { unverified: true }))).json()).toMatchObject({ code: 'passkey_invalid', remaining: 4 });
    expect((await reauth(who.token, genuine)).json()).toMatchObject({ code: 'passkey_invalid', remaining: 3 });

    const fresh = key.authenticate(await options(who.token));
    const ok = await reauth(who.token, fresh);
    expect(ok.statusCode, ok.body).toBe(200);
    const renewed = (ok.json() as { session: { token: string } }).session.token;
    // The old session is gone; the new one has its own flow, with no challenge for this answer.
    expect((await reauth(who.token, fresh)).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await reauth(renewed, fresh)).json()).toMatchObject({ code: 'passkey_invalid' });
    await options(renewed);
    expect((await reauth(renewed, fresh)).json()).toMatchObject({ code: 'passkey_invalid' });
  });

  it('refuses an assertion for a challenge issued to another session of the same account', async () => {
    const who = await signUp(t);
    const key = await addPasskey(t, who);
    const other = await secondSession(who);
    const forOther = key.authenticate(await options(other));
    await options(who.token); // this session has its own, different challenge
    expect((await reauth(who.token, forOther)).json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
    expect(await marked(who)).toBe(0);
    // The assertion is genuine: only the session it was made for takes it.
    expect((await reauth(other, forOther)).statusCode).toBe(200);
  });

  it('refuses an expired challenge', async () => {
    const who = await signUp(t);
    const key = await addPasskey(t, who);
    const opts = await options(who.token);
    clock.advance(5 * 60_000 + 1000);
    const late = key.authenticate(opts);
    expect((await reauth(who.token, late)).json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
    expect(await marked(who)).toBe(0);
    const fresh = await reauth(who.token, key.authenticate(await options(who.token)));
    expect(fresh.statusCode, fresh.body).toBe(200);
  });

  it('counts refused passkeys in the session\'s five wrong answers, shared with passwords and codes, then signs it out', async () => {
    const who = await signUp(t);
    const key = await addPasskey(t, who);
    await issueRecoveryCodes(t, who);
    expect((await call('POST', '/v1/me/reauthenticate', { password: 'not the password at all' }, bearer(who.token))).json()).toMatchObject({ code: 'password_wrong', remaining: 4 });
    expect((await call('POST', '/v1/me/reauthenticate', { method: 'recovery_code', code: 'nope-nope-no' }, bearer(who.token))).json()).toMatchObject({ code: 'code_wrong', remaining: 3 });
    for (const remaining of [2, 1]) {
      const res = await reauth(who.token, key.authenticate(await options(who.token), { origin: 'https://konpay-login.example' }));
      expect(res.json()).toMatchObject({ code: 'passkey_invalid', remaining });
    }
    const last = await reauth(who.token, key.authenticate(await options(who.token), { rpId: 'konpay-login.example' }));
    expect(last.json()).toMatchObject({ status: 401, code: 'reauthentication_locked' });
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).statusCode).toBe(401);
  });
});
