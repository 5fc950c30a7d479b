/** Savepoints: part of a transaction that can be undone while the rest goes on. */
import type { Queryable } from './pool.js';

/**
 * Runs `fn` under a savepoint and undoes everything it wrote unless `keep` accepts its
 * result; the caller's transaction goes on either way. A throw undoes it too (a unique
 * violation, say) and is passed on. Row locks taken inside are released with the
 * rollback: PostgreSQL drops locks taken after a savepoint when it is rolled back to.
 */
export async function undoUnless<T>(q: Queryable, name: string, fn: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
  await q.query(`SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await q.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
  await q.query(keep(result) ? `RELEASE SAVEPOINT ${name}` : `ROLLBACK TO SAVEPOINT ${name}`);
  return result;
}
