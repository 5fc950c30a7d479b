/** SQL for outgoing webhooks. */
import type { Queryable } from '../../db/pool.js';

export interface WebhookRow {
  id: string;
  eventType: string;
  body: string;
  attempts: number;
}

export async function insertWebhook(q: Queryable, w: { id: string; eventType: string; body: string; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO cardnet_webhooks (id, event_type, body, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, 0, $4, $4)`,
    [w.id, w.eventType, w.body, w.at],
  );
}

export async function dueWebhooks(q: Queryable, now: Date, limit: number): Promise<WebhookRow[]> {
  const res = await q.query<WebhookRow>(
    `SELECT id, event_type AS "eventType", body, attempts FROM cardnet_webhooks
      WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return res.rows;
}

export async function markWebhook(q: Queryable, id: string, r: { delivered: boolean; at: Date; nextAttemptAt: Date }): Promise<void> {
  await q.query(
    `UPDATE cardnet_webhooks SET attempts = attempts + 1, delivered_at = CASE WHEN $2::boolean THEN $3::timestamptz END,
            next_attempt_at = $4 WHERE id = $1`,
    [id, r.delivered, r.at, r.nextAttemptAt],
  );
}
