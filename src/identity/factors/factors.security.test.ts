/**
 * Attacks on the second factors (ID-8, ID-11): replayed TOTP codes, reused recovery
 * codes, factors swapped in with a stolen session, another customer's passkey, phished
 * or replayed passkey assertions, and cloned authenticators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../../test/harness/customer.js';
import { addPasskey, api, enableTotp, issueRecoveryCodes, passkeyLoginOptions, startNewDeviceLogin, totpCode } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { SoftAuthenticator, type CreationOptionsLike } from '../../../test/harness/webauthn.js';
import { ManualClock } from '../../shared/clock.js';
import { fromPublicId } from '../../shared/ids.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
const clock = new ManualClock('2026-01-05T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const verify = (flowId: string, method: 'totp' | 'recovery_code', code: string) =>
  call('POST', `/v1/login/${flowId}/verify`, { method, code });

describe('TOTP replay', () => {
  it('refuses a code accepted once, also within its own 30 s step', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    // The code that confirmed the app is spent too.
    const first = await startNewDeviceLogin(t, who);
    expect((await verify(first.flowId, 'totp', await totpCode(secret, clock.now()))).json()).toMatchObject({ code: 'code_wrong' });

    clock.advance(30_000);
    const code = await totpCode(secret, clock.now());
    const a = await startNewDeviceLogin(t, who);
    expect((await verify(a.flowId, 'totp', code)).statusCode).toBe(200);
    clock.advance(10_000); // same step
    const b = await startNewDeviceLogin(t, who);
    expect((await verify(b.flowId, 'totp', code)).json()).toMatchObject({ status: 400, code: 'code_wrong' });
    // An earlier step's code, still inside the ±1 window, is refused as well.
    expect((await verify(b.flowId, 'totp', await totpCode(secret, clock.now(), -1))).json()).toMatchObject({ code: 'code_wrong' });
  });

  it('lets exactly one of two concurrent logins use one code', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    clock.advance(30_000);
    const code = await totpCode(secret, clock.now());
    const [a, b] = [await startNewDeviceLogin(t, who), await startNewDeviceLogin(t, who)];
    const results = await Promise.all([verify(a.flowId, 'totp', code), verify(b.flowId, 'totp', code)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });
});

describe('recovery code reuse', () => {
  it('refuses a recovery code the second time', async () => {
    const who = await signUp(t);
    const [code] = await issueRecoveryCodes(t, who);
    const a = await startNewDeviceLogin(t, who);
    expect((await verify(a.flowId, 'recovery_code', code!)).statusCode).toBe(200);
    const b = await startNewDeviceLogin(t, who);
    expect((await verify(b.flowId, 'recovery_code', code!)).json()).toMatchObject({ status: 400, code: 'code_wrong' });
  });

  it('lets exactly one of two concurrent logins use one recovery code', async () => {
    const who = await signUp(t);
    const [code] = await issueRecoveryCodes(t, who);
    const flows = [await startNewDeviceLogin(t, who), await startNewDeviceLogin(t, who), await startNewDeviceLogin(t, who)];
    const results = await Promise.all(flows.map((f) => verify(f.flowId, 'recovery_code', code!)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400]);
    const left = await t.db.pool.query(`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [fromPublicId('usr', who.userId)]);
    expect(left.rows[0]).toEqual({ n: 1 });
  });
});

describe('factor changes need a privileged session (ID-8)', () => {
  it('refuses adding or removing any factor once the sign-in is older than 5 minutes, and changes nothing', async () => {
    const who = await signUp(t);
    await enableTotp(t, clock, who);
    const codes = await issueRecoveryCodes(t, who);
    const authr = await addPasskey(t, who);
    const { options } = (await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token))).json() as { options: CreationOptionsLike };
    const before = (await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json();

    clock.advance(5 * 60_000 + 1_000);
    const attempts: ['POST' | 'DELETE', string, object?][] = [
      ['POST', '/v1/me/factors/totp'],
      ['POST', '/v1/me/factors/totp/confirm', { code: '123456' }],
      ['DELETE', '/v1/me/factors/totp'],
      ['POST', '/v1/me/factors/recovery-codes'],
      ['POST', '/v1/me/factors/passkeys/options'],
      ['POST', '/v1/me/factors/passkeys', { response: authr.clone().register(options), label: 'Thief' }],
      ['DELETE', `/v1/me/factors/passkeys/${authr.id}`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(method, url, payload, bearer(who.token));
      expect(res.json(), `${method} ${url}`).toMatchObject({ status: 403, code: 'reauthentication_required' });
    }
    // Reading still works, and nothing moved.
    expect((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json()).toEqual(before);
    const flow = await startNewDeviceLogin(t, who);
    expect((await verify(flow.flowId, 'recovery_code', codes[0]!)).statusCode).toBe(200);
  });
});

describe('passkeys', () => {
  it('does not let another customer remove your passkey (IDOR)', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const authr = await addPasskey(t, owner);
    const res = await call('DELETE', `/v1/me/factors/passkeys/${authr.id}`, undefined, bearer(other.token));
    expect(res.json()).toMatchObject({ status: 404, code: 'factor_not_found' });
    const list = (await call('GET', '/v1/me/factors', undefined, bearer(owner.token))).json() as { passkeys: { id: string }[] };
    expect(list.passkeys.map((p) => p.id)).toEqual([authr.id]);
  });

  it('refuses an assertion made for another challenge, origin or RP ID, and burns the challenge', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const other = await passkeyLoginOptions(t);
    for (const override of [{ challenge: other.options.challenge }, { origin: 'https://konpay-login.example' }, { rpId: 'konpay-login.example' }, { unverified: true }]) {
      const { flowId, options } = await passkeyLoginOptions(t);
      const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options, override) });
      expect(res.json(), JSON.stringify(override)).toMatchObject({ status: 400, code: 'passkey_invalid' });
      // One attempt per challenge: even the genuine response cannot follow a refused one.
      const retry = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) });
      expect(retry.json()).toMatchObject({ status: 404, code: 'flow_not_found' });
    }
  });

  it('refuses a registration made for another origin or RP ID', async () => {
    const who = await signUp(t);
    for (const override of [{ origin: 'https://konpay-login.example' }, { rpId: 'konpay-login.example' }]) {
      const { options } = (await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token))).json() as { options: CreationOptionsLike };
      const authr = new SoftAuthenticator(t.config.http.publicUrl);
      const res = await call('POST', '/v1/me/factors/passkeys', { response: authr.register(options, override) }, bearer(who.token));
      expect(res.json()).toMatchObject({ status: 400, code: 'passkey_invalid' });
    }
    expect(((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json() as { passkeys: unknown[] }).passkeys).toEqual([]);
  });

  it('mints one session from one challenge, even for two concurrent requests', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await passkeyLoginOptions(t);
    const response = authr.authenticate(options);
    const results = await Promise.all([1, 2].map(() => call('POST', '/v1/login/passkey/verify', { flowId, response })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 404]);
  });

  it('refuses another account\'s passkey when the options named an account', async () => {
    const victim = await signUp(t);
    const attacker = await signUp(t);
    await addPasskey(t, victim);
    const attackerKey = await addPasskey(t, attacker);
    const { flowId, options } = await passkeyLoginOptions(t, victim.email);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: attackerKey.authenticate(options) });
    expect(res.json()).toMatchObject({ code: 'passkey_invalid' });
  });

  it('refuses a cloned authenticator whose signature counter went backwards', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const copy = authr.clone(); // copied at counter 0
    for (let i = 0; i < 2; i++) {
      const { flowId, options } = await passkeyLoginOptions(t);
      expect((await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) })).statusCode).toBe(200);
    }
    const sessionsBefore = (await t.db.pool.query(`SELECT count(*)::int AS n FROM sessions`)).rows[0];
    const { flowId, options } = await passkeyLoginOptions(t);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: copy.authenticate(options) }); // counter 1 after 2
    expect(res.json()).toMatchObject({ status: 401, code: 'passkey_cloned' });
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM sessions`)).rows[0]).toEqual(sessionsBefore);
    expect((await t.db.pool.query(`SELECT counter FROM passkeys WHERE id = $1`, [authr.id])).rows[0]).toEqual({ counter: 2 });
  });
});
