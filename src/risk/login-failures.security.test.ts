/**
 * Attack: credential stuffing that gets the password right after a few tries (RISK-1,
 * `login_failures`). The failed attempts live in the login throttle's counters, in
 * PostgreSQL or in Redis; the engine sees them at the right password. On the owner's own
 * phone, where a password alone would open a session, three wrong passwords before the
 * right one make the holder prove the second factor. The engine's default policy; only
 * the per-address thresholds are lifted (every injected request comes from 127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, signUp, type SignedUp } from '../../test/harness/customer.js';
import { riskPolicyEnv, startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { fromPublicId } from '../shared/ids.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `konpay:test:${randomBytes(6).toString('hex')}:`;

describe.each(['postgres', 'redis'] as const)('login_failures with the counters in %s', (store) => {
  let t: TestKonpay;
  beforeAll(async () => {
    t = store === 'redis'
      ? await startTestKonpay({ ...riskPolicyEnv(), REDIS_URL }, { worker: false, redisPrefix: PREFIX })
      : await startTestKonpay(riskPolicyEnv(), { worker: false });
  });
  afterAll(async () => {
    await t?.stop();
    if (store !== 'redis') return;
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const login = (s: SignedUp, password: string, device: string | undefined, ip = '127.0.0.1') => t.konpay.app.inject({
    method: 'POST', url: '/v1/login', remoteAddress: ip,
    headers: device ? { 'x-konpay-device': device } : {},
    payload: { identifier: s.email, password, transport: 'bearer' },
  });
  const wrong = async (s: SignedUp, n: number, device: string | undefined, ip?: string) => {
    for (let i = 0; i < n; i++) expect((await login(s, `not ${s.password}`, device, ip)).statusCode).toBe(401);
  };
  const decisions = async (s: SignedUp) => (await t.konpay.pool.query<{ outcome: string; reasons: string[]; failures: number }>(
    `SELECT outcome, reasons, (signals->>'loginFailures')::int AS failures FROM risk_decisions
      WHERE user_id = $1 AND action = 'login' ORDER BY created_at, id`, [fromPublicId('usr', s.userId)])).rows;

  it('asks the owner\'s phone for a second factor after three wrong passwords, and logs why', async () => {
    const s = await signUp(t);
    await wrong(s, 3, s.deviceCredential);
    const stepped = await login(s, s.password, s.deviceCredential);
    expect(stepped.statusCode, stepped.body).toBe(202);
    expect(stepped.json()).toMatchObject({ status: 'second_factor_required' });
    expect(JSON.stringify(stepped.json())).not.toMatch(/kps_/);
    expect((await decisions(s)).at(-1)).toEqual({ outcome: 'step_up', reasons: ['login_failures'], failures: 3 });

    // The code proves the phone's holder; the same phone stays (no new device, no restricted mode).
    const { flowId } = stepped.json() as { flowId: string };
    expect((await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms` })).statusCode).toBe(202);
    const code = await latestCode(t, s.phoneE164, 'sms');
    const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, payload: { method: 'sms', code, deviceLabel: 'Phone' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'authenticated', restrictedUntil: null });
    const devices = await t.konpay.pool.query(`SELECT label FROM devices WHERE user_id = $1`, [fromPublicId('usr', s.userId)]);
    expect(devices.rows).toEqual([{ label: 'Test phone' }]);

    // The right password reset the phone's counter: the next sign-in is the usual one.
    expect((await login(s, s.password, s.deviceCredential)).statusCode).toBe(200);
    expect((await decisions(s)).at(-1)).toEqual({ outcome: 'allow', reasons: [], failures: 0 });
  });

  it('control: with no wrong password, or two, the phone signs straight in', async () => {
    const s = await signUp(t);
    expect((await login(s, s.password, s.deviceCredential)).statusCode).toBe(200);
    await wrong(s, 2, s.deviceCredential);
    expect((await login(s, s.password, s.deviceCredential)).statusCode).toBe(200);
    expect(await decisions(s)).toEqual([
      { outcome: 'allow', reasons: [], failures: 0 },
      { outcome: 'allow', reasons: [], failures: 2 },
    ]);
  });

  it('a stranger\'s wrong passwords from elsewhere do not send the owner\'s phone through a second factor', async () => {
    const s = await signUp(t);
    await wrong(s, 5, undefined, '203.0.113.40');
    expect((await login(s, s.password, s.deviceCredential)).statusCode).toBe(200);
    expect((await decisions(s)).at(-1)).toEqual({ outcome: 'allow', reasons: [], failures: 0 });
  });

  it('on a new device the second factor is asked anyway; the log says the password took tries', async () => {
    const s = await signUp(t);
    await wrong(s, 4, undefined, '203.0.113.41');
    const res = await login(s, s.password, undefined, '203.0.113.41');
    expect(res.statusCode).toBe(202);
    expect((await decisions(s)).at(-1)).toEqual({ outcome: 'step_up', reasons: ['login_failures'], failures: 4 });
  });
});
