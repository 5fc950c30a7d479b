/**
 * Both counter stores against real servers: PostgreSQL (a database of this file's own)
 * and Redis at REDIS_TEST_URL or redis://127.0.0.1:6379 (its keys under a prefix unique
 * to this run, deleted afterwards). Times are far from the machine's clock on purpose:
 * only the caller's `now` may count.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/harness/db.js';
import { PgCounterStore } from './pg-store.js';
import { backoffSchedule } from './policy.js';
import { RedisCounterStore } from './redis-store.js';
import type { CounterStore } from './store.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `konpay:test:${randomBytes(6).toString('hex')}:`;
const T0 = new Date('2031-03-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
// 2 free failures, then 1 s, 2 s, 4 s, capped at 5 s; forgotten after a minute.
const backoff = backoffSchedule({ free: 2, firstDelayMs: 1000, maxDelayMs: 5000, forgetAfterMs: 60_000 });

let db: TestDb;
const stores: Record<'postgres' | 'redis', CounterStore> = {} as never;
beforeAll(async () => {
  db = await createTestDb();
  stores.postgres = new PgCounterStore(db.pool);
  stores.redis = new RedisCounterStore(REDIS_URL, { prefix: PREFIX });
});
afterAll(async () => {
  await stores.redis.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.drop();
});

let n = 0;
const fresh = () => `test:${++n}`;

describe('postgres counter store, housekeeping', () => {
  it('sweeps rows forgotten by the application clock, and only those', async () => {
    const pg = stores.postgres as PgCounterStore;
    await pg.sweep(at(10 * 86_400_000), 100_000); // rows of the other tests: all long forgotten
    const keys = [fresh(), fresh(), fresh()];
    for (const k of keys) await pg.hit(k, T0, { windowMs: 1000, limit: 5 });
    await pg.hit(keys[2]!, at(500), { windowMs: 1000, limit: 5 });
    const live = fresh();
    await pg.hit(live, at(900), { windowMs: 60_000, limit: 5 });
    expect(await pg.sweep(at(999))).toBe(0);
    expect(await pg.sweep(at(1000))).toBe(3);
    expect(await pg.counts([live], at(1000))).toEqual([1]);
  });
});

describe.each(['postgres', 'redis'] as const)('%s counter store', (name) => {
  const store = () => stores[name];

  it('blocks a key for a growing delay, capped, from its own clock', async () => {
    const key = fresh();
    const seen: [number, number][] = [];
    let t = 0;
    for (let i = 0; i < 7; i++) {
      const r = await store().fail(key, at(t), backoff, 'count');
      if (r.kind !== 'counted') throw new Error('not counted');
      seen.push([r.count, r.blockedUntil.getTime() - at(t).getTime()]);
      t += 10_000;
    }
    expect(seen).toEqual([[1, 0], [2, 0], [3, 1000], [4, 2000], [5, 4000], [6, 5000], [7, 5000]]);
    expect(backoff.delaysMs).toEqual([0, 0, 1000, 2000, 4000, 5000]);
  });

  it('refuses to count an attempt on a blocked key, and lets it through once the block ends', async () => {
    const key = fresh();
    for (let i = 0; i < 3; i++) await store().fail(key, T0, backoff, 'refuse'); // the 3rd blocks for 1 s
    expect(await store().fail(key, at(999), backoff, 'refuse')).toEqual({ kind: 'blocked' });
    expect(await store().blockedUntil([key, fresh()], at(500))).toEqual([at(1000), null]);
    const after = await store().fail(key, at(1000), backoff, 'refuse');
    expect(after).toEqual({ kind: 'counted', count: 4, blockedUntil: at(3000) }); // the refusal was not counted
    expect(await store().blockedUntil([key], at(3000))).toEqual([null]);
  });

  it('forgets a key after a quiet spell, and on reset', async () => {
    const key = fresh();
    for (let i = 0; i < 4; i++) await store().fail(key, T0, backoff, 'count');
    const later = await store().fail(key, at(60_000), backoff, 'count');
    expect(later).toMatchObject({ kind: 'counted', count: 1 });
    await store().fail(key, at(60_001), backoff, 'count');
    await store().fail(key, at(60_002), backoff, 'count');
    expect((await store().blockedUntil([key], at(60_002)))[0]).not.toBeNull();
    await store().reset([key]);
    expect(await store().blockedUntil([key], at(60_002))).toEqual([null]);
    expect(await store().fail(key, at(60_003), backoff, 'count')).toMatchObject({ count: 1 });
  });

  it('numbers the attempts counted since the last reset: the login guard\'s failures-before-this-one is that number less one', async () => {
    const key = fresh();
    const counts: number[] = [];
    const attempt = async (ms: number) => {
      const r = await store().fail(key, at(ms), backoff, 'refuse');
      counts.push(r.kind === 'counted' ? r.count : -1);
    };
    await attempt(0);
    await attempt(1);
    await store().reset([key]);
    await attempt(2);
    await attempt(3);
    await attempt(4); // the 3rd since the reset: blocked for 1 s
    await attempt(5); // refused, not counted
    await attempt(1004);
    expect(counts).toEqual([1, 2, 1, 2, 3, -1, 4]);
  });

  it('counts hits in a window up to a limit, then starts a new window', async () => {
    const key = fresh();
    const w = { windowMs: 10_000, limit: 3 };
    const hits = [];
    for (let i = 0; i < 5; i++) hits.push(await store().hit(key, at(i * 1000), w));
    expect(hits.map((h) => [h.allowed, h.count])).toEqual([[true, 1], [true, 2], [true, 3], [false, 3], [false, 3]]);
    expect(hits.every((h) => h.resetAt.getTime() === at(10_000).getTime())).toBe(true);
    expect(await store().counts([key, fresh()], at(9_999))).toEqual([3, 0]);
    expect(await store().counts([key], at(10_000))).toEqual([0]);
    expect(await store().hit(key, at(10_000), w)).toEqual({ allowed: true, count: 1, resetAt: at(20_000) });
  });

  it('marks single use: of many racing first uses exactly one wins', async () => {
    const key = fresh();
    const all = await Promise.all(Array.from({ length: 20 }, () => store().hit(key, T0, { windowMs: 60_000, limit: 1 })));
    expect(all.filter((h) => h.allowed)).toHaveLength(1);
  });

  it('lets no more attempts through than the schedule allows, however many race', async () => {
    const key = fresh();
    const all = await Promise.all(Array.from({ length: 40 }, () => store().fail(key, T0, backoff, 'refuse')));
    // 2 free attempts, then the 3rd blocks the key: every other racer is refused.
    expect(all.filter((r) => r.kind === 'counted')).toHaveLength(3);
    const window = await Promise.all(Array.from({ length: 40 }, () => store().hit(`${key}:w`, T0, { windowMs: 60_000, limit: 10 })));
    expect(window.filter((h) => h.allowed)).toHaveLength(10);
  });
});
