/**
 * The console's dashboard (OPS-4): payments and declines per hour over the last 24 hours,
 * and declines by reason. Hours are whole UTC hours, which are also whole hours in Japan
 * (UTC+9); the current hour is the last, partial one. Hours without any are zeros, so a
 * chart's gaps are real quiet, not missing data.
 */
import type pg from 'pg';
import type { Clock } from '../../shared/clock.js';
import { declinesByReason, declinesPerHour, openCasesPerHour, paymentsPerHour, riskDecisionsPerHour, type HourCount } from './repo.js';

const HOUR = 3_600_000;
export const DASHBOARD_HOURS = 24;

export interface HourRow {
  hour: string;
  payments: number;
  paymentsAmount: number;
  declines: number;
  /** Risk decisions (RISK-1) made in the hour, by outcome. */
  riskAllow: number;
  riskStepUp: number;
  riskHold: number;
  riskDeny: number;
  /** Cases (RISK-2, OPS-3) still open at the hour's end: the analysts' backlog. */
  openCases: number;
}

export interface Dashboard {
  from: string;
  to: string;
  hours: HourRow[];
  declinesByReason: { reason: string; count: number }[];
  totals: { payments: number; paymentsAmount: number; declines: number };
}

export async function hourlyDashboard(d: { pool: pg.Pool; clock: Clock }): Promise<Dashboard> {
  const now = d.clock.now();
  const currentHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const from = new Date(currentHour - (DASHBOARD_HOURS - 1) * HOUR);
  const to = new Date(currentHour + HOUR);
  const [payments, declines, reasons, risk, open] = await Promise.all([
    paymentsPerHour(d.pool, from, to), declinesPerHour(d.pool, from, to), declinesByReason(d.pool, from, to),
    riskDecisionsPerHour(d.pool, from, to), openCasesPerHour(d.pool, from, to),
  ]);
  const riskOf = (t: number, outcome: string) => risk.find((r) => r.hour.getTime() === t && r.outcome === outcome)?.count ?? 0;
  const openAt = new Map(open.map((r) => [r.hour.getTime(), r.count]));
  const byHour = (rows: HourCount[]) => new Map(rows.map((r) => [r.hour.getTime(), r]));
  const p = byHour(payments);
  const x = byHour(declines);
  const hours = Array.from({ length: DASHBOARD_HOURS }, (_, i) => {
    const t = from.getTime() + i * HOUR;
    return {
      hour: new Date(t).toISOString(), payments: p.get(t)?.count ?? 0, paymentsAmount: p.get(t)?.amount ?? 0, declines: x.get(t)?.count ?? 0,
      riskAllow: riskOf(t, 'allow'), riskStepUp: riskOf(t, 'step_up'), riskHold: riskOf(t, 'hold'), riskDeny: riskOf(t, 'deny'), openCases: openAt.get(t) ?? 0,
    };
  });
  const sum = (f: (h: HourRow) => number) => hours.reduce((a, h) => a + f(h), 0);
  return {
    from: from.toISOString(), to: to.toISOString(), hours, declinesByReason: reasons,
    totals: { payments: sum((h) => h.payments), paymentsAmount: sum((h) => h.paymentsAmount), declines: sum((h) => h.declines) },
  };
}
