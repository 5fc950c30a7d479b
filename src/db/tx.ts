/**
 * Transactions, retried on serialization failures (40001) and deadlocks (40P01).
 *
 * PostgreSQL under SERIALIZABLE, and the distributed engines (CockroachDB,
 * YugabyteDB) under any isolation, abort transactions that lose a conflict and expect
 * the client to run them again. So every transaction body must be safe to run more
 * than once: no side effects outside the database inside `fn`; send messages through
 * the outbox table instead.
 */
import type pg from 'pg';

export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TxOptions {
  /** Attempts in all, including the first. */
  maxAttempts?: number;
  /** Leave unset to use the server's default_transaction_isolation. */
  isolation?: Isolation;
  readOnly?: boolean;
  /** Observes each retry (tests, metrics). */
  onRetry?: (attempt: number, err: unknown) => void;
}

const BASE_DELAY_MS = 4;
const MAX_DELAY_MS = 250;

export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RETRYABLE_SQLSTATES.has((err as { code?: string }).code ?? '');
}

/** "Full jitter" back-off: a random delay up to an exponentially growing cap. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts: TxOptions = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 10;
  const begin = ['BEGIN', opts.isolation && `ISOLATION LEVEL ${opts.isolation.toUpperCase()}`, opts.readOnly && 'READ ONLY']
    .filter(Boolean)
    .join(' ');
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr; // the connection is unusable: do not return it to the pool
      });
      if (!isRetryable(err) || attempt >= maxAttempts) throw err;
      opts.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
    } finally {
      client.release(broken);
    }
  }
}

/**
 * Statements that need no transaction around them — each is atomic on its own, and the
 * caller accepts that two of them commit separately — retried like a transaction. Saves
 * the BEGIN and COMMIT round trips of `withTransaction` on hot paths.
 */
export async function withStatements<T>(pool: pg.Pool, fn: (q: Pick<pg.Pool, 'query'>) => Promise<T>, opts: Pick<TxOptions, 'maxAttempts' | 'onRetry'> = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(pool);
    } catch (err) {
      if (!isRetryable(err) || attempt >= maxAttempts) throw err;
      opts.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
    }
  }
}
