/**
 * Japan Standard Time. Stores work in JST business days: same-day cancellation and daily
 * settlement are decided by the JST date. Japan keeps no daylight saving, so JST is
 * UTC+9 all year and a fixed offset is exact.
 */
const OFFSET_MS = 9 * 3_600_000;

/** The JST calendar date of an instant, `YYYY-MM-DD`. */
export function jstDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instants a JST business day spans: [00:00 JST, next 00:00 JST). */
export function jstDayRange(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00+09:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}
