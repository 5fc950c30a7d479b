/**
 * Attacks on a passkey as recovery's second factor (ID-7, ID-11): the passkey never
 * replaces the e-mail code, and only a fresh answer of the account's own passkey to this
 * flow's challenge counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { api, recoveryWithEmailProven } from '../../../test/harness/account.js';
import { signUp } from '../../../test/harness/customer.js';
import { addPasskey, flowPasskeyOptions, startNewDeviceLogin } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
const clock = new ManualClock('2026-01-05T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const newPassword = 'somebody else wants in 2026';
const complete = (flowId: string, response: AuthenticationResponseJSON) =>
  call('POST', `/v1/recovery/${flowId}/complete`, { method: 'passkey', response, newPassword });
const passwordHash = async (email: string) => (await t.db.pool.query(`SELECT password_hash FROM users WHERE email = $1`, [email])).rows[0] as object;

describe('a passkey as recovery\'s second factor', () => {
  it('still refuses without the e-mail code, even with the account\'s own passkey', async () => {
    const victim = await signUp(t);
    const authr = await addPasskey(t, victim); // the thief holds the unlocked phone, not the mailbox
    const before = await passwordHash(victim.email);
    const start = await call('POST', '/v1/recovery', { identifier: victim.email });
    const { flowId } = start.json() as { flowId: string };
    expect((await call('POST', `/v1/recovery/${flowId}/passkey/options`)).json()).toMatchObject({ status: 409, code: 'email_not_verified' });
    // An assertion made for a challenge the thief could get elsewhere (a login flow) changes nothing either.
    const login = await startNewDeviceLogin(t, victim);
    const elsewhere = authr.authenticate(await flowPasskeyOptions(t, `/v1/login/${login.flowId}`));
    expect((await complete(flowId, elsewhere)).json()).toMatchObject({ status: 409, code: 'email_not_verified' });
    expect(await passwordHash(victim.email)).toEqual(before);
  });

  it('refuses an assertion made for another recovery flow\'s challenge', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const a = await recoveryWithEmailProven(t, who);
    const b = await recoveryWithEmailProven(t, who);
    const forA = authr.authenticate(await flowPasskeyOptions(t, `/v1/recovery/${a}`));
    await flowPasskeyOptions(t, `/v1/recovery/${b}`);
    expect((await complete(b, forA)).json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
    expect((await complete(a, forA)).statusCode).toBe(200);
  });

  it('refuses another account\'s passkey', async () => {
    const victim = await signUp(t);
    const attacker = await signUp(t);
    await addPasskey(t, victim);
    const attackerKey = await addPasskey(t, attacker);
    const flowId = await recoveryWithEmailProven(t, victim); // the attacker holds the victim's mailbox
    const before = await passwordHash(victim.email);
    const res = await complete(flowId, attackerKey.authenticate(await flowPasskeyOptions(t, `/v1/recovery/${flowId}`)));
    expect(res.json()).toMatchObject({ status: 400, code: 'passkey_invalid' });
    expect(await passwordHash(victim.email)).toEqual(before);
  });

  it('refuses a replayed assertion', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const first = await recoveryWithEmailProven(t, who);
    const used = authr.authenticate(await flowPasskeyOptions(t, `/v1/recovery/${first}`));
    expect((await complete(first, used)).statusCode).toBe(200);
    expect((await complete(first, used)).json()).toMatchObject({ status: 404, code: 'flow_not_found' });
    const second = await recoveryWithEmailProven(t, who);
    await flowPasskeyOptions(t, `/v1/recovery/${second}`);
    expect((await complete(second, used)).json()).toMatchObject({ status: 400, code: 'passkey_invalid' });
  });

  it('refuses a cloned authenticator whose counter lags behind', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const copy = authr.clone();
    const login = await startNewDeviceLogin(t, who); // the owner keeps using the original
    const ok = await call('POST', `/v1/login/${login.flowId}/verify`, { method: 'passkey', response: authr.authenticate(await flowPasskeyOptions(t, `/v1/login/${login.flowId}`)) });
    expect(ok.statusCode).toBe(200);
    const flowId = await recoveryWithEmailProven(t, who);
    const before = await passwordHash(who.email);
    const res = await complete(flowId, copy.authenticate(await flowPasskeyOptions(t, `/v1/recovery/${flowId}`)));
    expect(res.json()).toMatchObject({ status: 401, code: 'passkey_cloned', remaining: 4 });
    expect(await passwordHash(who.email)).toEqual(before);
  });
});
