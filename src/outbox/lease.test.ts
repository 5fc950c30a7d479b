/** Several workers at once: claims keep them apart, leases bring a dead worker's rows back. */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { createPool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { createLogger } from '../shared/logger.js';
import { Outbox, type RetryPolicy, type TopicHandler } from './outbox.js';
import { markDead, markRetry, markSent } from './repo.js';
import { OutboxWorker } from './worker.js';

const RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const LEASE_MS = 30_000;
const TOPIC = 'test.msg';

let db: TestDb;
/** A second pool on the same database, as a second server process would have. */
let otherPool: pg.Pool;
beforeAll(async () => {
  db = await createTestDb();
  otherPool = createPool({ connectionString: db.url, max: 8 });
});
afterAll(async () => {
  await otherPool.end();
  await db.drop();
});

let clock: ManualClock;
beforeEach(async () => {
  await db.pool.query('TRUNCATE outbox');
  clock = new ManualClock();
});

function handler(deliver: TopicHandler['deliver']): TopicHandler {
  return { topic: TOPIC, retry: RETRY, deliver };
}

function newWorker(pool: pg.Pool, h: TopicHandler, batchSize = 10): OutboxWorker {
  return new OutboxWorker({
    pool, outbox: new Outbox([h], clock), clock, logger: createLogger({ level: 'silent', knownSecrets: [] }),
    pollMs: 10, batchSize, leaseMs: LEASE_MS,
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Row {
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  finished_at: Date | null;
}

async function row(id: string): Promise<Row> {
  const res = await db.pool.query<Row>(
    'SELECT status, attempts, last_error, next_attempt_at, finished_at FROM outbox WHERE id = $1', [id],
  );
  return res.rows[0]!;
}

describe('a worker that dies mid-delivery', () => {
  it('leaves the row hidden until its lease ends, then another worker delivers it; the late worker changes nothing', async () => {
    const outbox = new Outbox([handler(async () => {})], clock);
    const id = fromPublicId('msg', await withTransaction(db.pool, (c) => outbox.enqueue(c, TOPIC, { code: '123456' })))!;

    // Worker A claims the row, then hangs for ever (as good as dead).
    const claimedByA = deferred();
    const a = newWorker(db.pool, handler(() => {
      claimedByA.resolve();
      return new Promise<void>(() => {});
    }));
    void a.runOnce(); // never settles
    await claimedByA.promise;
    const claimedAt = clock.now();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: new Date(claimedAt.getTime() + LEASE_MS) });

    // Worker B, in another process, finds nothing until the lease is over.
    const deliveredByB: number[] = [];
    const bCanFinish = deferred();
    const bDelivering = deferred();
    const b = newWorker(otherPool, handler(async (_p, ctx) => {
      deliveredByB.push(ctx.attempt);
      bDelivering.resolve();
      await bCanFinish.promise;
    }));
    expect(await b.runOnce()).toBe(0);
    clock.advance(LEASE_MS - 1);
    expect(await b.runOnce()).toBe(0);
    expect(deliveredByB).toEqual([]);

    clock.advance(1);
    const bRun = b.runOnce();
    await bDelivering.promise;
    expect(deliveredByB).toEqual([2]);
    const claimedByB = await row(id);
    expect(claimedByB).toMatchObject({ status: 'pending', attempts: 2 });

    // A wakes up while B still holds the row: its outcome, recorded under attempt 1, is ignored.
    await markSent(db.pool, [{ id, attempt: 1 }], clock.now());
    await markRetry(db.pool, id, 1, new Date(0), 'late failure');
    await markDead(db.pool, id, 1, clock.now(), 'late failure');
    expect(await row(id)).toEqual(claimedByB);

    bCanFinish.resolve();
    expect(await bRun).toBe(1);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, last_error: null, finished_at: clock.now() });

    // …and after B finished, too.
    clock.advance(5_000);
    await markSent(db.pool, [{ id, attempt: 1 }], clock.now());
    await markRetry(db.pool, id, 1, clock.now(), 'late failure');
    await markDead(db.pool, id, 1, clock.now(), 'late failure');
    expect(await row(id)).toEqual(sent);

    clock.advance(LEASE_MS * 10);
    expect(await b.runOnce()).toBe(0);
    expect(deliveredByB).toEqual([2]);
  });
});

