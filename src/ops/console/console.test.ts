/**
 * The console's API against real payments: finding a customer, reading what support
 * needs, freezing (their sessions really end, nothing moves) and unfreezing (money moves
 * again after they sign back in), and the dashboard's hourly numbers from real payments
 * and declines. Every read and change is in the action log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayer, pinRequest, type Payer } from '../../../test/harness/codes.js';
import { bearer, latestCode, messagesTo } from '../../../test/harness/customer.js';
import { consoleRequest, newOperator, signInOperator, type ConsoleSession, type TestOperator } from '../../../test/harness/operators.js';
import { codeOf, declineOf, pay, payerWith } from '../../../test/harness/payments.js';
import { startTill, type TestTerminal } from '../../../test/harness/pos.js';
import type { TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';
import type { z } from 'zod';
import type { customerDetailSchema, dashboardSchema, searchAnswer } from './schemas.js';

type Detail = z.infer<typeof customerDetailSchema>;
type Dashboard = z.infer<typeof dashboardSchema>;

const HOUR = 3_600_000;
// Half past some hour, an hour ago, so both test hours lie in the past of the real clock
// the POS client's signatures are checked against (it signs with this clock too).
const clock = new ManualClock(new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2));
let t: TestKonpay;
let term: TestTerminal;
let risk: ConsoleSession;
let support: ConsoleSession;
let secondRisk: ConsoleSession;
let supportOperator: TestOperator;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
  risk = await signInOperator(t, await newOperator(t, 'risk'));
  secondRisk = await signInOperator(t, await newOperator(t, 'risk', 'Kato Ren'));
  supportOperator = await newOperator(t, 'support');
  support = await signInOperator(t, supportOperator);
});
afterAll(() => t.stop());

interface AuditLine { audit?: { who: string; action: string; ids: Record<string, string>; outcome: string } }
const audits = () => t.logs.json().map((l) => (l as AuditLine).audit).filter((a) => a !== undefined);

/** A new-device sign-in with the SMS code, a PIN on the new device: the customer back in their app. */
async function signBackIn(who: Payer): Promise<Payer> {
  const start = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: who.email, password: who.password } });
  expect(start.statusCode, start.body).toBe(202);
  const { flowId } = start.json() as { flowId: string };
  expect((await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms` })).statusCode).toBe(202);
  const code = await latestCode(t, who.phoneE164, 'sms');
  const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, payload: { method: 'sms', code, deviceLabel: 'New phone' } });
  expect(done.statusCode, done.body).toBe(200);
  const token = (done.json() as { session: { token: string } }).session.token;
  expect((await pinRequest(t, token, '2580')).statusCode).toBe(204);
  const device = await t.db.pool.query<{ device_id: string }>('SELECT device_id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', [who.uid]);
  return { ...who, token, deviceId: device.rows[0]!.device_id };
}

describe('finding a customer', () => {
  it('finds by exact e-mail (any case), mobile number in any format, or id; nothing by a fragment', async () => {
    const who = await newPayer(t);
    const find = async (q: string) => (await consoleRequest<z.infer<typeof searchAnswer>>(t, support, 'POST', '/ops/v1/customers/search', { q })).json.customers;
    for (const q of [who.email.toUpperCase(), who.phone, who.phoneE164, who.userId]) {
      expect(await find(q), q).toEqual([{ id: who.userId, email: who.email, phone: who.phoneE164, frozen: false, createdAt: expect.any(String) }]);
    }
    for (const q of [who.email.slice(0, 5), '%', `${who.email.split('@')[0]}@`, 'usr_nothing', '090']) expect(await find(q), q).toEqual([]);
    const logged = audits().filter((a) => a.action === 'customer.search');
    expect(logged.at(-1)).toMatchObject({ action: 'customer.search', outcome: 'none' });
    // The typed query (a customer's contact) is never in the log; the customer found is.
    expect(t.logs.text).not.toContain(who.phone);
    expect(logged.some((a) => a.ids.customerId === who.userId)).toBe(true);
  });

  it('shows profile, wallet, devices, sessions, security events and movements, and logs the look', async () => {
    const who = await payerWith(t, term, 3000);
    expect((await pay(term, await codeOf(t, who), 1280)).status).toBe(201);
    const r = await consoleRequest<Detail>(t, support, 'GET', `/ops/v1/customers/${who.userId}`);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const d = r.json;
    expect(d.profile).toMatchObject({ id: who.userId, email: who.email, phone: who.phoneE164, frozenAt: null });
    expect(d.wallet).toMatchObject({ currency: 'JPY', balance: 1720, available: 1720 });
    expect(d.devices).toEqual([expect.objectContaining({ label: 'Test phone' })]);
    expect(d.sessions.length).toBeGreaterThanOrEqual(1);
    expect(d.events.map((e) => e.kind)).toContain('account_created');
    expect(d.movements.map((m) => [m.kind, m.amount])).toEqual([['payment', -1280], ['topup_cash', 3000]]);
    expect(audits().at(-1)).toMatchObject({ action: 'customer.view', ids: { customerId: who.userId }, outcome: 'found' });

    const missing = await consoleRequest(t, support, 'GET', `/ops/v1/customers/usr_${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 'customer_not_found' });
  });
});

