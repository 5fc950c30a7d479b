/** PAY-4: the daily settlement report, its day boundary, its reproducibility and its agreement with the ledger. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { D, PaymentsFixture, seedDay, type Scenario } from '../../test/harness/settlement.js';
import { newUuid } from '../shared/ids.js';
import { ensureAccount } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { withTransaction } from '../db/tx.js';
import { readDay } from './close.js';
import { checkAgainstLedger } from './ledger-check.js';
import { reportCsv, reportJson } from './render.js';
import { settlementReport, settlementReportSchema } from './report.js';

let db: TestDb;
let fx: PaymentsFixture;
let s: Scenario;

beforeAll(async () => {
  db = await createTestDb();
  fx = new PaymentsFixture(db.pool);
  s = await seedDay(fx);
});
afterAll(() => db.drop());

const figures = (payments: [number, number], cancellations: [number, number], refunds: [number, number], fees: number, net: number) => ({
  payments: { count: payments[0], amount: payments[1] }, cancellations: { count: cancellations[0], amount: cancellations[1] },
  refunds: { count: refunds[0], amount: refunds[1] }, fees, net,
});

const report = (date: string, storeUuid?: string) => readDay(db.pool, (q) => settlementReport(q, date, storeUuid ? { storeUuid } : {}));

describe('the daily settlement report', () => {
  it('sums each store\'s payments, same-day cancellations, refunds made that day and fees of the JST day', async () => {
    const r = await report(D);
    expect(settlementReportSchema.parse(r)).toEqual(r);
    const byStore = Object.fromEntries(r.stores.map((x) => [x.storeId, x]));
    // A1: ¥1,000 (first instant of D) + ¥2,000 (last instant) + ¥1,500 canceled; ¥200 refunded of D−1's ¥500.
    expect(byStore[s.a1.storeId]).toEqual({ storeId: s.a1.storeId, merchantId: s.a.merchantId, ...figures([3, 4500], [1, 1500], [1, 200], 30 + 60, 4500 - 1500 - 200 - 90) });
    expect(byStore[s.a2.storeId]).toEqual({ storeId: s.a2.storeId, merchantId: s.a.merchantId, ...figures([1, 4000], [0, 0], [0, 0], 120, 3880) });
    expect(byStore[s.b1.storeId]).toEqual({ storeId: s.b1.storeId, merchantId: s.b.merchantId, ...figures([1, 10_000], [0, 0], [0, 0], 250, 9750) });
    expect(r.stores.map((x) => x.storeId)).toEqual([...r.stores.map((x) => x.storeId)].sort());
    expect(r.total).toEqual(figures([5, 18_500], [1, 1500], [1, 200], 460, 2710 + 3880 + 9750));
  });

  it('puts a payment at 23:59:59.999 JST in its day and one at 00:00:00.000 JST in the next (15:00 UTC)', async () => {
    const before = await report('2026-03-09');
    expect(before.stores).toHaveLength(1);
    expect(before.stores[0]).toMatchObject({ storeId: s.a1.storeId, payments: { count: 1, amount: 500 }, fees: 15 });
    expect((await report(D)).stores.find((x) => x.storeId === s.a1.storeId)!.payments).toEqual({ count: 3, amount: 4500 });
  });

  it('can be limited to one store', async () => {
    const r = await report(D, s.b1.storeUuid);
    expect(r.stores.map((x) => x.storeId)).toEqual([s.b1.storeId]);
    expect(r.total).toEqual(figures([1, 10_000], [0, 0], [0, 0], 250, 9750));
  });

  it('renders RFC 4180 CSV: a header, one line per store and a total line, CRLF, integer yen', async () => {
    const csv = reportCsv(await report(D));
    const lines = csv.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('date,store_id,merchant_id,payments_count,payments_amount,cancellations_count,cancellations_amount,refunds_count,refunds_amount,fees,net');
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines).toContain(`${D},${s.a1.storeId},${s.a.merchantId},3,4500,1,1500,1,200,90,2710`);
    expect(lines.at(-1)).toBe(`${D},TOTAL,,5,18500,1,1500,1,200,460,16340`);
    expect(csv).not.toMatch(/[^\r]\n/);
  });

  it('is byte-identical for a past day before and after later activity (refunds, payments on later days)', async () => {
    const [json, csv] = [reportJson(await report(D)), reportCsv(await report(D))];
    await s.later();
    expect(reportJson(await report(D))).toBe(json);
    expect(reportCsv(await report(D))).toBe(csv);
    // …while the later days carry that activity: refunds on their own business day.
    const next = await report('2026-03-11');
    expect(next.stores.find((x) => x.storeId === s.a2.storeId)).toMatchObject({ refunds: { count: 1, amount: 1000 }, net: -1000 });
    expect(next.stores.find((x) => x.storeId === s.a1.storeId)).toMatchObject({ payments: { count: 1, amount: 3000 }, fees: 90, net: 2910 });
    expect((await report('2026-03-12')).total).toEqual(figures([0, 0], [0, 0], [1, 500], 0, -500));
  });
});

describe('the cross-check with the ledger', () => {
  it('settlement totals equal the ledger\'s for the day', async () => {
    for (const date of ['2026-03-09', D, '2026-03-11', '2026-03-12', '2026-03-13']) {
      const check = await readDay(db.pool, async (q) => checkAgainstLedger(q, await settlementReport(q, date)));
      expect(check.kind, `${date}: ${JSON.stringify(check)}`).toBe('agrees');
    }
    const check = await readDay(db.pool, async (q) => checkAgainstLedger(q, await settlementReport(q, D)));
    expect(check).toEqual({ kind: 'agrees', totals: { payments: { count: 5, amount: 18_500 }, cancellations: { count: 1, amount: 1500 }, refunds: { count: 1, amount: 200 } } });
  });

  it('finds a transfer that has no payment behind it, and the store it names', async () => {
    const date = '2026-04-01';
    const p = await fx.pay(s.a, s.a2, s.customer, 700, '2026-04-01T02:00:00Z');
    await withTransaction(db.pool, async (q) => {
      const at = new Date('2026-04-01T03:00:00Z');
      const wallet = await ensureAccount(q, `wallet:${s.customer}`, 'wallet', s.customer, at);
      const payable = await ensureAccount(q, `merchant_payable:${s.a.merchantUuid}:${p.shard}`, 'merchant_payable', null, at);
      const r = await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: payable.id, creditAccountId: wallet.id, amount: 100, kind: 'refund', metadata: { store: s.a2.storeId } }, at);
      expect(r.kind).toBe('created');
    });
    const check = await readDay(db.pool, async (q) => checkAgainstLedger(q, await settlementReport(q, date)));
    expect(check).toEqual({
      kind: 'disagrees',
      differences: [{ store: s.a2.storeId, line: 'refunds', report: { count: 0, amount: 0 }, ledger: { count: 1, amount: 100 } }],
    });
  });
});