describe('two workers draining one outbox', () => {
  it('delivers each of 200 messages exactly once', async () => {
    const N = 200;
    const outbox = new Outbox([handler(async () => {})], clock);
    const ids: string[] = [];
    for (let i = 0; i < N; i += 20) {
      ids.push(...await withTransaction(db.pool, async (c) => {
        const batch: string[] = [];
        for (let j = i; j < i + 20; j++) batch.push(fromPublicId('msg', await outbox.enqueue(c, TOPIC, { n: j }))!);
        return batch;
      }));
    }
    expect(new Set(ids).size).toBe(N);

    const counts = new Map<string, number>();
    const payloads = new Set<number>();
    let deliveredByB = 0;
    const aClaimed = deferred();
    const counting = (worker: 'a' | 'b') => handler(async (payload, ctx) => {
      if (worker === 'a') aClaimed.resolve();
      counts.set(ctx.id, (counts.get(ctx.id) ?? 0) + 1);
      payloads.add((payload as { n: number }).n);
      if (worker === 'b') deliveredByB++;
      // A holds its first round until B has delivered something: the rows A has leased
      // must not keep B from the others (under load, or SERIALIZABLE's retry back-off,
      // A alone could otherwise drain the table before B's first claim, proving nothing).
      for (let waited = 0; worker === 'a' && deliveredByB === 0 && waited < 10_000; waited += 5) await sleep(5);
      await sleep(Math.random() * 2); // let the other worker interleave
    });
    const a = newWorker(db.pool, counting('a'), 7);
    const b = newWorker(otherPool, counting('b'), 7);

    /** Runs batches until no row is pending (rows the other worker holds count as pending). */
    async function drain(w: OutboxWorker): Promise<number> {
      let handled = 0;
      for (let i = 0; i < 2_000; i++) {
        const n = await w.runOnce();
        handled += n;
        if (n > 0) continue;
        // Even a lone read may be refused under SERIALIZABLE; like any caller, retry it.
        const left = await withTransaction(db.pool, (q) => q.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`));
        if (left.rows[0]!.n === 0) return handled;
        await sleep(2);
      }
      throw new Error('outbox did not drain');
    }
    // B starts once A holds its first batch: under SERIALIZABLE a claim racing the other
    // worker's is refused and retried, and B could otherwise drain everything before A
    // ever won one. From then on both run at once.
    const drainingA = drain(a);
    await aClaimed.promise;
    const [byA, byB] = await Promise.all([drainingA, drain(b)]);

    expect(byA + byB).toBe(N);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(counts.size).toBe(N);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect(payloads.size).toBe(N);

    const summary = await db.pool.query<{ status: string; attempts: number; n: number }>(
      'SELECT status, attempts, count(*)::int AS n FROM outbox GROUP BY 1, 2',
    );
    expect(summary.rows).toEqual([{ status: 'sent', attempts: 1, n: N }]);
  });
});

describe('recording a delivery under SERIALIZABLE', () => {
  it('retries a "sent" that loses a serialization conflict rather than delivering the message again', async () => {
    // The worker's own transactions run SERIALIZABLE whatever the run's isolation.
    const serializable = new pg.Pool({ connectionString: db.url, max: 4, options: '-c default_transaction_isolation=serializable' });
    const blocker = await db.pool.connect();
    try {
      const outbox = new Outbox([handler(async () => {})], clock);
      const id = fromPublicId('msg', await outbox.enqueue(db.pool, TOPIC, { code: '123456' }))!;
      const attempts: number[] = [];
      const w = newWorker(serializable, handler(async (_p, ctx) => {
        attempts.push(ctx.attempt);
        // While the message goes out, another transaction updates the row and holds it.
        await blocker.query('BEGIN');
        await blocker.query('UPDATE outbox SET last_error = last_error WHERE id = $1', [id]);
      }));
      const run = w.runOnce();

      // Once markSent waits on that row lock, let the other transaction commit: markSent,
      // whose snapshot predates the commit, fails with 40001.
      for (let i = 0; ; i++) {
        const waiting = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%status = ''sent''%'`,
        );
        if (waiting.rows[0]!.n > 0) break;
        if (i > 1_000) throw new Error('markSent never waited on the row lock');
        await sleep(2);
      }
      await blocker.query('COMMIT');

      expect(await run).toBe(1);
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
      clock.advance(86_400_000);
      expect(await w.runOnce()).toBe(0);
      expect(attempts).toEqual([1]);
    } finally {
      blocker.release();
      await serializable.end();
    }
  });
});
