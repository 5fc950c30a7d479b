/**
 * Attacks on a passkey as the second factor of a password login (ID-4, ID-11): the
 * attacker knows the password (7pay's customers reused theirs) and tries to get past the
 * second step with assertions that are not a fresh answer of the account's own passkey.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../../test/harness/customer.js';
import { addPasskey, api, flowPasskeyOptions, issueRecoveryCodes, startNewDeviceLogin } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ManualClock } from '../../shared/clock.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
const clock = new ManualClock('2026-01-05T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const verify = (flowId: string, response: AuthenticationResponseJSON) =>
  call('POST', `/v1/login/${flowId}/verify`, { method: 'passkey', response });
const sessionCount = async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM sessions`)).rows[0] as { n: number };

describe('a passkey as the second factor of a login', () => {
  it('refuses an assertion made for another login flow\'s challenge', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const a = await startNewDeviceLogin(t, who);
    const b = await startNewDeviceLogin(t, who);
    const forA = authr.authenticate(await flowPasskeyOptions(t, `/v1/login/${a.flowId}`));
    await flowPasskeyOptions(t, `/v1/login/${b.flowId}`);
    expect((await verify(b.flowId, forA)).json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
    // The assertion is genuine: only the flow it was made for takes it.
    expect((await verify(a.flowId, forA)).statusCode).toBe(200);
  });

  it('refuses another account\'s passkey, and does not offer it', async () => {
    const victim = await signUp(t);
    const attacker = await signUp(t);
    const victimKey = await addPasskey(t, victim);
    const attackerKey = await addPasskey(t, attacker);
    const { flowId } = await startNewDeviceLogin(t, victim); // the attacker knows the victim's password
    const options = await flowPasskeyOptions(t, `/v1/login/${flowId}`);
    expect(options.allowCredentials!.map((c) => c.id)).toEqual([victimKey.id]);
    const before = await sessionCount();
    expect((await verify(flowId, attackerKey.authenticate(options))).json()).toMatchObject({ status: 400, code: 'passkey_invalid' });
    expect(await sessionCount()).toEqual(before);
  });

  it('refuses a replayed assertion: the challenge answers one attempt, and a finished flow none', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const first = await startNewDeviceLogin(t, who);
    const options = await flowPasskeyOptions(t, `/v1/login/${first.flowId}`);
    const genuine = authr.authenticate(options);
    // A refused attempt burns the challenge: the genuine answer cannot follow it.
    expect((await verify(first.flowId, authr.authenticate(options, { unverified: true }))).json()).toMatchObject({ code: 'passkey_invalid', remaining: 4 });
    expect((await verify(first.flowId, genuine)).json()).toMatchObject({ code: 'passkey_invalid', remaining: 3 });

    const second = await startNewDeviceLogin(t, who);
    const fresh = authr.authenticate(await flowPasskeyOptions(t, `/v1/login/${second.flowId}`));
    expect((await verify(second.flowId, fresh)).statusCode).toBe(200);
    expect((await verify(second.flowId, fresh)).json()).toMatchObject({ status: 404, code: 'flow_not_found' });
    const third = await startNewDeviceLogin(t, who);
    await flowPasskeyOptions(t, `/v1/login/${third.flowId}`);
    expect((await verify(third.flowId, fresh)).json()).toMatchObject({ code: 'passkey_invalid' });
  });

  it('refuses a cloned authenticator whose counter lags behind', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const copy = authr.clone();
    const a = await startNewDeviceLogin(t, who);
    expect((await verify(a.flowId, authr.authenticate(await flowPasskeyOptions(t, `/v1/login/${a.flowId}`)))).statusCode).toBe(200);
    const b = await startNewDeviceLogin(t, who);
    const before = await sessionCount();
    const res = await verify(b.flowId, copy.authenticate(await flowPasskeyOptions(t, `/v1/login/${b.flowId}`)));
    expect(res.json()).toMatchObject({ status: 401, code: 'passkey_cloned', remaining: 4 });
    expect(await sessionCount()).toEqual(before);
    expect((await t.db.pool.query(`SELECT counter FROM passkeys WHERE id = $1`, [authr.id])).rows[0]).toEqual({ counter: authr.counter });
  });

  it('refuses a phished assertion and ends the flow after 5 refusals, shared with recovery codes', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    await issueRecoveryCodes(t, who);
    const { flowId } = await startNewDeviceLogin(t, who);
    expect((await call('POST', `/v1/login/${flowId}/verify`, { method: 'recovery_code', code: 'nope-nope-no' })).json()).toMatchObject({ code: 'code_wrong', remaining: 4 });
    for (const remaining of [3, 2, 1]) {
      const options = await flowPasskeyOptions(t, `/v1/login/${flowId}`);
      const res = await verify(flowId, authr.authenticate(options, { origin: 'https://konpay-login.example' }));
      expect(res.json()).toMatchObject({ code: 'passkey_invalid', remaining });
    }
    const options = await flowPasskeyOptions(t, `/v1/login/${flowId}`);
    expect((await verify(flowId, authr.authenticate(options, { rpId: 'konpay-login.example' }))).json()).toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect((await call('POST', `/v1/login/${flowId}/passkey/options`)).json()).toMatchObject({ status: 404, code: 'flow_not_found' });
  });
});
