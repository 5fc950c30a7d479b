/**
 * Closing a business day: each store's fees of the day are booked in the ledger, one
 * transfer per store per day from the merchant's payable shard 0 to `fee_revenue`
 * (kind `fee`). Payments do not move fees one by one (that would double the writes on
 * the hot payable rows); the day's sum moves once, after the day is over.
 *
 * The transfer's id is derived from the store and the date (UUIDv5), so closing the day
 * again finds the same transfer (`exists`) and books nothing twice; a different amount
 * under the same id means the day's facts changed after it was closed, which is refused.
 */
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { withTransaction } from '../db/tx.js';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { ensureAccount, payableCode } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { dayIsOver } from './dates.js';
import { refuse, type Refusal } from './errors.js';
import { checkAgainstLedger, describeDifferences } from './ledger-check.js';
import { transferAmounts } from './repo.js';
import { settlementReport, type SettlementReport } from './report.js';

export interface SettlementDeps {
  pool: pg.Pool;
  clock: Clock;
}

/** Fixed namespace of fee-transfer ids; changing it would book every closed day again. */
const FEE_NAMESPACE = '6f1d3c0a-8b7e-4e52-9a34-5c2f0d9b7e61';

/** The id of a store's fee transfer for a day: the same on every close of that day. */
export const feeTransferId = (storeUuid: string, date: string) => uuidv5(`fee:${storeUuid}:${date}`, FEE_NAMESPACE);

/**
 * How long after midnight JST a day may be closed: a till's transaction that took its
 * timestamp just before midnight may still be committing, and the day's facts must be
 * complete before its fees are fixed.
 */
export const CLOSE_GRACE_MS = 5 * 60_000;

export type StoreFee = { storeId: string; amount: number; outcome: 'booked' | 'already_booked' | 'no_fee' };
export type CloseResult = { kind: 'closed'; date: string; fees: StoreFee[]; total: number } | Refusal;

/**
 * Reads the report and the ledger in one snapshot (REPEATABLE READ), so payments
 * committing meanwhile cannot make them disagree by accident.
 */
export async function readDay<T>(pool: pg.Pool, fn: (q: Queryable) => Promise<T>): Promise<T> {
  return withTransaction(pool, fn, { isolation: 'repeatable read', readOnly: true });
}

/** Which stores' fees of the report are booked, and whether with the same amount. */
export async function feeBookings(q: Queryable, report: SettlementReport): Promise<{ missing: string[]; changed: string[] }> {
  const due = report.stores.filter((s) => s.fees > 0).map((s) => ({ s, id: feeTransferId(fromPublicId('sto', s.storeId)!, report.date) }));
  const booked = await transferAmounts(q, due.map((d) => d.id));
  return {
    missing: due.filter((d) => !booked.has(d.id)).map((d) => d.s.storeId),
    changed: due.filter((d) => booked.has(d.id) && booked.get(d.id) !== d.s.fees).map((d) => d.s.storeId),
  };
}

export async function closeDay(deps: SettlementDeps, date: string): Promise<CloseResult> {
  const now = deps.clock.now();
  if (!dayIsOver(date, new Date(now.getTime() - CLOSE_GRACE_MS))) {
    return refuse('settlement_day_not_over', `${date} (JST) can be closed from ${CLOSE_GRACE_MS / 60_000} minutes after its midnight`);
  }
  return withTransaction(deps.pool, async (q): Promise<CloseResult> => {
    const report = await settlementReport(q, date);
    const check = await checkAgainstLedger(q, report);
    if (check.kind === 'disagrees') return refuse('settlement_ledger_mismatch', describeDifferences(check.differences));
    const { changed } = await feeBookings(q, report);
    if (changed.length) return refuse('settlement_fees_changed', `stores ${changed.join(', ')} were closed with other fees for ${date}`);

    const feeRevenue = await ensureAccount(q, 'fee_revenue', 'fee_revenue', null, now);
    const fees: StoreFee[] = [];
    for (const s of report.stores) {
      if (s.fees === 0) {
        fees.push({ storeId: s.storeId, amount: 0, outcome: 'no_fee' });
        continue;
      }
      const merchantUuid = fromPublicId('mer', s.merchantId)!;
      const payable = await ensureAccount(q, payableCode(merchantUuid, 0), 'merchant_payable', null, now);
      const outcome = await createTransfer(q, {
        phase: 'single', id: feeTransferId(fromPublicId('sto', s.storeId)!, date), debitAccountId: payable.id, creditAccountId: feeRevenue.id,
        amount: s.fees, kind: 'fee', metadata: { store: s.storeId, merchant: s.merchantId, businessDate: date },
      }, now);
      // Amounts were compared above under this transaction; anything else is a bug or a race lost.
      if (outcome.kind !== 'created' && outcome.kind !== 'exists') throw new Error(`settlement: fee transfer for ${s.storeId} ${date}: ${outcome.kind}`);
      fees.push({ storeId: s.storeId, amount: s.fees, outcome: outcome.kind === 'created' ? 'booked' : 'already_booked' });
    }
    return { kind: 'closed', date, fees, total: report.total.fees };
  });
}
