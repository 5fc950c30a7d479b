/** Business days as operators type them: `YYYY-MM-DD`, a real calendar date. */
import { jstDayRange } from '../shared/jst.js';

export function isBusinessDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whether the JST day `date` is over at `now` (its last instant has passed). */
export function dayIsOver(date: string, now: Date): boolean {
  return now.getTime() >= jstDayRange(date).to.getTime();
}

/** The date `days` calendar days after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first Monday-to-Friday after `date` (bank holidays are the operator's to skip with --pay-on). */
export function nextWeekday(date: string): string {
  let d = addDays(date, 1);
  while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}
