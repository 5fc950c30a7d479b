/**
 * The settlement checked against the ledger: the business rows (payments, refunds) and
 * the money (transfers) are written together, so for every store and day they must
 * tell the same story. The ledger side is read independently of the payments tables:
 * transfers of kinds `payment`, `payment_cancel` and `refund`, grouped by the store in
 * their metadata, created within the JST day [D 00:00, D+1 00:00).
 */
import type { Queryable } from '../db/pool.js';
import { jstDayRange } from '../shared/jst.js';
import { ledgerTransfersOfDay } from './repo.js';
import type { SettlementReport } from './report.js';

type Line = 'payments' | 'cancellations' | 'refunds';
const KIND_OF: Record<Line, string> = { payments: 'payment', cancellations: 'payment_cancel', refunds: 'refund' };

export interface LedgerDifference {
  /** `sto_…`, or `(none)` for transfers that name no store. */
  store: string;
  line: Line;
  report: { count: number; amount: number };
  ledger: { count: number; amount: number };
}

export type LedgerCheck =
  | { kind: 'agrees'; totals: Record<Line, { count: number; amount: number }> }
  | { kind: 'disagrees'; differences: LedgerDifference[] };

/** Compares a whole-day report (every store) with the ledger's transfers of that day. */
export async function checkAgainstLedger(q: Queryable, report: SettlementReport): Promise<LedgerCheck> {
  const { from, to } = jstDayRange(report.date);
  const ledger = new Map<string, { count: number; amount: number }>();
  for (const r of await ledgerTransfersOfDay(q, from, to)) ledger.set(`${r.store ?? '(none)'}|${r.kind}`, { count: r.count, amount: r.sum });

  const differences: LedgerDifference[] = [];
  const zero = { count: 0, amount: 0 };
  const seen = new Set<string>();
  for (const s of report.stores) {
    for (const line of Object.keys(KIND_OF) as Line[]) {
      const key = `${s.storeId}|${KIND_OF[line]}`;
      seen.add(key);
      const l = ledger.get(key) ?? zero;
      if (l.count !== s[line].count || l.amount !== s[line].amount) differences.push({ store: s.storeId, line, report: s[line], ledger: l });
    }
  }
  // Transfers of stores the report does not list at all.
  for (const [key, l] of ledger) {
    if (seen.has(key)) continue;
    const [store, kind] = key.split('|') as [string, string];
    const line = (Object.keys(KIND_OF) as Line[]).find((k) => KIND_OF[k] === kind)!;
    differences.push({ store, line, report: zero, ledger: l });
  }
  if (differences.length) return { kind: 'disagrees', differences: differences.sort((a, b) => (a.store + a.line < b.store + b.line ? -1 : 1)) };
  const t = report.total;
  return { kind: 'agrees', totals: { payments: t.payments, cancellations: t.cancellations, refunds: t.refunds } };
}

export function describeDifferences(d: readonly LedgerDifference[]): string {
  return d.map((x) => `${x.store} ${x.line}: report ${x.report.count} / ¥${x.report.amount}, ledger ${x.ledger.count} / ¥${x.ledger.amount}`).join('; ');
}
