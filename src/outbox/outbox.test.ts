import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { createLogger } from '../shared/logger.js';
import { backoffMs, Outbox, type RetryPolicy, type TopicHandler } from './outbox.js';
import { insertOutbox } from './repo.js';
import { OutboxWorker } from './worker.js';

const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

let clock: ManualClock;
let delivered: { payload: unknown; id: string; attempt: number }[];
let outbox: Outbox;
let worker: OutboxWorker;
beforeEach(async () => {
  await db.pool.query('TRUNCATE outbox');
  clock = new ManualClock();
  delivered = [];
  const handler: TopicHandler = {
    topic: 'test.code',
    retry: RETRY,
    async deliver(payload, ctx) {
      delivered.push({ payload, ...ctx });
    },
  };
  outbox = new Outbox([handler], clock);
  worker = new OutboxWorker({
    pool: db.pool, outbox, clock, logger: createLogger({ level: 'silent', knownSecrets: [] }),
    pollMs: 10, batchSize: 10, leaseMs: 30_000,
  });
});

interface Row {
  topic: string;
  status: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  finished_at: Date | null;
}

async function rows(): Promise<(Row & { id: string })[]> {
  const res = await db.pool.query<Row & { id: string }>(
    'SELECT id, topic, status, payload, attempts, max_attempts, last_error, finished_at FROM outbox ORDER BY created_at, id',
  );
  return res.rows;
}

describe('enqueue commits with the business change', () => {
  it('leaves nothing to deliver when the transaction rolls back', async () => {
    await expect(withTransaction(db.pool, async (c) => {
      await outbox.enqueue(c, 'test.code', { to: 'a@example.com', code: '123456' });
      expect((await c.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(1); // it was written…
      throw new Error('insufficient balance');
    })).rejects.toThrow('insufficient balance');

    expect(await rows()).toEqual([]); // …and went with the rollback
    expect(await worker.runOnce()).toBe(0);
    clock.advance(86_400_000);
    expect(await worker.runOnce()).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('delivers a committed message exactly once, then forgets its payload', async () => {
    const payload = { to: 'a@example.com', code: '654321' };
    const publicId = await withTransaction(db.pool, async (c) => {
      const id = await outbox.enqueue(c, 'test.code', payload);
      // Not visible to a worker until the transaction commits.
      expect(await worker.runOnce()).toBe(0);
      return id;
    });
    expect(publicId).toMatch(/^msg_[0-9a-f]{32}$/);
    const id = fromPublicId('msg', publicId)!;

    const [before] = await rows();
    expect(before).toMatchObject({ id, topic: 'test.code', status: 'pending', payload, attempts: 0, max_attempts: RETRY.maxAttempts });

    expect(await worker.runOnce()).toBe(1);
    expect(delivered).toEqual([{ payload, id, attempt: 1 }]);

    const after = await rows();
    expect(after).toEqual([{
      id, topic: 'test.code', status: 'sent', payload: null, attempts: 1, max_attempts: RETRY.maxAttempts,
      last_error: null, finished_at: clock.now(),
    }]);
    expect(JSON.stringify(after)).not.toContain('654321');

    // Never again, however long we wait.
    expect(await worker.runOnce()).toBe(0);
    clock.advance(7 * 86_400_000);
    expect(await worker.runOnce()).toBe(0);
    expect(delivered).toHaveLength(1);
  });
});

describe('topics without a handler', () => {
  it('refuses to enqueue for an unknown topic and writes nothing', async () => {
    await expect(outbox.enqueue(db.pool, 'test.nope', { x: 1 })).rejects.toThrow('no outbox handler for topic test.nope');
    await expect(withTransaction(db.pool, (c) => outbox.enqueue(c, 'test.nope', { x: 1 }))).rejects.toThrow(/no outbox handler/);
    expect(await rows()).toEqual([]);
  });

  it('marks a row whose topic has no handler dead instead of retrying it forever', async () => {
    const id = newUuid();
    await insertOutbox(db.pool, { id, topic: 'test.retired', payload: { code: '999999' }, maxAttempts: 5, at: clock.now() });

    expect(await worker.runOnce()).toBe(1);
    expect(await rows()).toEqual([{
      id, topic: 'test.retired', status: 'dead', payload: null, attempts: 1, max_attempts: 5,
      last_error: 'no handler for topic', finished_at: clock.now(),
    }]);

    clock.advance(86_400_000);
    expect(await worker.runOnce()).toBe(0);
    expect((await rows())[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(delivered).toEqual([]);
  });
});

describe('backoffMs', () => {
  const policy: RetryPolicy = { maxAttempts: 20, baseDelayMs: 1_000, maxDelayMs: 30_000 };
  const HIGHEST = 1 - Number.EPSILON; // the largest value Math.random can return, near enough

  it('doubles with every attempt from the base delay', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(policy, a, mid))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(backoffMs(policy, 0, mid)).toBe(1_000);
  });

  it('jitters by at most 25 % either way', () => {
    expect([1, 2, 3].map((a) => backoffMs(policy, a, () => 0))).toEqual([750, 1_500, 3_000]);
    expect([1, 2, 3].map((a) => backoffMs(policy, a, () => HIGHEST))).toEqual([1_250, 2_500, 5_000]);
    expect(backoffMs(policy, 2, () => 0.25)).toBe(1_750);
    expect(backoffMs(policy, 2, () => 0.75)).toBe(2_250);
  });

  it('never exceeds maxDelayMs, jitter included, however many attempts', () => {
    for (const attempt of [6, 7, 10, 50, 1_100]) {
      expect(backoffMs(policy, attempt, () => 0.5)).toBe(30_000);
      expect(backoffMs(policy, attempt, () => 0)).toBe(22_500);
      expect(backoffMs(policy, attempt, () => HIGHEST)).toBe(30_000);
    }
    // Below the cap the full upper jitter stays: 16 s × 1.25 = 20 s.
    expect(backoffMs(policy, 5, () => HIGHEST)).toBe(20_000);
  });

  it('stays within bounds for any random value', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const raw = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
      for (let i = 0; i <= 100; i++) {
        const r = Math.min(i / 100, HIGHEST);
        const d = backoffMs(policy, attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(raw * 0.75));
        expect(d).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(raw * 1.25)));
      }
    }
    const samples = Array.from({ length: 500 }, () => backoffMs(policy, 3)); // the default Math.random
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(3_000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(5_000);
    expect(new Set(samples).size).toBeGreaterThan(1); // it does jitter
  });
});
