/**
 * A whole server with REDIS_URL set: the throttle's counters live in Redis (under a
 * prefix of this run's own, deleted afterwards) and behave as they do in PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import type { Challenge } from 'altcha-lib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { CHEAP_POW_ENV, solvePow } from '../../../test/harness/throttle.js';
import { ManualClock } from '../../shared/clock.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `konpay:test:${randomBytes(6).toString('hex')}:`;
const redis = new Redis(REDIS_URL);
let t: TestKonpay;
const clock = new ManualClock();
beforeAll(async () => {
  t = await startTestKonpay({ ...CHEAP_POW_ENV, REDIS_URL, LOGIN_BREAKER_FAILURES_PER_MINUTE: '40' }, { worker: false, clock, redisPrefix: PREFIX });
});
afterAll(async () => {
  await t.stop();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const login = (ip: string, identifier: string, proofOfWork?: string) => t.konpay.app.inject({
  method: 'POST', url: '/v1/login', remoteAddress: ip,
  payload: { identifier, password: 'from a leaked list', ...(proofOfWork ? { proofOfWork } : {}) },
});

describe('throttle on Redis', () => {
  it('slows an address after its free failures, with counters only in Redis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await login('203.0.113.50', `nobody${i}@example.jp`)).statusCode);
    expect(statuses.slice(0, 31).every((s) => s === 401)).toBe(true);
    expect(statuses[31]).toBe(429);
    expect((await redis.keys(`${PREFIX}*`)).length).toBeGreaterThan(31);
    clock.advance(1000);
    expect((await login('203.0.113.50', 'nobody-else@example.jp')).statusCode).toBe(401);
  });

  it('switches the proof-of-work breaker on, and off again when the rate falls', async () => {
    // With the 32 failures above, in the same minute, 10 more pass the 40 a minute.
    for (let i = 0; i < 10; i++) await login(`2001:db8:77:${i}::1`, `someone${i}@example.jp`);
    const asked = await login('2001:db8:78::1', 'late@example.jp');
    expect(asked.json()).toMatchObject({ code: 'proof_of_work_required' });
    const challenge = (await t.konpay.app.inject({ method: 'GET', url: '/v1/login/challenge' })).json() as Challenge;
    expect((await login('2001:db8:78::1', 'late@example.jp', await solvePow(challenge))).statusCode).toBe(401);
    clock.advance(120_000);
    expect((await login('2001:db8:78::1', 'later@example.jp')).statusCode).toBe(401);
  });
});
