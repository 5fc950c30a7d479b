/** SQL for the transactional outbox; nothing else touches the table. */
import type { Queryable } from '../db/pool.js';

export interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/** Inserts a message; with a caller-chosen id a second insert of that id changes nothing. */
export async function insertOutbox(
  q: Queryable,
  row: { id: string; topic: string; payload: unknown; maxAttempts: number; at: Date },
): Promise<void> {
  await q.query({
    name: 'outbox.insert',
    text: `INSERT INTO outbox (id, topic, payload, max_attempts, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING`,
    values: [row.id, row.topic, JSON.stringify(row.payload), row.maxAttempts, row.at],
  });
}

/**
 * Inserts several messages of one topic in one statement; ids as `insertOutbox`'s. `bulk`
 * messages (a notice to every account) are delivered after every other due message.
 */
export async function insertOutboxMany(
  q: Queryable,
  rows: { topic: string; maxAttempts: number; at: Date; bulk: boolean; messages: readonly { id: string; payload: unknown }[] },
): Promise<void> {
  await q.query({
    name: 'outbox.insert-many',
    text: `INSERT INTO outbox (id, topic, payload, max_attempts, next_attempt_at, created_at, bulk)
           SELECT m.id, $3, m.payload, $4, $5, $5, $6 FROM unnest($1::uuid[], $2::jsonb[]) AS m(id, payload)
           ON CONFLICT (id) DO NOTHING`,
    values: [rows.messages.map((m) => m.id), rows.messages.map((m) => JSON.stringify(m.payload)), rows.topic, rows.maxAttempts, rows.at, rows.bulk],
  });
}

/**
 * Claims up to `limit` due rows: SKIP LOCKED keeps concurrent workers off each other's
 * rows, and pushing next_attempt_at forward by the lease hides a claimed row until the
 * lease ends, so a crashed worker's rows come back by themselves. Bulk rows only fill what
 * the others leave of a round: a code sent now never waits behind a mass notice.
 */
export async function claimDue(q: Queryable, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const res = await q.query<OutboxRow>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $2::float8 / 1000)
      WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
                    ORDER BY bulk, next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id, topic, payload, attempts, max_attempts`,
    [now, leaseMs, limit],
  );
  return res.rows;
}

/**
 * Records a round's delivered rows, in one statement. The attempt number guards against
 * a slow worker finishing a row another worker re-claimed.
 */
export async function markSent(q: Queryable, rows: readonly { id: string; attempt: number }[], now: Date): Promise<void> {
  await q.query({
    name: 'outbox.mark-sent',
    text: `UPDATE outbox o SET status = 'sent', payload = NULL, last_error = NULL, finished_at = $3
             FROM unnest($1::uuid[], $2::int[]) AS r(id, attempt)
            WHERE o.id = r.id AND o.attempts = r.attempt AND o.status = 'pending'`,
    values: [rows.map((r) => r.id), rows.map((r) => r.attempt), now],
  });
}

export async function markRetry(q: Queryable, id: string, attempt: number, at: Date, error: string): Promise<void> {
  await q.query(
    `UPDATE outbox SET next_attempt_at = $3, last_error = $4 WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [id, attempt, at, error],
  );
}

export async function markDead(q: Queryable, id: string, attempt: number, now: Date, error: string): Promise<void> {
  await q.query(
    `UPDATE outbox SET status = 'dead', payload = NULL, last_error = $4, finished_at = $3
      WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [id, attempt, now, error],
  );
}

export interface OutboxStats {
  pending: number;
  dead: number;
  oldestPendingAt: Date | null;
}

export async function outboxStats(q: Queryable): Promise<OutboxStats> {
  const res = await q.query<{ pending: number; dead: number; oldest: Date | null }>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int8 AS pending,
            count(*) FILTER (WHERE status = 'dead')::int8 AS dead,
            min(created_at) FILTER (WHERE status = 'pending') AS oldest
       FROM outbox`,
  );
  const r = res.rows[0]!;
  return { pending: r.pending, dead: r.dead, oldestPendingAt: r.oldest };
}
