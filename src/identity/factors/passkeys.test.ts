import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../../test/harness/customer.js';
import { addPasskey, api, flowPasskeyOptions, passkeyLoginOptions, startNewDeviceLogin } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { SoftAuthenticator, type CreationOptionsLike } from '../../../test/harness/webauthn.js';
import { ManualClock } from '../../shared/clock.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
const clock = new ManualClock('2026-01-05T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

type Session = { userId: string; session: { token: string }; deviceCredential?: string; restrictedUntil: string | null };
const eventsOf = async (token: string) =>
  ((await call('GET', '/v1/me/security-events', undefined, bearer(token))).json() as { events: { kind: string; details: Record<string, unknown> }[] }).events;

describe('passkey registration (ID-11)', () => {
  it('offers options bound to our RP, registers a user-verified passkey and lists it', async () => {
    const who = await signUp(t);
    const res = await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token));
    expect(res.statusCode).toBe(200);
    const { options } = res.json() as { options: CreationOptionsLike & Record<string, unknown> };
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Konpay' }, user: { name: who.email }, attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const authr = new SoftAuthenticator(t.config.http.publicUrl, { synced: true });
    const added = await call('POST', '/v1/me/factors/passkeys', { response: authr.register(options), label: 'iPhone' }, bearer(who.token));
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ id: authr.id, label: 'iPhone', deviceType: 'multiDevice', backedUp: true, lastUsedAt: null });

    const list = (await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json() as { passkeys: { id: string }[] };
    expect(list.passkeys.map((p) => p.id)).toEqual([authr.id]);
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ factors: ['sms', 'passkey'] });
    expect((await eventsOf(who.token))[0]).toMatchObject({ kind: 'factor_added', details: { method: 'passkey', label: 'iPhone' } });

    // The next options exclude it, so the same authenticator is not registered twice.
    const next = (await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token))).json() as { options: { excludeCredentials: { id: string }[] } };
    expect(next.options.excludeCredentials.map((c) => c.id)).toEqual([authr.id]);
  });

  it('refuses to register the same credential twice', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { options } = (await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token))).json() as { options: CreationOptionsLike };
    const again = await call('POST', '/v1/me/factors/passkeys', { response: authr.register(options), label: 'Again' }, bearer(who.token));
    expect(again.json()).toMatchObject({ status: 409, code: 'passkey_exists' });
  });

  it('removes a passkey, which then no longer signs in', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who, 'Old key');
    expect((await call('DELETE', `/v1/me/factors/passkeys/${authr.id}`, undefined, bearer(who.token))).statusCode).toBe(204);
    expect(((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json() as { passkeys: unknown[] }).passkeys).toEqual([]);
    expect((await eventsOf(who.token))[0]).toMatchObject({ kind: 'factor_removed', details: { method: 'passkey', label: 'Old key' } });
    const { flowId, options } = await passkeyLoginOptions(t);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) });
    expect(res.json()).toMatchObject({ status: 400, code: 'passkey_invalid' });
  });
});

