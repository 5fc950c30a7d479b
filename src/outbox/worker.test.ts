import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { createLogger } from '../shared/logger.js';
import { DeliveryError, Outbox, type RetryPolicy, type TopicHandler } from './outbox.js';
import { OutboxWorker } from './worker.js';

const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const LEASE_MS = 30_000;

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

/** What the test handler does on each call; by default it succeeds. */
type Behaviour = (payload: unknown, attempt: number) => Promise<void> | void;

let clock: ManualClock;
let calls: { id: string; attempt: number }[];
let behaviour: Behaviour;
let outbox: Outbox;
beforeEach(async () => {
  await db.pool.query('TRUNCATE outbox');
  clock = new ManualClock();
  calls = [];
  behaviour = () => {};
  outbox = new Outbox([testHandler('test.msg')], clock);
});

/** A handler that records each call and does what `behaviour` says. */
function testHandler(topic: string): TopicHandler {
  return {
    topic,
    retry: RETRY,
    async deliver(payload, ctx) {
      calls.push(ctx);
      await behaviour(payload, ctx.attempt);
    },
  };
}

function newWorker(pollMs = 10): OutboxWorker {
  return new OutboxWorker({
    pool: db.pool, outbox, clock, logger: createLogger({ level: 'silent', knownSecrets: [] }),
    pollMs, batchSize: 10, leaseMs: LEASE_MS,
  });
}

async function enqueue(payload: unknown = { code: '123456' }): Promise<string> {
  const publicId = await withTransaction(db.pool, (c) => outbox.enqueue(c, 'test.msg', payload));
  return fromPublicId('msg', publicId)!;
}

interface Row {
  status: string;
  payload: unknown;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  finished_at: Date | null;
}

async function row(id: string): Promise<Row> {
  const res = await db.pool.query<Row>(
    'SELECT status, payload, attempts, last_error, next_attempt_at, finished_at FROM outbox WHERE id = $1', [id],
  );
  return res.rows[0]!;
}

/** Milliseconds from the manual clock's now until the row is due again. */
async function dueIn(id: string): Promise<number> {
  return (await row(id)).next_attempt_at.getTime() - clock.now().getTime();
}

describe('transient failures', () => {
  it('retries after the back-off, not before, recording the error and counting attempts', async () => {
    const failures = [new DeliveryError('smtp 451 try later', false), new Error('socket hang up')];
    behaviour = () => {
      const err = failures.shift();
      if (err) throw err;
    };
    const worker = newWorker();
    const id = await enqueue({ code: '123456' });

    // Attempt 1 fails with a transient DeliveryError: back-off of base × 1 ± 25 %.
    expect(await worker.runOnce()).toBe(1);
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: 'smtp 451 try later', payload: { code: '123456' }, finished_at: null });
    let wait = await dueIn(id);
    expect(wait).toBeGreaterThanOrEqual(750);
    expect(wait).toBeLessThanOrEqual(1_250);

    clock.advance(wait - 1);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toHaveLength(1);

    // Attempt 2 fails with a plain Error: also transient, back-off doubles.
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2, last_error: 'socket hang up', payload: { code: '123456' } });
    wait = await dueIn(id);
    expect(wait).toBeGreaterThanOrEqual(1_500);
    expect(wait).toBeLessThanOrEqual(2_500);

    clock.advance(wait - 1);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toHaveLength(2);

    // Attempt 3 succeeds.
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    expect(calls).toEqual([{ id, attempt: 1 }, { id, attempt: 2 }, { id, attempt: 3 }]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, last_error: null, payload: null, finished_at: clock.now() });
  });

  it('records something readable when the handler throws a non-Error, and cuts long messages', async () => {
    const worker = newWorker();
    behaviour = () => {
      throw 'a string';
    };
    const a = await enqueue();
    await worker.runOnce();
    expect(await row(a)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'delivery failed' });

    await db.pool.query('TRUNCATE outbox');
    behaviour = () => {
      throw new Error('x'.repeat(5_000));
    };
    const b = await enqueue();
    await worker.runOnce();
    expect((await row(b)).last_error).toBe('x'.repeat(500));
  });
});