describe('freeze and unfreeze', () => {
  it('freezing ends every session and device, stops money, and tells the customer; unfreezing lets money move again', async () => {
    const who = await payerWith(t, term, 5000);
    const liveCode = await codeOf(t, who);
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(who.token) })).statusCode).toBe(200);

    const frozen = await consoleRequest(t, support, 'POST', `/ops/v1/customers/${who.userId}/freeze`, { reason: 'Customer called: phone stolen' });
    expect(frozen.status, JSON.stringify(frozen.json)).toBe(200);
    expect(frozen.json).toEqual({ id: who.userId, frozen: true, sessionsRevoked: 1 });
    // The session really ended: the phone is signed out, its code is dead, nothing pays.
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(who.token) })).statusCode).toBe(401);
    const refused = await pay(term, liveCode, 500);
    expect(refused.status).toBe(402);
    expect(declineOf(refused)).toBe('code_revoked');
    const detail = (await consoleRequest<Detail>(t, support, 'GET', `/ops/v1/customers/${who.userId}`)).json;
    expect(detail.profile.frozenAt).not.toBeNull();
    expect(detail.profile.frozenReason).toContain('phone stolen');
    expect(detail.devices).toEqual([]);
    expect(detail.sessions).toEqual([]);
    expect(detail.events[0]).toMatchObject({ kind: 'account_frozen', details: { via: 'operator' } });
    // The customer can sign in no more while frozen.
    const login = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: who.email, password: who.password } });
    expect(login.json()).toMatchObject({ code: 'account_frozen' });

    // Support may freeze but not unfreeze; risk may ask, with a reason, and a second operator approves (OPS-2).
    expect((await consoleRequest(t, support, 'POST', `/ops/v1/customers/${who.userId}/unfreeze`, { reason: 'Customer found the phone' })).status).toBe(403);
    expect((await consoleRequest(t, risk, 'POST', `/ops/v1/customers/${who.userId}/unfreeze`, {})).status).toBe(400);
    const asked = await consoleRequest<{ approval: { id: string; status: string } }>(t, risk, 'POST', `/ops/v1/customers/${who.userId}/unfreeze`, { reason: 'Customer found the phone' });
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ id: who.userId, frozen: true, approval: { status: 'pending', kind: 'customer_unfreeze' } });
    expect((await consoleRequest<Detail>(t, support, 'GET', `/ops/v1/customers/${who.userId}`)).json.pendingUnfreeze).toMatchObject({ id: asked.json.approval.id, requestedByName: 'Sato Yui' });
    expect((await consoleRequest(t, risk, 'POST', `/ops/v1/approvals/${asked.json.approval.id}/approve`, {})).json).toMatchObject({ code: 'approval_self' });
    const unfrozen = await consoleRequest(t, secondRisk, 'POST', `/ops/v1/approvals/${asked.json.approval.id}/approve`, {});
    expect(unfrozen.status, JSON.stringify(unfrozen.json)).toBe(200);
    expect(unfrozen.json).toMatchObject({ status: 'approved' });
    const again = await consoleRequest(t, risk, 'POST', `/ops/v1/customers/${who.userId}/unfreeze`, { reason: 'twice' });
    expect(again.json).toMatchObject({ code: 'customer_not_frozen' });

    // Told on e-mail both times; the unfreeze notice carries a "this wasn't me" link.
    const mail = (await messagesTo(t, who.email)).filter((m) => m.channel === 'email');
    expect(mail.some((m) => m.subject?.includes('Your account was frozen'))).toBe(true);
    const unfreezeMail = mail.find((m) => m.subject?.includes('Your account was unfrozen'));
    expect(unfreezeMail?.body).toMatch(/kpf_/);

    // Back in the app on a new device (SMS code), money moves again.
    const back = await signBackIn(who);
    const paid = await pay(term, await codeOf(t, back), 500);
    expect(paid.status, JSON.stringify(paid.json)).toBe(201);
    expect(audits().filter((a) => a.action.startsWith('customer.') && a.ids.customerId === who.userId).map((a) => [a.action, a.outcome])).toEqual(
      expect.arrayContaining([['customer.freeze', 'frozen'], ['customer.unfreeze', 'approval_requested'], ['customer.unfreeze', 'not_frozen']]),
    );
  });
});

