/** Settlement through the operator API: the report as JSON and CSV, closing the day, and who may. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { D, PaymentsFixture, seedDay, type Scenario } from '../../test/harness/settlement.js';
import { opsRequest } from '../../test/harness/webhooks.js';
import { ManualClock } from '../shared/clock.js';
import { reportCsv } from './render.js';
import type { SettlementReport } from './report.js';

const clock = new ManualClock(`${D}T16:00:00Z`); // 01:00 JST the day after D
let t: TestKonpay;
let s: Scenario;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  s = await seedDay(new PaymentsFixture(t.konpay.pool));
});
afterAll(() => t?.stop());

describe('settlement for operators', () => {
  it('answers the day as JSON and the same figures as CSV', async () => {
    const json = await opsRequest<SettlementReport>(t, 'GET', `/ops/v1/settlements/${D}`);
    expect(json.status).toBe(200);
    expect(json.json.stores.map((x) => x.storeId).sort()).toEqual([s.a1.storeId, s.a2.storeId, s.b1.storeId].sort());
    const csv = await t.konpay.app.inject({ method: 'GET', url: `/ops/v1/settlements/${D}?format=csv`, headers: { authorization: `Bearer ${t.config.secrets.operatorApiToken}` } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe(reportCsv(json.json));
    const one = await opsRequest<SettlementReport>(t, 'GET', `/ops/v1/settlements/${D}?store=${s.b1.storeId}`);
    expect(one.json.stores.map((x) => x.storeId)).toEqual([s.b1.storeId]);
  });

  it('closes the day once however often it is asked', async () => {
    const a = await opsRequest<{ total: number }>(t, 'POST', `/ops/v1/settlements/${D}/close`);
    const b = await opsRequest<{ total: number }>(t, 'POST', `/ops/v1/settlements/${D}/close`);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.json.total).toBe(a.json.total);
    const fees = await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'fee'`);
    expect(fees.rows[0]!.n).toBe(3);
  });

  it('refuses a day that is not over, a bad date, and anyone without the operator token', async () => {
    expect((await opsRequest(t, 'POST', '/ops/v1/settlements/2099-01-01/close')).json).toMatchObject({ code: 'settlement_day_not_over' });
    expect((await opsRequest(t, 'GET', '/ops/v1/settlements/2026-13-40')).json).toMatchObject({ code: 'settlement_invalid_date' });
    expect((await opsRequest(t, 'GET', `/ops/v1/settlements/${D}`, undefined, null)).status).toBe(401);
    expect((await opsRequest(t, 'POST', `/ops/v1/settlements/${D}/close`, undefined, 'x'.repeat(40))).status).toBe(401);
  });
});
