import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, messagesTo, signUp } from '../../../test/harness/customer.js';
import { api, enableTotp, issueRecoveryCodes, startNewDeviceLogin, totpCode } from '../../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';
import { hmac, unseal } from '../../shared/crypto.js';
import { fromPublicId } from '../../shared/ids.js';
import { secretBytes } from '../../secrets.js';

let t: TestKonpay;
let call: ReturnType<typeof api>;
// 5 s into a 30 s step, so "the same step" and "the next step" are unambiguous.
const clock = new ManualClock('2026-01-05T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
});
afterAll(() => t.stop());

const uuid = (publicUserId: string) => fromPublicId('usr', publicUserId)!;
const eventKinds = async (token: string) =>
  ((await call('GET', '/v1/me/security-events', undefined, bearer(token))).json() as { events: { kind: string; details: Record<string, unknown> }[] }).events;

describe('TOTP (ID-11)', () => {
  it('enrols with a sealed secret and an otpauth URI, and is a factor only once confirmed', async () => {
    const who = await signUp(t);
    const enrol = await call('POST', '/v1/me/factors/totp', undefined, bearer(who.token));
    expect(enrol.statusCode).toBe(201);
    expect(enrol.headers['cache-control']).toBe('no-store');
    const { secret, otpauthUri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits in base32
    const uri = new URL(otpauthUri);
    expect([uri.protocol, uri.host, decodeURIComponent(uri.pathname)]).toEqual(['otpauth:', 'totp', `/Konpay:${who.email}`]);
    expect(uri.searchParams.get('issuer')).toBe('Konpay');
    expect(uri.searchParams.get('secret')).toBe(secret);

    const row = (await t.db.pool.query<{ secret_sealed: string; confirmed_at: Date | null }>(`SELECT * FROM totp_factors WHERE user_id = $1`, [uuid(who.userId)])).rows[0]!;
    expect(row.secret_sealed).not.toContain(secret);
    const key = secretBytes(t.config.secrets.encryptionKey);
    expect(unseal(key, row.secret_sealed, uuid(who.userId))).toBe(secret);
    expect(() => unseal(key, row.secret_sealed, 'another-user')).toThrow(); // bound to its account
    expect(row.confirmed_at).toBeNull();
    expect((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json()).toMatchObject({ totp: { status: 'pending' } });
    expect((await startNewDeviceLogin(t, who)).methods).toEqual(['sms']);

    const confirm = await call('POST', '/v1/me/factors/totp/confirm', { code: await totpCode(secret, clock.now()) }, bearer(who.token));
    expect(confirm.json()).toEqual({ status: 'enabled' });
    expect((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json()).toMatchObject({ totp: { status: 'enabled' } });
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).json()).toMatchObject({ factors: ['sms', 'totp'] });
    expect((await eventKinds(who.token))[0]).toMatchObject({ kind: 'factor_added', details: { method: 'totp' } });
    expect((await messagesTo(t, who.email)).some((m) => m.subject?.includes('A sign-in method was added'))).toBe(true);
  });

  it('refuses a wrong confirmation code, a second app while one is enabled, and confirming before enrolling', async () => {
    const who = await signUp(t);
    expect((await call('POST', '/v1/me/factors/totp/confirm', { code: '123456' }, bearer(who.token))).json()).toMatchObject({ status: 409, code: 'totp_not_enrolled' });
    const { secret } = (await call('POST', '/v1/me/factors/totp', undefined, bearer(who.token))).json() as { secret: string };
    const wrong = await call('POST', '/v1/me/factors/totp/confirm', { code: await totpCode(secret, clock.now(), 5) }, bearer(who.token));
    expect(wrong.json()).toMatchObject({ status: 400, code: 'code_wrong' });
    expect((await call('POST', '/v1/me/factors/totp/confirm', { code: await totpCode(secret, clock.now()) }, bearer(who.token))).statusCode).toBe(200);
    expect((await call('POST', '/v1/me/factors/totp', undefined, bearer(who.token))).json()).toMatchObject({ status: 409, code: 'totp_already_enabled' });
  });

  it('signs in on a new device with a TOTP code: device remembered, account restricted for a day', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    clock.advance(30_000);
    const flow = await startNewDeviceLogin(t, who);
    expect(flow.methods).toEqual(['sms', 'totp']);
    const done = await call('POST', `/v1/login/${flow.flowId}/verify`, { method: 'totp', code: await totpCode(secret, clock.now()), deviceLabel: 'New tablet' });
    expect(done.statusCode, done.body).toBe(200);
    const body = done.json() as { session: { token: string }; deviceCredential: string; restrictedUntil: string };
    expect(new Date(body.restrictedUntil).getTime()).toBe(clock.now().getTime() + 24 * 3_600_000);
    expect((await eventKinds(body.session.token))[0]).toMatchObject({ kind: 'new_device_login', details: { method: 'totp', device: 'New tablet' } });
    const again = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': body.deviceCredential });
    expect(again.statusCode).toBe(200);
  });

  it('accepts a code one step early or late (clock drift), not two', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    for (const [advance, steps, status] of [[60_000, -1, 200], [60_000, 1, 200], [90_000, 2, 400], [0, -2, 400]] as const) {
      clock.advance(advance);
      const flow = await startNewDeviceLogin(t, who);
      const res = await call('POST', `/v1/login/${flow.flowId}/verify`, { method: 'totp', code: await totpCode(secret, clock.now(), steps) });
      expect(res.statusCode, `${steps} steps: ${res.body}`).toBe(status);
    }
  });

  it('can be removed, after which it is no longer offered or accepted', async () => {
    const who = await signUp(t);
    const secret = await enableTotp(t, clock, who);
    expect((await call('DELETE', '/v1/me/factors/totp', undefined, bearer(who.token))).statusCode).toBe(204);
    expect((await call('DELETE', '/v1/me/factors/totp', undefined, bearer(who.token))).json()).toMatchObject({ status: 404, code: 'factor_not_found' });
    expect((await eventKinds(who.token))[0]).toMatchObject({ kind: 'factor_removed', details: { method: 'totp' } });
    clock.advance(30_000);
    const flow = await startNewDeviceLogin(t, who);
    expect(flow.methods).toEqual(['sms']);
    const res = await call('POST', `/v1/login/${flow.flowId}/verify`, { method: 'totp', code: await totpCode(secret, clock.now()) });
    expect(res.json()).toMatchObject({ code: 'factor_unavailable' });
  });
});

