/**
 * SQL the console needs beyond other modules' repos: the dashboard's hourly counts and
 * the list of merchants to pick from. Customer data is read through the identity and
 * wallet repos, as the customer's own app reads it.
 */
import type { Queryable } from '../../db/pool.js';

export interface HourCount {
  hour: Date;
  count: number;
  amount: number;
}

/**
 * Payments per hour in [from, to): every payment the till approved, later cancellations
 * included (a cancellation is a second movement, not an unmade payment), by count and yen.
 */
export async function paymentsPerHour(q: Queryable, from: Date, to: Date): Promise<HourCount[]> {
  return (await q.query<HourCount>(
    `SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS count, coalesce(sum(amount), 0)::float8 AS amount
       FROM payments WHERE created_at >= $1 AND created_at < $2 GROUP BY 1`,
    [from, to],
  )).rows;
}

export async function declinesPerHour(q: Queryable, from: Date, to: Date): Promise<HourCount[]> {
  return (await q.query<HourCount>(
    `SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS count, coalesce(sum(amount), 0)::float8 AS amount
       FROM payment_declines WHERE created_at >= $1 AND created_at < $2 GROUP BY 1`,
    [from, to],
  )).rows;
}

export async function declinesByReason(q: Queryable, from: Date, to: Date): Promise<{ reason: string; count: number }[]> {
  return (await q.query<{ reason: string; count: number }>(
    `SELECT reason, count(*)::int AS count FROM payment_declines WHERE created_at >= $1 AND created_at < $2
      GROUP BY reason ORDER BY count DESC, reason`,
    [from, to],
  )).rows;
}

export interface MerchantRow {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  created_at: Date;
}

export async function listMerchants(q: Queryable, limit: number): Promise<MerchantRow[]> {
  return (await q.query<MerchantRow>(`SELECT id, name, status, created_at FROM merchants ORDER BY name, id LIMIT $1`, [limit])).rows;
}
