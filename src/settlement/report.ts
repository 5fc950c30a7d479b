/**
 * The daily settlement of each store (PAY-4): what its customers paid on a JST business
 * day, what was canceled and refunded, Konpay's fee, and the net owed to the merchant.
 *
 * A report for a past day is reproducible byte for byte: it reads only facts that never
 * change once the day is over.
 * - Payments belong to their `business_date`, fixed when they are made.
 * - A cancellation is allowed only on the payment's own business day, so a payment of
 *   day D is canceled on D or never; later days cannot touch D's payments or fees (and
 *   only cancellations made before D ended are counted, so even a faulty late one could
 *   not).
 * - Refunds are attributed to their own `business_date` (the day the money went back),
 *   never to the payment's day, and refund rows are never edited. The payment's running
 *   `refunded` total is deliberately not read: it changes with every later refund.
 * - Fees are each payment's `fee`, decided at payment time; canceled payments carry
 *   none, and refunds do not return it.
 */
import { z } from 'zod';
import type { Queryable } from '../db/pool.js';
import { toPublicId } from '../shared/ids.js';
import { jstDayRange } from '../shared/jst.js';
import { storePaymentsOfDay, storeRefundsOfDay } from './repo.js';

const countAndAmount = z.object({ count: z.number().int().nonnegative(), amount: z.number().int().nonnegative() });

const figures = {
  payments: countAndAmount.describe('Every payment of the day, canceled ones included'),
  cancellations: countAndAmount.describe('Payments of the day canceled the same day'),
  refunds: countAndAmount.describe('Refunds made on the day, whichever day their payment was'),
  fees: z.number().int().nonnegative().describe("Konpay's fees on the day's payments that were not canceled"),
  net: z.number().int().describe('payments − cancellations − refunds − fees, in yen; may be negative'),
};

export const storeSettlementSchema = z.object({
  storeId: z.string().regex(/^sto_[0-9a-f]{32}$/),
  merchantId: z.string().regex(/^mer_[0-9a-f]{32}$/),
  ...figures,
});

/** The settlement report's contract: JSON output, CSV columns and the payout all read this. */
export const settlementReportSchema = z.object({
  date: z.string().describe('The JST business day, YYYY-MM-DD'),
  currency: z.literal('JPY'),
  stores: z.array(storeSettlementSchema).describe('Stores with any payment or refund that day, by store id'),
  total: z.object(figures),
});

export type StoreSettlement = z.infer<typeof storeSettlementSchema>;
export type SettlementReport = z.infer<typeof settlementReportSchema>;
export type Figures = Omit<StoreSettlement, 'storeId' | 'merchantId'>;

const zeroFigures = (): Figures => ({ payments: { count: 0, amount: 0 }, cancellations: { count: 0, amount: 0 }, refunds: { count: 0, amount: 0 }, fees: 0, net: 0 });

const netOf = (f: Figures) => f.payments.amount - f.cancellations.amount - f.refunds.amount - f.fees;

function add(a: Figures, b: Figures): Figures {
  const sum = (x: { count: number; amount: number }, y: { count: number; amount: number }) => ({ count: x.count + y.count, amount: x.amount + y.amount });
  const f = { payments: sum(a.payments, b.payments), cancellations: sum(a.cancellations, b.cancellations), refunds: sum(a.refunds, b.refunds), fees: a.fees + b.fees, net: 0 };
  return { ...f, net: netOf(f) };
}

/**
 * The report for `date` (a valid `YYYY-MM-DD`), every store or only `storeUuid`.
 * Run it in one snapshot (`readDay`) when the day may still move, so both queries see the same facts.
 */
export async function settlementReport(q: Queryable, date: string, opts: { storeUuid?: string } = {}): Promise<SettlementReport> {
  const payments = await storePaymentsOfDay(q, date, jstDayRange(date).to);
  const refunds = await storeRefundsOfDay(q, date);
  const byStore = new Map<string, { merchant: string; f: Figures }>();
  const entry = (store: string, merchant: string) => {
    let e = byStore.get(store);
    if (!e) byStore.set(store, (e = { merchant, f: zeroFigures() }));
    return e;
  };
  for (const p of payments) {
    const e = entry(p.store_id, p.merchant_id);
    e.f = add(e.f, { ...zeroFigures(), payments: { count: p.payments_count, amount: p.payments_sum }, cancellations: { count: p.cancels_count, amount: p.cancels_sum }, fees: p.fees });
  }
  for (const r of refunds) {
    const e = entry(r.store_id, r.merchant_id);
    e.f = add(e.f, { ...zeroFigures(), refunds: { count: r.refunds_count, amount: r.refunds_sum } });
  }
  const stores: StoreSettlement[] = [...byStore]
    .filter(([store]) => opts.storeUuid === undefined || store === opts.storeUuid)
    .map(([store, { merchant, f }]) => ({ storeId: toPublicId('sto', store), merchantId: toPublicId('mer', merchant), ...f }))
    .sort((a, b) => (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0));
  const total = stores.reduce<Figures>((acc, { storeId: _s, merchantId: _m, ...f }) => add(acc, f), zeroFigures());
  return { date, currency: 'JPY', stores, total };
}
