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

export interface RiskHourCount {
  hour: Date;
  outcome: 'allow' | 'step_up' | 'hold' | 'deny';
  count: number;
}

/** The risk engine's decisions per hour and outcome (OPS-4), from its log (migrations/0022_risk.sql). */
export async function riskDecisionsPerHour(q: Queryable, from: Date, to: Date): Promise<RiskHourCount[]> {
  return (await q.query<RiskHourCount>(
    `SELECT date_trunc('hour', created_at) AS hour, outcome, count(*)::int AS count
       FROM risk_decisions WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2`,
    [from, to],
  )).rows;
}

/**
 * Cases open at the end of each hour (OPS-4's alerts over time): opened before the hour
 * ended and not decided by then. One row per hour in [from, to), `to` a whole hour.
 */
export async function openCasesPerHour(q: Queryable, from: Date, to: Date): Promise<{ hour: Date; count: number }[]> {
  return (await q.query<{ hour: Date; count: number }>(
    `SELECT h.hour, (SELECT count(*)::int FROM cases c
                      WHERE c.created_at < h.hour + interval '1 hour' AND (c.decided_at IS NULL OR c.decided_at >= h.hour + interval '1 hour')) AS count
       FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS h(hour)`,
    [from, to],
  )).rows;
}
