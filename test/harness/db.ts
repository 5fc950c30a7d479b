/**
 * A database of one's own for a test file, cloned from the migrated template, dropped
 * afterwards. With KONPAY_TEST_ISOLATION=serializable every transaction in it runs
 * SERIALIZABLE, as distributed PostgreSQL-compatible engines would.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../src/db/pool.js';

export interface TestDb {
  url: string;
  name: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${inject('pgServerUrl')}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh migrated database. `empty` skips the template (for migration tests). */
export async function createTestDb(opts: { empty?: boolean } = {}): Promise<TestDb> {
  const name = `konpay_t_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    await c.query(opts.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
    if (process.env.KONPAY_TEST_ISOLATION === 'serializable') {
      await c.query(`ALTER DATABASE ${name} SET default_transaction_isolation = 'serializable'`);
    }
  });
  const url = `${inject('pgServerUrl')}/${name}`;
  const pool = createPool({ connectionString: url, max: 8 });
  return {
    url, name, pool,
    async drop() {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