describe('giving up', () => {
  it('marks a row dead at once on a permanent failure', async () => {
    behaviour = () => {
      throw new DeliveryError('550 mailbox does not exist', true);
    };
    const worker = newWorker();
    const id = await enqueue();

    expect(await worker.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({
      status: 'dead', attempts: 1, last_error: '550 mailbox does not exist', payload: null, finished_at: clock.now(),
    });
    clock.advance(86_400_000);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('marks a row dead when transient failures reach max_attempts', async () => {
    behaviour = (_p, attempt) => {
      throw new Error(`timeout on attempt ${attempt}`);
    };
    const worker = newWorker();
    const id = await enqueue();

    for (let attempt = 1; attempt <= RETRY.maxAttempts; attempt++) {
      expect((await row(id)).status).toBe('pending');
      clock.advance(Math.max(0, await dueIn(id)));
      expect(await worker.runOnce()).toBe(1);
    }
    expect(await row(id)).toMatchObject({
      status: 'dead', attempts: RETRY.maxAttempts, last_error: `timeout on attempt ${RETRY.maxAttempts}`, payload: null, finished_at: clock.now(),
    });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);

    clock.advance(86_400_000);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toHaveLength(RETRY.maxAttempts);
  });
});

describe('start and stop', () => {
  /** Polls the row (bounded) until it has the status. */
  async function waitForStatus(id: string, status: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await row(id)).status !== status) {
      if (Date.now() > deadline) throw new Error(`row ${id} still not ${status} after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  it('delivers on its own once started, and stop() waits for the batch in hand', async () => {
    const worker = newWorker(10);
    worker.start();
    try {
      const first = await enqueue({ n: 1 });
      await waitForStatus(first, 'sent');
      expect(calls).toEqual([{ id: first, attempt: 1 }]);

      // The next delivery hangs until we let it go.
      let entered!: () => void;
      const inHandler = new Promise<void>((r) => (entered = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      behaviour = async () => {
        entered();
        await gate;
      };
      const second = await enqueue({ n: 2 });
      await inHandler;

      let stopped = false;
      const stopping = worker.stop().then(() => {
        stopped = true;
      });
      await sleep(50); // five poll periods
      expect(stopped).toBe(false);
      expect((await row(second)).status).toBe('pending');

      release();
      await stopping;
      // The batch in hand was finished and recorded before stop() resolved.
      expect(await row(second)).toMatchObject({ status: 'sent', attempts: 1 });

      // Stopped means stopped.
      behaviour = () => {};
      const third = await enqueue({ n: 3 });
      await sleep(50);
      expect(await row(third)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(calls.map((c) => c.id)).toEqual([first, second]);
    } finally {
      await worker.stop();
    }
  });

  it('stops promptly while sleeping between polls, and can be started again', async () => {
    const worker = newWorker(60_000);
    worker.start();
    await sleep(20); // first poll found nothing; now it sleeps for a minute
    const t0 = Date.now();
    await worker.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);

    const id = await enqueue();
    worker.start(); // polls at once on start
    try {
      await waitForStatus(id, 'sent');
    } finally {
      await worker.stop();
    }
    expect(calls).toEqual([{ id, attempt: 1 }]);
  });

  it('looks again at once when nudged, even when the nudge comes in the middle of a batch', async () => {
    const worker = newWorker(60_000); // left alone, it would not poll again for a minute
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    behaviour = async () => {
      entered();
      await gate;
    };
    const first = await enqueue({ n: 1 });
    worker.start();
    try {
      await inHandler;
      behaviour = () => {};
      const second = await enqueue({ n: 2 }); // committed while the first batch is in hand
      worker.nudge();
      release();
      await waitForStatus(second, 'sent', 2_000);

      const third = await enqueue({ n: 3 }); // committed while the worker sleeps
      worker.nudge();
      await waitForStatus(third, 'sent', 2_000);
      expect(calls.map((c) => c.id)).toEqual([first, second, third]);
    } finally {
      await worker.stop();
    }
  });
});

describe('a topic that delivers a round at once (deliverMany)', () => {
  let batches: string[][];
  let failBatch: boolean;
  beforeEach(() => {
    batches = [];
    failBatch = false;
    outbox = new Outbox([{
      ...testHandler('test.many'),
      async deliverMany(items) {
        batches.push(items.map((i) => i.ctx.id));
        if (failBatch) throw new Error('the batch failed');
      },
    }], clock);
  });
  const enqueueMany = (n: number) => withTransaction(db.pool, async (c) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(fromPublicId('msg', await outbox.enqueue(c, 'test.many', { i }))!);
    return ids;
  });

  it('gets the round\'s rows in one call, and they are all marked sent', async () => {
    const ids = await enqueueMany(4);
    expect(await newWorker().runOnce()).toBe(4);
    expect(batches).toHaveLength(1);
    expect([...batches[0]!].sort()).toEqual([...ids].sort());
    expect(calls).toEqual([]);
    for (const id of ids) expect((await row(id)).status).toBe('sent');
  });

  it('when the batch fails, each row is delivered on its own: one bad message holds up no other', async () => {
    const ids = await enqueueMany(3);
    failBatch = true;
    behaviour = (payload) => {
      if ((payload as { i: number }).i === 1) throw new Error('this one is bad');
    };
    await newWorker().runOnce();
    expect(batches).toHaveLength(1);
    expect(calls).toHaveLength(3);
    expect((await row(ids[0]!)).status).toBe('sent');
    expect((await row(ids[1]!))).toMatchObject({ status: 'pending', last_error: 'this one is bad' });
    expect((await row(ids[2]!)).status).toBe('sent');
  });
});

describe('bulk messages', () => {
  it('a code queued after a mass notice is delivered in the first round; the notices fill the rounds after', async () => {
    // 25 notices to every account, queued earlier (and so due first), then one code.
    const bulk = await withTransaction(db.pool, async (c) => {
      const messages = Array.from({ length: 25 }, (_, i) => ({ payload: { notice: i } }));
      await outbox.enqueueMany(c, 'test.msg', messages, { bulk: true });
      return (await c.query<{ id: string }>(`SELECT id FROM outbox WHERE bulk`)).rows.map((r) => r.id);
    });
    expect(bulk).toHaveLength(25);
    clock.advance(1_000);
    const code = await enqueue({ code: '654321' });
    const worker = newWorker(); // 10 rows a round
    expect(await worker.runOnce()).toBe(10);
    expect(calls.map((c) => c.id)).toContain(code);
    expect((await row(code)).status).toBe('sent');
    // The notices are not dropped: every one goes in the rounds that follow.
    while ((await worker.runOnce()) > 0);
    expect(calls).toHaveLength(26);
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set([...bulk, code]));
  });
});
