/**
 * Per-customer limits changed by operators (OPS-2, WAL-5). The attack: an insider, or a
 * support agent talked round by a fraudster, raises a stolen account's limits so that it
 * can be loaded and spent faster. So a raise above the default waits for a second risk or
 * admin operator (self-approval refused), support cannot change limits at all, and what
 * is changed holds where money moves — cash top-ups and the payment batch read the
 * customer's own limits under their locks — and is in the audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser, cashTopup } from '../../../test/harness/cash.js';
import { newPayer, type Payer } from '../../../test/harness/codes.js';
import { bearer, messagesTo } from '../../../test/harness/customer.js';
import type { TestKonpay } from '../../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, type ConsoleSession, type TestOperator } from '../../../test/harness/operators.js';
import { codeOf, declineOf, pay, payerWith } from '../../../test/harness/payments.js';
import { startTill, type TestTerminal } from '../../../test/harness/pos.js';
import { ManualClock } from '../../shared/clock.js';
import { recordsAfter } from '../audit/repo.js';
import { verifyChain } from '../audit/verify.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;
let riskOp: TestOperator;
let risk: ConsoleSession;
let risk2: ConsoleSession;
let support: ConsoleSession;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
  riskOp = await newOperator(t, 'risk', 'Sato Yui');
  risk = await signInOperator(t, riskOp);
  risk2 = await signInOperator(t, await newOperator(t, 'risk', 'Kato Ren'));
  support = await signInOperator(t, await newOperator(t, 'support', 'Ito Mei'));
});
afterAll(() => t?.stop());

interface Approval { id: string; status: string; kind: string; requestedBy: string }
interface Changed { id: string; changed: boolean; limits: { balanceMax: number; payment: { per24h: number }; cardTopup: { per24h: number; per30d: number } }; override: Record<string, number | null> }

const setLimits = (s: ConsoleSession, who: Payer, body: object) =>
  consoleRequest<Changed & { approval: Approval; code?: string }>(t, s, 'PUT', `/ops/v1/customers/${who.userId}/limits`, { reason: 'Customer asked on the phone, ticket 4711', ...body });
const decide = (s: ConsoleSession, id: string) => consoleRequest<Approval & { code?: string }>(t, s, 'POST', `/ops/v1/approvals/${id}/approve`, {});
const walletLimits = async (who: Payer) =>
  ((await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet', headers: bearer(who.token) })).json() as { limits: Changed['limits']; remaining: { balanceRoom: number } });
const cashIn = async (who: Payer, amount: number) => cashTopup(term, await codeOf(t, who), amount);
const history = async (who: Payer) => (await t.konpay.pool.query<{ requested_by: string; approved_by: string | null; reason: string; old_limits: object; new_limits: object }>(
  `SELECT requested_by, approved_by, reason, old_limits, new_limits FROM customer_limit_changes WHERE user_id = $1 ORDER BY changed_at, id`, [who.uid])).rows;

describe('raising a limit needs a second operator', () => {
  it('a support operator cannot change limits at all', async () => {
    const who = await newPayer(t);
    const r = await setLimits(support, who, { payment24h: 10_000 });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('operator_forbidden');
    expect(await history(who)).toEqual([]);
  });

  it('a raise is only a request: pending, nothing changes, and its requester cannot approve it', async () => {
    const who = await newPayer(t);
    const r = await setLimits(risk, who, { balanceMax: 150_000 });
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    expect(r.json.approval).toMatchObject({ status: 'pending', kind: 'customer_limits', requestedBy: riskOp.id });
    expect((await walletLimits(who)).limits.balanceMax).toBe(100_000);

    const self = await decide(risk, r.json.approval.id);
    expect(self.status).toBe(403);
    expect(self.json.code).toBe('approval_self');
    const bySupport = await decide(support, r.json.approval.id);
    expect(bySupport.json.code).toBe('approval_role');
    expect((await walletLimits(who)).limits.balanceMax).toBe(100_000);
    expect(await history(who)).toEqual([]);
    // The customer's console page shows the request waiting, and no override yet.
    const page = await consoleRequest<{ pendingLimitChanges: Approval[]; limitOverride: Record<string, number | null>; wallet: { limits: { balanceMax: number } } }>(t, support, 'GET', `/ops/v1/customers/${who.userId}`);
    expect(page.json.pendingLimitChanges.map((a) => a.id)).toEqual([r.json.approval.id]);
    expect(page.json.limitOverride).toEqual({ cardTopup24h: null, cardTopup30d: null, balanceMax: null, payment24h: null });
    expect(page.json.wallet.limits.balanceMax).toBe(100_000);
  });

  it('approved by a second operator, the raised balance maximum lets through a cash top-up the default refused', async () => {
    const who = await payerWith(t, term, 98_000);
    const refused = await cashIn(who, 3000);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ reason: 'balance_limit', limit: 100_000 });

    const asked = await setLimits(risk, who, { balanceMax: 150_000 });
    expect(asked.status).toBe(202);
    // Still refused while the request waits.
    expect((await cashIn(who, 3000)).status).toBe(422);
    const ok = await decide(risk2, asked.json.approval.id);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);

    expect((await walletLimits(who)).limits.balanceMax).toBe(150_000);
    expect((await cashIn(who, 3000)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(101_000);
    const [row] = await history(who);
    expect(row).toMatchObject({ requested_by: riskOp.id, approved_by: expect.stringMatching(/^opr_/), reason: 'Customer asked on the phone, ticket 4711' });
    expect(row!.old_limits).toMatchObject({ balanceMax: null });
    expect(row!.new_limits).toMatchObject({ balanceMax: 150_000 });
    // The customer is told what their limits are now (not who or why).
    const mail = (await messagesTo(t, who.email)).filter((m) => m.subject?.includes('limits were changed'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain('Balance maximum: ¥100,000 → ¥150,000');
    expect(mail[0]!.body).not.toContain('4711');
  });
});

describe('lowering a limit applies at once and holds where money moves', () => {
  it('a lowered balance maximum refuses a cash top-up the default allowed', async () => {
    const who = await newPayer(t);
    const r = await setLimits(risk, who, { balanceMax: 5000 });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ changed: true, limits: { balanceMax: 5000 }, override: { balanceMax: 5000, payment24h: null } });
    const over = await cashIn(who, 6000);
    expect(over.status).toBe(422);
    expect(over.json).toMatchObject({ reason: 'balance_limit', limit: 5000, remaining: 5000 });
    expect((await walletLimits(who)).remaining.balanceRoom).toBe(5000);
    const page = await consoleRequest<{ limitOverride: Record<string, number | null>; wallet: { limits: { balanceMax: number } } }>(t, support, 'GET', `/ops/v1/customers/${who.userId}`);
    expect(page.json).toMatchObject({ limitOverride: { balanceMax: 5000 }, wallet: { limits: { balanceMax: 5000 } } });
    // Back to the default (null) is not a raise above it: at once too.
    const back = await setLimits(risk, who, { balanceMax: null });
    expect(back.status).toBe(200);
    expect((await cashIn(who, 6000)).status).toBe(201);
  });

  it('the payment batch honours a lowered 24-hour payment cap', async () => {
    const who = await payerWith(t, term, 10_000);
    expect((await setLimits(risk, who, { payment24h: 3000 })).status).toBe(200);
    expect((await pay(term, await codeOf(t, who), 2000)).status).toBe(201);
    expect(declineOf(await pay(term, await codeOf(t, who), 2000))).toBe('limit_exceeded');
    expect((await pay(term, await codeOf(t, who), 1000)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(7000);
  });

  it('a payer without an override in the same batch keeps the default cap', async () => {
    const lowered = await payerWith(t, term, 10_000);
    const plain = await payerWith(t, term, 10_000);
    expect((await setLimits(risk, lowered, { payment24h: 1000 })).status).toBe(200);
    const [a, b] = await Promise.all([pay(term, await codeOf(t, lowered), 5000), pay(term, await codeOf(t, plain), 5000)]);
    expect(declineOf(a)).toBe('limit_exceeded');
    expect(b.status).toBe(201);
  });
});

describe('the record', () => {
  it('every change and refusal is in the audit chain, which stays intact', async () => {
    const who = await newPayer(t);
    await setLimits(support, who, { payment24h: 10_000 });
    const lowered = await setLimits(risk, who, { payment24h: 10_000 });
    expect(lowered.status).toBe(200);
    const asked = await setLimits(risk, who, { cardTopup24h: 80_000 });
    await decide(risk, asked.json.approval.id);
    expect((await decide(risk2, asked.json.approval.id)).status).toBe(200);
    const rows = (await recordsAfter(t.konpay.pool, 0, 100_000)).filter((r) => r.ids['customerId'] === who.userId);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['customer.limits', 'changed'],
      ['approval.request', 'pending'],
      ['customer.limits', 'approval_requested'],
      ['approval.approve', 'self_approval'],
      ['customer.limits', 'changed'],
      ['approval.approve', 'approved'],
    ]);
    expect(rows[0]!.ids).toMatchObject({ change: 'payment24h default(100000)→10000' });
    expect(rows[4]!.ids).toMatchObject({ change: 'cardTopup24h default(50000)→80000', approvalId: asked.json.approval.id, requestedBy: riskOp.id });
    // Support's refusal is in the chain too, by route (it never reached the customer).
    const refusals = (await recordsAfter(t.konpay.pool, 0, 100_000)).filter((r) => r.action === 'role.refused' && r.ids['route'] === 'PUT /ops/v1/customers/:customerId/limits');
    expect(refusals.length).toBeGreaterThan(0);
    expect(await verifyChain(t.konpay.pool)).toMatchObject({ kind: 'intact' });
    expect((await walletLimits(who)).limits).toMatchObject({ payment: { per24h: 10_000 }, cardTopup: { per24h: 80_000 } });
  });

  it('naming no limit, a negative or a fractional value is a 400; an unknown customer a 404', async () => {
    const who = await newPayer(t);
    expect((await setLimits(risk, who, {})).json.code).toBe('limits_none_named');
    expect((await setLimits(risk, who, { balanceMax: -1 })).status).toBe(400);
    expect((await setLimits(risk, who, { balanceMax: 1.5 })).status).toBe(400);
    expect((await setLimits(risk, who, { cashTopupMax: 1 })).status).toBe(400);
    const r = await consoleRequest(t, risk, 'PUT', `/ops/v1/customers/usr_${'0'.repeat(32)}/limits`, { balanceMax: 1, reason: 'Ticket 1' });
    expect(r.status).toBe(404);
  });
});
