/** SQL for security events and push subscriptions. */
import type { Queryable } from '../../db/pool.js';

export interface SecurityEventRow {
  id: string;
  user_id: string;
  kind: string;
  ip: string | null;
  device_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

export async function insertSecurityEvent(q: Queryable, e: { id: string; userId: string; kind: string; ip: string | null; deviceId: string | null; details: Record<string, unknown>; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO security_events (id, user_id, kind, ip, device_id, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.id, e.userId, e.kind, e.ip, e.deviceId, JSON.stringify(e.details), e.now],
  );
}

export async function listSecurityEvents(q: Queryable, userId: string, limit: number): Promise<SecurityEventRow[]> {
  return (await q.query<SecurityEventRow>(
    `SELECT * FROM security_events WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [userId, limit],
  )).rows;
}

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export async function listPushSubscriptions(q: Queryable, userId: string): Promise<PushSubscriptionRow[]> {
  return (await q.query<PushSubscriptionRow>(`SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1`, [userId])).rows;
}

/** The subscriptions of several accounts, in one statement. */
export async function listPushSubscriptionsOf(q: Queryable, userIds: readonly string[]): Promise<(PushSubscriptionRow & { user_id: string })[]> {
  return (await q.query<PushSubscriptionRow & { user_id: string }>({
    name: 'push-subscriptions.of-many',
    text: `SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = ANY($1::uuid[])`,
    values: [userIds],
  })).rows;
}

export async function upsertPushSubscription(q: Queryable, s: { id: string; userId: string; endpoint: string; p256dh: string; auth: string; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth`,
    [s.id, s.userId, s.endpoint, s.p256dh, s.auth, s.now],
  );
}

export async function deletePushSubscription(q: Queryable, userId: string, endpoint: string): Promise<void> {
  await q.query(`DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2`, [userId, endpoint]);
}
