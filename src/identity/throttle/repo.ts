/**
 * SQL for the throttle counters (migrations/0003_throttle.sql). Each write is one
 * upsert, atomic on its row under any isolation level: under READ COMMITTED a
 * concurrent writer waits for the row lock and `ON CONFLICT … WHERE` is judged on the
 * newest row; under SERIALIZABLE the loser gets 40001 and the caller runs it again.
 * `$2` is always the application's clock, never `now()`.
 */
import type { Queryable } from '../../db/pool.js';

const MS = `interval '1 millisecond'`;
/** The count after this failure: a forgotten (expired) key starts again at 1. */
const NEXT = `(CASE WHEN t.expires_at <= $2 THEN 1 ELSE t.count + 1 END)`;

/** Counts a failure and sets the block for the new count; no row back means the key was blocked and `refuse` was asked. */
export async function countFailure(
  q: Queryable, key: string, now: Date, delaysMs: readonly number[], forgetMs: number, refuse: boolean,
): Promise<{ count: number; blocked_until: Date } | undefined> {
  const res = await q.query<{ count: number; blocked_until: Date }>(
    `INSERT INTO throttle_counters AS t (key, count, blocked_until, expires_at)
     VALUES ($1, 1, $2::timestamptz + ($3::bigint[])[1] * ${MS}, $2::timestamptz + $4::bigint * ${MS})
     ON CONFLICT (key) DO UPDATE SET
       count = ${NEXT},
       blocked_until = $2::timestamptz + ($3::bigint[])[least(${NEXT}, cardinality($3::bigint[]))] * ${MS},
       expires_at = EXCLUDED.expires_at
     WHERE NOT $5::boolean OR t.expires_at <= $2 OR t.blocked_until IS NULL OR t.blocked_until <= $2
     RETURNING count, blocked_until`,
    [key, now, delaysMs, forgetMs, refuse],
  );
  return res.rows[0];
}

export async function findBlocks(q: Queryable, keys: readonly string[], now: Date): Promise<{ key: string; blocked_until: Date }[]> {
  const res = await q.query<{ key: string; blocked_until: Date }>(
    `SELECT key, blocked_until FROM throttle_counters
      WHERE key = ANY($1::text[]) AND expires_at > $2 AND blocked_until > $2`,
    [keys, now],
  );
  return res.rows;
}

export async function deleteCounters(q: Queryable, keys: readonly string[]): Promise<void> {
  await q.query(`DELETE FROM throttle_counters WHERE key = ANY($1::text[])`, [keys]);
}

/** One more hit in the key's window, unless it is full; no row back means it was full. */
export async function addHit(
  q: Queryable, key: string, now: Date, windowMs: number, limit: number,
): Promise<{ count: number; expires_at: Date } | undefined> {
  const res = await q.query<{ count: number; expires_at: Date }>(
    `INSERT INTO throttle_counters AS t (key, count, blocked_until, expires_at)
     VALUES ($1, 1, NULL, $2::timestamptz + $3::bigint * ${MS})
     ON CONFLICT (key) DO UPDATE SET
       count = ${NEXT},
       expires_at = CASE WHEN t.expires_at <= $2 THEN EXCLUDED.expires_at ELSE t.expires_at END
     WHERE t.expires_at <= $2 OR t.count < $4
     RETURNING count, expires_at`,
    [key, now, windowMs, limit],
  );
  return res.rows[0];
}

/** Live counts and window ends of the keys that have one. */
export async function findCounts(q: Queryable, keys: readonly string[], now: Date): Promise<{ key: string; count: number; expires_at: Date }[]> {
  const res = await q.query<{ key: string; count: number; expires_at: Date }>(
    `SELECT key, count, expires_at FROM throttle_counters WHERE key = ANY($1::text[]) AND expires_at > $2`,
    [keys, now],
  );
  return res.rows;
}

/** Deletes up to `limit` rows forgotten before `now`; answers how many. */
export async function sweepExpired(q: Queryable, now: Date, limit: number): Promise<number> {
  const res = await q.query(
    `DELETE FROM throttle_counters WHERE key IN (
       SELECT key FROM throttle_counters WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)`,
    [now, limit],
  );
  return res.rowCount ?? 0;
}
