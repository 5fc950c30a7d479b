/**
 * The PostgreSQL pool and the `Queryable` type repos accept (a pool or a client inside
 * a transaction), so a repo function works the same in and out of a transaction.
 */
import pg from 'pg';

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;
export type { PoolClient } from 'pg';

const INT8 = 20;

/**
 * Money and counters are bigint columns. Integer yen fit a JS number exactly up to
 * 2^53 (¥9 quadrillion); past that we refuse to read rather than round.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('bigint value outside the safe integer range');
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  connectionString: string;
  max: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max,
    application_name: opts.applicationName ?? 'konpay',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    types,
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool drops it and the next checkout opens a new one.
  pool.on('error', () => {});
  // Nor a client that is checked out: the pool listens only to idle ones, so a connection
  // reset between two statements of a transaction was an unhandled 'error' event, and the
  // process died (found by `npm run chaos`). The statement in flight, or the next one,
  // fails with the error; the transaction's release discards the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
