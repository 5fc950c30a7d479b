/** Reading cases: the queue, one case with what an analyst needs beside it, the monthly claim figures, the export. */
import type { Queryable } from '../db/pool.js';
import { findUsers } from '../identity/repo/users.js';
import { historyPage, type Movement } from '../wallet/history.js';
import { claimsPerMonth, findCase, findCompensation, listCaseMovements, listCases, type CaseFilter, type CaseMovementRow, type CaseRow, type CompensationRow, type MonthRow } from './repo.js';

export const RECENT_MOVEMENTS = 20;

export function caseQueue(q: Queryable, f: CaseFilter): Promise<CaseRow[]> {
  return listCases(q, f);
}

export interface CaseDetail {
  case: CaseRow;
  customer: { email: string; phone: string; frozen: boolean } | null;
  recentMovements: Movement[];
  disputed: CaseMovementRow[];
  compensation: CompensationRow | null;
}

export async function caseDetail(q: Queryable, caseId: string): Promise<CaseDetail | undefined> {
  const c = await findCase(q, caseId);
  if (!c) return undefined;
  const [[user], page, disputed, compensation] = await Promise.all([
    findUsers(q, [c.user_id]), historyPage(q, c.user_id, {}, undefined, RECENT_MOVEMENTS), listCaseMovements(q, c.id), findCompensation(q, c.id),
  ]);
  return {
    case: c,
    customer: user ? { email: user.email, phone: user.phone, frozen: !!user.frozen_at } : null,
    recentMovements: page.movements, disputed, compensation: compensation ?? null,
  };
}

/** The last `months` JST months of claims, oldest first, months without any included as zeros. */
export async function monthlyCompensation(q: Queryable, now: Date, months: number): Promise<MonthRow[]> {
  const keys = jstMonths(now, months);
  const from = new Date(Date.UTC(Number(keys[0]!.slice(0, 4)), Number(keys[0]!.slice(5)) - 1, 1) - 9 * 3_600_000);
  const rows = new Map((await claimsPerMonth(q, from)).map((r) => [r.month, r]));
  return keys.map((month) => rows.get(month) ?? { month, opened: 0, approved: 0, rejected: 0, paid: 0 });
}

/** 'YYYY-MM' of the last `n` months in Japan's time, oldest first. */
export function jstMonths(now: Date, n: number): string[] {
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  const y = jst.getUTCFullYear();
  const m = jst.getUTCMonth();
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (n - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}
