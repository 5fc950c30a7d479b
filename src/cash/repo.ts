/** SQL of cash top-ups: only the savepoint that undoes a refused attempt. */
import type { Queryable } from '../db/pool.js';

/**
 * Runs `fn` under a savepoint and undoes everything it wrote unless `keep` accepts its
 * result; the caller's transaction goes on either way. Row locks taken inside are
 * released with the rollback (PostgreSQL releases locks taken after a savepoint when it
 * is rolled back to).
 */
export async function undoUnless<T>(q: Queryable, fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
  await q.query('SAVEPOINT cash_topup');
  const result = await fn();
  await q.query(keep(result) ? 'RELEASE SAVEPOINT cash_topup' : 'ROLLBACK TO SAVEPOINT cash_topup');
  return result;
}