describe('dashboard', () => {
  it('counts payments and declines per hour over the last 24 hours, and declines by reason', async () => {
    const who = await payerWith(t, term, 4000);
    // This hour (half past): two payments and a decline beyond the balance.
    expect((await pay(term, await codeOf(t, who), 1000)).status).toBe(201);
    expect((await pay(term, await codeOf(t, who), 500)).status).toBe(201);
    const declined = await pay(term, await codeOf(t, who), 10_000);
    expect(declineOf(declined)).toBeDefined();
    // The next hour: one payment and an unknown code.
    clock.advance(HOUR);
    expect((await pay(term, await codeOf(t, who), 300)).status).toBe(201);
    expect(declineOf(await pay(term, `99${'1'.repeat(18)}`, 300))).toBe('code_unknown');
    // An hour on, the console session has idled out: sign in again.
    support = await signInOperator(t, supportOperator);

    const r = await consoleRequest<Dashboard>(t, support, 'GET', '/ops/v1/dashboard');
    expect(r.status).toBe(200);
    const d = r.json;
    expect(d.hours).toHaveLength(24);
    const last = d.hours.at(-1)!;
    const before = d.hours.at(-2)!;
    expect(new Date(last.hour).getTime()).toBe(Math.floor(clock.now().getTime() / HOUR) * HOUR);
    expect(last).toMatchObject({ payments: 1, paymentsAmount: 300, declines: 1 });
    // The hour before also holds the payments of the tests above (same hour, same server).
    const earlier = (await t.db.pool.query<{ n: number; yen: number }>(
      `SELECT count(*)::int AS n, coalesce(sum(amount), 0)::int AS yen FROM payments WHERE created_at >= $1 AND created_at < $2`,
      [before.hour, last.hour],
    )).rows[0]!;
    expect(earlier.n).toBeGreaterThanOrEqual(2);
    expect(before).toMatchObject({ payments: earlier.n, paymentsAmount: earlier.yen });
    expect(before.declines).toBeGreaterThanOrEqual(1);
    expect(d.declinesByReason).toEqual(expect.arrayContaining([{ reason: 'code_unknown', count: 1 }, { reason: declineOf(declined), count: expect.any(Number) }]));
    expect(d.totals.payments).toBe(d.hours.reduce((a, h) => a + h.payments, 0));
    expect(d.totals.declines).toBe(d.declinesByReason.reduce((a, x) => a + x.count, 0));
    // Nothing outside the window: every other hour is empty.
    expect(d.hours.slice(0, -2).every((h) => h.payments === 0 && h.declines === 0)).toBe(true);
  });

  it('lists merchants for the webhook page', async () => {
    const r = await consoleRequest<{ merchants: { id: string; name: string }[] }>(t, support, 'GET', '/ops/v1/merchants');
    expect(r.json.merchants).toEqual(expect.arrayContaining([expect.objectContaining({ id: term.merchantId })]));
  });
});