describe('passkey login (ID-4, ID-11)', () => {
  it('signs in usernameless on a new device: a session and device credential, a notice, no restricted mode', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    clock.advance(60_000);
    const { flowId, options } = await passkeyLoginOptions(t);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');

    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options), deviceLabel: 'Work laptop' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Session;
    expect(body).toMatchObject({ status: 'authenticated', userId: who.userId, restrictedUntil: null, mustResetPassword: false });
    expect(body.session.token).toMatch(/^kps_/);
    expect((await call('GET', '/v1/me', undefined, bearer(body.session.token))).json()).toMatchObject({ restrictedUntil: null });
    expect((await eventsOf(body.session.token))[0]).toMatchObject({ kind: 'new_device_login', details: { method: 'passkey', device: 'Work laptop' } });
    const devices = (await call('GET', '/v1/me/devices', undefined, bearer(body.session.token))).json() as { devices: { label: string }[] };
    expect(devices.devices.map((d) => d.label).sort()).toEqual(['Test phone', 'Work laptop']);

    // The device is remembered: the password alone now opens a session there.
    const pw = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': body.deviceCredential! });
    expect(pw.statusCode).toBe(200);
    const stored = (await call('GET', '/v1/me/factors', undefined, bearer(body.session.token))).json() as { passkeys: { lastUsedAt: string }[] };
    expect(stored.passkeys[0]!.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('signs in with an identifier, offering only that account\'s passkeys', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await passkeyLoginOptions(t, who.phone);
    expect(options.allowCredentials!.map((c) => c.id)).toEqual([authr.id]);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options), transport: 'cookie' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.cookies.map((c) => c.name).sort()).toEqual(['konpay_csrf', 'konpay_device', 'konpay_install', 'konpay_session']);
  });

  it('does not tell whether an identifier has an account: unknown ones get a stable decoy', async () => {
    const withoutPasskey = await signUp(t);
    for (const identifier of ['nobody-here@example.jp', withoutPasskey.email]) {
      const a = await passkeyLoginOptions(t, identifier);
      const b = await passkeyLoginOptions(t, identifier);
      expect(a.options.allowCredentials).toHaveLength(1);
      expect(a.options.allowCredentials).toEqual(b.options.allowCredentials);
    }
  });

  it('lets a challenge live 5 minutes', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await passkeyLoginOptions(t);
    clock.advance(5 * 60_000 + 1_000);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) });
    expect(res.json()).toMatchObject({ status: 404, code: 'flow_not_found' });
  });

  it('does not open a frozen account', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    await t.db.pool.query(`UPDATE users SET frozen_at = now() WHERE email = $1`, [who.email]);
    const { flowId, options } = await passkeyLoginOptions(t);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) });
    expect(res.json()).toMatchObject({ status: 423, code: 'account_frozen' });
  });

  it('on a remembered device, signs in without reporting a new device', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await passkeyLoginOptions(t);
    const res = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) }, { 'x-konpay-device': who.deviceCredential });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Session;
    expect(body.deviceCredential).toBeUndefined();
    expect((await eventsOf(body.session.token)).map((e) => e.kind)).not.toContain('new_device_login');
  });
});

describe('a passkey as the second factor of a password login (ID-4, ID-11)', () => {
  it('finishes a new-device login like the other factors: device remembered, restricted mode, notice', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, methods } = await startNewDeviceLogin(t, who);
    expect(methods).toEqual(['sms', 'passkey']);
    const options = await flowPasskeyOptions(t, `/v1/login/${flowId}`);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.allowCredentials!.map((c) => c.id)).toEqual([authr.id]);

    const res = await call('POST', `/v1/login/${flowId}/verify`, { method: 'passkey', response: authr.authenticate(options), deviceLabel: 'Work laptop' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Session;
    expect(body).toMatchObject({ status: 'authenticated', userId: who.userId, mustResetPassword: false });
    expect(new Date(body.restrictedUntil!).getTime()).toBe(clock.now().getTime() + 24 * 3_600_000);
    expect((await eventsOf(body.session.token))[0]).toMatchObject({ kind: 'new_device_login', details: { method: 'passkey', device: 'Work laptop' } });
    const pw = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': body.deviceCredential! });
    expect(pw.statusCode).toBe(200);
    expect((await t.db.pool.query(`SELECT counter FROM passkeys WHERE id = $1`, [authr.id])).rows[0]).toEqual({ counter: authr.counter });
  });

  it('offers no passkey options to an account without one', async () => {
    const who = await signUp(t);
    const { flowId, methods } = await startNewDeviceLogin(t, who);
    expect(methods).toEqual(['sms']);
    expect((await call('POST', `/v1/login/${flowId}/passkey/options`)).json()).toMatchObject({ status: 400, code: 'factor_unavailable' });
  });

  it('lets the challenge live 5 minutes', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId } = await startNewDeviceLogin(t, who);
    const options = await flowPasskeyOptions(t, `/v1/login/${flowId}`);
    clock.advance(5 * 60_000 + 1_000);
    const res = await call('POST', `/v1/login/${flowId}/verify`, { method: 'passkey', response: authr.authenticate(options) });
    expect(res.json()).toMatchObject({ status: 400, code: 'passkey_invalid', remaining: 4 });
  });
});
