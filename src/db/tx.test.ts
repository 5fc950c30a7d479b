import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { retryDelayMs, withTransaction } from './tx.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  await db.pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
  await db.pool.query('INSERT INTO counters VALUES (1, 0), (2, 0)');
});
afterAll(() => db.drop());

/** Resolves when `n` parties have arrived: lets two transactions interleave exactly. */
function barrier(n: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return async () => {
    if (++arrived === n) release();
    await all;
  };
}

describe('withTransaction', () => {
  it('retries a transaction that lost a serialization conflict, and both effects land', async () => {
    await db.pool.query('UPDATE counters SET n = 0');
    const meet = barrier(2);
    let retries = 0;
    const attemptsSeen: number[] = [];
    // Classic write skew: each reads both rows, then writes one. Under SERIALIZABLE one must abort.
    const run = (row: number) => {
      let attempt = 0;
      return withTransaction(db.pool, async (c) => {
        attempt++;
        const { rows } = await c.query<{ total: number }>('SELECT sum(n)::int AS total FROM counters');
        if (attempt === 1) await meet();
        await c.query('UPDATE counters SET n = $2 WHERE id = $1', [row, rows[0]!.total + 1]);
        attemptsSeen.push(attempt);
      }, { isolation: 'serializable', onRetry: () => retries++ });
    };
    await Promise.all([run(1), run(2)]);
    expect(retries).toBeGreaterThanOrEqual(1);
    const { rows } = await db.pool.query<{ id: number; n: number }>('SELECT id, n FROM counters ORDER BY id');
    // The retried one saw the other's write: the results are those of some serial order.
    expect(rows.map((r) => r.n).sort()).toEqual([1, 2]);
  });

  it('retries a deadlock victim', async () => {
    const meet = barrier(2);
    let retries = 0;
    const run = (first: number, second: number) => {
      let attempt = 0;
      return withTransaction(db.pool, async (c) => {
        attempt++;
        await c.query('UPDATE counters SET n = n + 1 WHERE id = $1', [first]);
        if (attempt === 1) await meet();
        await c.query('UPDATE counters SET n = n + 1 WHERE id = $1', [second]);
      }, { isolation: 'read committed', onRetry: (_a, err) => { retries++; expect((err as { code: string }).code).toBe('40P01'); } });
    };
    await db.pool.query('UPDATE counters SET n = 0');
    await Promise.all([run(1, 2), run(2, 1)]);
    expect(retries).toBe(1);
    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM counters ORDER BY id');
    expect(rows.map((r) => r.n)).toEqual([2, 2]);
  });

  it('does not retry other errors, and rolls back everything the body wrote', async () => {
    await db.pool.query('UPDATE counters SET n = 0');
    let calls = 0;
    await expect(withTransaction(db.pool, async (c) => {
      calls++;
      await c.query('UPDATE counters SET n = 99 WHERE id = 1');
      await c.query('INSERT INTO counters VALUES (1, 0)'); // duplicate key: 23505
    })).rejects.toMatchObject({ code: '23505' });
    expect(calls).toBe(1);
    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    expect(rows[0]!.n).toBe(0);
  });

  it('gives up after the attempt budget', async () => {
    let calls = 0;
    const fail = Object.assign(new Error('could not serialize access'), { code: '40001' });
    await expect(withTransaction(db.pool, async () => {
      calls++;
      throw fail;
    }, { maxAttempts: 3 })).rejects.toBe(fail);
    expect(calls).toBe(3);
  });

  it('returns connections to the pool, even after failures', async () => {
    for (let i = 0; i < 20; i++) {
      await withTransaction(db.pool, async () => { throw new Error('x'); }).catch(() => {});
    }
    expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
  });

  it('backs off with full jitter under a growing cap', () => {
    expect(retryDelayMs(1, () => 0.999)).toBeLessThan(8);
    expect(retryDelayMs(3, () => 0.999)).toBeLessThan(32);
    expect(retryDelayMs(20, () => 0.999)).toBeLessThanOrEqual(250);
    expect(retryDelayMs(5, () => 0)).toBe(0);
  });
});