describe('recovery codes (ID-7, ID-11)', () => {
  it('issues ten distinct codes, shown once and stored only as keyed hashes', async () => {
    const who = await signUp(t);
    const codes = await issueRecoveryCodes(t, who);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);

    const rows = (await t.db.pool.query<Record<string, unknown>>(`SELECT * FROM recovery_codes WHERE user_id = $1`, [uuid(who.userId)])).rows;
    expect(rows).toHaveLength(10);
    expect(Object.keys(rows[0]!).sort()).toEqual(['code_hash', 'created_at', 'id', 'used_at', 'user_id']);
    const key = secretBytes(t.config.secrets.signingKey);
    const stored = new Set(rows.map((r) => (r.code_hash as Buffer).toString('hex')));
    for (const c of codes) expect(stored.has(hmac(key, 'recovery-code', uuid(who.userId), c.replace(/-/g, '')).toString('hex'))).toBe(true);
    expect((await call('GET', '/v1/me/factors', undefined, bearer(who.token))).json()).toMatchObject({ recoveryCodes: { remaining: 10 } });
    expect((await eventKinds(who.token))[0]).toMatchObject({ kind: 'factor_added', details: { method: 'recovery_code' } });
  });

  it('signs in on a new device with a recovery code typed in capitals with spaces, and uses it up', async () => {
    const who = await signUp(t);
    const codes = await issueRecoveryCodes(t, who);
    const flow = await startNewDeviceLogin(t, who);
    expect(flow.methods).toEqual(['sms', 'recovery_code']);
    const typed = ` ${codes[3]!.toUpperCase().replace(/-/g, ' ')} `;
    const done = await call('POST', `/v1/login/${flow.flowId}/verify`, { method: 'recovery_code', code: typed, deviceLabel: 'Borrowed phone' });
    expect(done.statusCode, done.body).toBe(200);
    const { session } = done.json() as { session: { token: string } };
    expect((await call('GET', '/v1/me/factors', undefined, bearer(session.token))).json()).toMatchObject({ recoveryCodes: { remaining: 9 } });
    expect((await eventKinds(session.token))[0]).toMatchObject({ kind: 'new_device_login', details: { method: 'recovery_code' } });
  });

  it('replaces the whole earlier set when new codes are made', async () => {
    const who = await signUp(t);
    const first = await issueRecoveryCodes(t, who);
    const second = await issueRecoveryCodes(t, who);
    const old = await startNewDeviceLogin(t, who);
    expect((await call('POST', `/v1/login/${old.flowId}/verify`, { method: 'recovery_code', code: first[0]! })).json()).toMatchObject({ code: 'code_wrong' });
    const fresh = await startNewDeviceLogin(t, who);
    expect((await call('POST', `/v1/login/${fresh.flowId}/verify`, { method: 'recovery_code', code: second[0]! })).statusCode).toBe(200);
  });
});
