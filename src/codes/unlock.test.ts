/** Setting the app PIN and unlocking the app by PIN or passkey (PAY-1). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayer, PIN, pinRequest, unlockRequest } from '../../test/harness/codes.js';
import { bearer, signUp } from '../../test/harness/customer.js';
import { addPasskey, api } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import type { RequestOptionsLike } from '../../test/harness/webauthn.js';
import { ManualClock } from '../shared/clock.js';

let t: TestKonpay;
const clock = new ManualClock('2026-01-05T09:00:00Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

async function unlockOptions(token: string): Promise<{ flowId: string; options: RequestOptionsLike & { userVerification?: string } }> {
  const res = await api(t)('POST', '/v1/unlock/passkey/options', undefined, bearer(token));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { flowId: string; options: RequestOptionsLike };
}

describe('PUT /v1/devices/current/pin', () => {
  it('sets a PIN from a privileged session, stored as an argon2id hash', async () => {
    const who = await newPayer(t);
    const row = await t.db.pool.query<{ pin_hash: string; failures: number }>(`SELECT pin_hash, failures FROM device_pins WHERE user_id = $1`, [who.uid]);
    expect(row.rows[0]!.pin_hash).toMatch(/^\$argon2id\$/);
    expect(row.rows[0]!.pin_hash).not.toContain(PIN);
    expect(row.rows[0]!.failures).toBe(0);
  });

  it('needs a privileged session: refused 5 minutes after sign-in, and nothing is stored', async () => {
    const who = await signUp(t);
    clock.advance(5 * 60_000 + 1000);
    const res = await pinRequest(t, who.token, PIN);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'reauthentication_required', windowSeconds: 300 });
    expect((await t.db.pool.query(`SELECT 1 FROM device_pins d JOIN devices v ON v.id = d.device_id WHERE v.label = 'Test phone' AND d.user_id IN (SELECT id FROM users WHERE email = $1)`, [who.email])).rowCount).toBe(0);
  });

  it('refuses weak PINs and anything but 4 to 6 digits', async () => {
    const who = await signUp(t);
    for (const pin of ['1234', '0000', '123456', '987654', '7890']) {
      expect((await pinRequest(t, who.token, pin)).json()).toMatchObject({ status: 400, code: 'pin_weak' });
    }
    for (const pin of ['123', '1234567', '12a4']) {
      expect((await pinRequest(t, who.token, pin)).json()).toMatchObject({ status: 400, code: 'validation_failed' });
    }
  });

  it('needs a session', async () => {
    const res = await t.konpay.app.inject({ method: 'PUT', url: '/v1/devices/current/pin', payload: { pin: PIN } });
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});

describe('POST /v1/unlock with the PIN', () => {
  it('unlocks for the window and says until when', async () => {
    const who = await newPayer(t);
    const res = await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const now = clock.now();
    expect(res.json()).toEqual({ unlockedAt: now.toISOString(), unlockedUntil: new Date(now.getTime() + 300_000).toISOString() });
    const row = await t.db.pool.query(`SELECT method, unlocked_at FROM session_unlocks WHERE user_id = $1`, [who.uid]);
    expect(row.rows).toEqual([{ method: 'pin', unlocked_at: now }]);
  });

  it('counts a wrong PIN and says how many tries are left; a right one starts the count again', async () => {
    const who = await newPayer(t);
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: '1357' })).json()).toMatchObject({ status: 400, code: 'pin_wrong', remaining: 4 });
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: '1358' })).json()).toMatchObject({ code: 'pin_wrong', remaining: 3 });
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: PIN })).statusCode).toBe(200);
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: '1357' })).json()).toMatchObject({ code: 'pin_wrong', remaining: 4 });
  });

  it('answers pin_not_set on a device without a PIN', async () => {
    const who = await signUp(t);
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: PIN })).json()).toMatchObject({ status: 409, code: 'pin_not_set' });
  });
});

describe('POST /v1/unlock with a passkey', () => {
  it('unlocks with a user-verified assertion of one of the account passkeys', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await unlockOptions(who.token);
    expect(options.userVerification).toBe('required');
    const res = await unlockRequest(t, who.token, { method: 'passkey', flowId, response: authr.authenticate(options) });
    expect(res.statusCode, res.body).toBe(200);
    const uid = (await t.db.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [who.email])).rows[0]!.id;
    expect((await t.db.pool.query(`SELECT method FROM session_unlocks WHERE user_id = $1`, [uid])).rows).toEqual([{ method: 'passkey' }]);
  });

  it('refuses an assertion without user verification, and burns the challenge', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { flowId, options } = await unlockOptions(who.token);
    expect((await unlockRequest(t, who.token, { method: 'passkey', flowId, response: authr.authenticate(options, { unverified: true }) })).json())
      .toMatchObject({ status: 400, code: 'passkey_invalid' });
    expect((await unlockRequest(t, who.token, { method: 'passkey', flowId, response: authr.authenticate(options) })).json())
      .toMatchObject({ status: 404, code: 'unlock_challenge_not_found' });
  });

  it('answers no_passkeys when the account has none', async () => {
    const who = await signUp(t);
    expect((await api(t)('POST', '/v1/unlock/passkey/options', undefined, bearer(who.token))).json()).toMatchObject({ status: 409, code: 'no_passkeys' });
  });
});
