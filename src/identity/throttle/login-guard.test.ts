/**
 * The login guard over each store, time moved by a manual clock: growing delays, the
 * 100-failure rule, resets, the owner's known device, and that every block ends.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/harness/db.js';
import { solvePow, testThrottleSettings } from '../../../test/harness/throttle.js';
import { ManualClock } from '../../shared/clock.js';
import { createLogger } from '../../shared/logger.js';
import type { GuardDecision, LoginAttempt } from '../deps.js';
import { buildThrottle, type Throttle } from './build.js';
import type { ThrottleSettings } from './policy.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `konpay:test:${randomBytes(6).toString('hex')}:`;
const CAP = 900_000;

let db: TestDb;
const made: Throttle[] = [];
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await Promise.all(made.map((t) => t.store.close()));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.drop();
});

let seq = 0;
const account = () => `victim${++seq}@example.jp`;
const v6 = (i: number) => `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
const from = (acct: string, ip: string, more: Partial<LoginAttempt> = {}): LoginAttempt => ({ ip, account: acct, knownDevice: false, proofOfWork: undefined, ...more });

describe.each(['postgres', 'redis'] as const)('login guard on %s', (storeName) => {
  function guard(login: Partial<ThrottleSettings['login']> = {}) {
    const t = buildThrottle({
      settings: testThrottleSettings(login), signingKey: randomBytes(32), pool: db.pool, logger: createLogger({ level: 'silent', knownSecrets: [] }),
      redisUrl: storeName === 'redis' ? REDIS_URL : undefined, redisPrefix: `${PREFIX}${++seq}:`,
    });
    made.push(t);
    return t;
  }
  /** One password attempt that fails, if the guard lets it be made. */
  async function failOnce(t: Throttle, clock: ManualClock, a: LoginAttempt): Promise<GuardDecision> {
    const d = await t.guard.check(a, clock.now());
    if (d.kind === 'allow') await t.guard.failed(a, clock.now());
    return d;
  }

  it('makes each failure past the free ones wait twice as long, up to the cap', async () => {
    const t = guard();
    const clock = new ManualClock();
    const a = from(account(), '192.0.2.10');
    let allowed = 0;
    const waits: number[] = [];
    while (waits.length < 12) {
      const d = await failOnce(t, clock, a);
      if (d.kind === 'allow') allowed++;
      else if (d.kind === 'wait') {
        waits.push(d.retryAfterMs);
        // Hammering while blocked changes nothing: refusals are not counted.
        clock.advance(d.retryAfterMs - 1);
        expect(await failOnce(t, clock, a)).toEqual({ kind: 'wait', retryAfterMs: 1 });
        clock.advance(1);
      }
    }
    // 5 free on (account, IP), then 1 s, 2 s, 4 s, … capped at 15 minutes.
    expect(allowed).toBe(5 + 12);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900].map((s) => s * 1000));
    expect(waits.at(-1)).toBe(CAP);
  });

  it('resets the account and (account, IP) counters on success, but not the address', async () => {
    const t = guard({ freeFailuresPerIp: 8 });
    const clock = new ManualClock();
    const acct = account();
    const a = from(acct, '192.0.2.20');
    for (let i = 0; i < 6; i++) await failOnce(t, clock, a);
    expect((await t.guard.check(a, clock.now())).kind).toBe('wait');
    clock.advance(1000);
    expect(await t.guard.check(a, clock.now())).toMatchObject({ kind: 'allow' });
    await t.guard.succeeded(a, clock.now());
    for (let i = 0; i < 2; i++) expect(await failOnce(t, clock, a)).toMatchObject({ kind: 'allow' });
    // The address kept its 8 failures: the 9th from it, on any account, waits.
    expect(await failOnce(t, clock, from(account(), '192.0.2.20'))).toMatchObject({ kind: 'allow' });
    expect((await t.guard.check(from(account(), '192.0.2.20'), clock.now())).kind).toBe('wait');
  });

  it('tells an allowed attempt how many failed before it since the last success (the risk engine\'s login_failures)', async () => {
    const t = guard();
    const clock = new ManualClock();
    const acct = account();
    const a = from(acct, '192.0.2.30');
    expect(await failOnce(t, clock, a)).toEqual({ kind: 'allow', priorFailures: 0 });
    // An unknown device reports the account-wide counter: wrong passwords from anywhere.
    for (let i = 0; i < 2; i++) await failOnce(t, clock, from(acct, v6(300 + i)));
    expect(await t.guard.check(a, clock.now())).toEqual({ kind: 'allow', priorFailures: 3 });
    await t.guard.succeeded(a, clock.now());
    expect(await t.guard.check(a, clock.now())).toEqual({ kind: 'allow', priorFailures: 0 });
    await t.guard.succeeded(a, clock.now());

    // The owner's phone reports its own counter: strangers' failures elsewhere are not its holder's.
    for (let i = 0; i < 4; i++) await failOnce(t, clock, from(acct, v6(400 + i)));
    const owner = from(acct, '192.0.2.30', { knownDevice: true });
    expect(await failOnce(t, clock, owner)).toEqual({ kind: 'allow', priorFailures: 0 });
    for (let i = 0; i < 2; i++) await failOnce(t, clock, owner);
    expect(await t.guard.check(owner, clock.now())).toEqual({ kind: 'allow', priorFailures: 3 });
    await t.guard.succeeded(owner, clock.now());
    expect(await t.guard.check(owner, clock.now())).toEqual({ kind: 'allow', priorFailures: 0 });

    // Failures are forgotten with their counter, after 30 quiet days.
    clock.advance(30 * 86_400_000);
    expect(await t.guard.check(a, clock.now())).toEqual({ kind: 'allow', priorFailures: 0 });
  });

  it('groups IPv6 addresses by /64 for the per-IP counter', async () => {
    const t = guard();
    const clock = new ManualClock();
    // 30 free failures per address; the 31st blocks it.
    for (let i = 0; i < 31; i++) await failOnce(t, clock, from(account(), `2001:db8:aa:1::${(i + 1).toString(16)}`));
    expect((await t.guard.check(from(account(), '2001:db8:aa:1:ffff::9'), clock.now())).kind).toBe('wait');
    expect(await t.guard.check(from(account(), '2001:db8:aa:2::1'), clock.now())).toMatchObject({ kind: 'allow' });
  });

  it('never allows more than 100 consecutive failures on an account without the full wait', async () => {
    // A schedule that alone would still be short at failure 100 (1 ms doubling after 80 free):
    // the wait after the 100th comes from the 100-failure rule.
    const t = guard({ freeFailuresPerAccount: 80, firstDelayMs: 1, maxDelayMs: 86_400_000 });
    const clock = new ManualClock();
    const acct = account();
    let failures = 0;
    let lastWait = 0;
    for (let i = 0; failures < 100; i++) {
      const d = await failOnce(t, clock, from(acct, v6(i))); // a botnet: a new /64 each time
      if (d.kind === 'wait') {
        lastWait = d.retryAfterMs;
        clock.advance(d.retryAfterMs);
      } else failures++;
    }
    expect(lastWait).toBe(2 ** 18); // after the 99th
    for (let i = 0; i < 3; i++) {
      const d = await t.guard.check(from(acct, v6(1000 + i)), clock.now());
      expect(d).toEqual({ kind: 'wait', retryAfterMs: 86_400_000 });
      clock.advance(86_400_000);
      expect(await failOnce(t, clock, from(acct, v6(2000 + i)))).toMatchObject({ kind: 'allow' });
    }
  });

  it('lets the owner on a known device in while strangers have the account blocked', async () => {
    const t = guard();
    const clock = new ManualClock();
    const acct = account();
    for (let i = 0; i < 40; i++) await failOnce(t, clock, from(acct, v6(i)));
    for (let i = 0; i < 40; i++) await failOnce(t, clock, from(account(), '198.51.100.7'));
    expect((await t.guard.check(from(acct, v6(99)), clock.now())).kind).toBe('wait');
    // Same carrier NAT address as the attacker, even: the owner's phone is judged by its own counter.
    const owner = from(acct, '198.51.100.7', { knownDevice: true });
    expect(await t.guard.check(owner, clock.now())).toMatchObject({ kind: 'allow' });
    await t.guard.succeeded(owner, clock.now());
    // …which only the owner's own mistakes on that phone can fill.
    for (let i = 0; i < 5; i++) expect(await failOnce(t, clock, owner)).toMatchObject({ kind: 'allow' });
    expect(await failOnce(t, clock, owner)).toMatchObject({ kind: 'allow' });
    expect(await t.guard.check(owner, clock.now())).toEqual({ kind: 'wait', retryAfterMs: 1000 });
  });

  it('never locks for good: once the attacker stops, the cap later the owner gets in from a new device', async () => {
    const t = guard();
    const clock = new ManualClock();
    const acct = account();
    for (let i = 0; i < 150; i++) {
      const d = await failOnce(t, clock, from(acct, i % 2 ? '203.0.113.9' : v6(i)));
      if (d.kind === 'wait') clock.advance(Math.min(d.retryAfterMs, 60_000));
    }
    const ownerNewPhone = from(acct, '192.0.2.99');
    expect((await t.guard.check(ownerNewPhone, clock.now())).kind).toBe('wait');
    clock.advance(CAP);
    expect(await t.guard.check(ownerNewPhone, clock.now())).toMatchObject({ kind: 'allow' });
    expect(await t.guard.check(from(account(), '203.0.113.9'), clock.now())).toMatchObject({ kind: 'allow' });
  });

  it('asks unknown devices for proof of work while failures run high, and stops asking when they fall', async () => {
    const t = guard({ breakerFailuresPerMinute: 20 });
    const clock = new ManualClock('2026-01-05T00:00:30Z');
    for (let i = 0; i < 20; i++) await failOnce(t, clock, from(account(), v6(i)));
    const newcomer = from(account(), v6(500));
    expect(await t.guard.check(newcomer, clock.now())).toEqual({ kind: 'proof_of_work_required' });
    expect(await t.guard.check({ ...newcomer, knownDevice: true }, clock.now())).toMatchObject({ kind: 'allow' });
    const proof = await solvePow(await t.pow.challenge(clock.now()));
    expect(await t.guard.check({ ...newcomer, proofOfWork: proof }, clock.now())).toMatchObject({ kind: 'allow' });
    expect(await t.guard.check({ ...newcomer, proofOfWork: proof }, clock.now())).toEqual({ kind: 'proof_of_work_required' });
    // A minute later half the failures are still inside the sliding minute; two minutes later none.
    clock.advance(60_000);
    expect(await t.breaker.rate(clock.now())).toBe(10);
    clock.advance(60_000);
    expect(await t.guard.check(newcomer, clock.now())).toMatchObject({ kind: 'allow' });
  });
});
