/**
 * Attack on availability: the database connection is reset in the middle of a
 * transaction (a failover, a load balancer dropping flows). The transaction fails and
 * is not committed, the process lives on, and the pool serves the next request.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultProxy } from '../../bench/chaos/proxy.js';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { createPool } from './pool.js';
import { withTransaction } from './tx.js';

let db: TestDb;
let proxy: FaultProxy;
beforeAll(async () => {
  db = await createTestDb();
  const target = new URL(db.url);
  proxy = await FaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

it('a connection cut between two statements fails the transaction, not the process', async () => {
  const url = new URL(db.url);
  url.port = String(proxy.port);
  const pool = createPool({ connectionString: url.toString(), max: 2 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS cut_probe (id int PRIMARY KEY)');
    const tx = withTransaction(pool, async (q) => {
      await q.query('INSERT INTO cut_probe VALUES (1)');
      proxy.cut();
      // Let the reset arrive while the client is checked out and idle: this 'error' event
      // used to have no listener and ended the process.
      await new Promise((r) => setTimeout(r, 100));
      await q.query('INSERT INTO cut_probe VALUES (2)');
    }, { maxAttempts: 1 });
    await expect(tx).rejects.toThrow();
    // Nothing of the failed transaction was committed, and the pool works again.
    expect((await pool.query('SELECT count(*)::int AS n FROM cut_probe')).rows[0].n).toBe(0);
  } finally {
    await pool.end();
  }
});
