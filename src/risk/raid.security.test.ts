/**
 * Attack: 7pay, July 2019, replayed against a taken-over account (RISK-1). The thief has
 * the password and a session on a brand-new phone — how is not the point here (the
 * session is made directly, with no restricted mode: the engine must stop the raid on
 * its own). Then: six ¥30,000 card top-ups in 40 minutes, and ¥95,000 of e-cigarette
 * cartridges at a konbini. Each step asserts which defence stopped it and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, messagesTo } from '../../test/harness/customer.js';
import { PIN, pinRequest, unlockAndIssue, type Payer } from '../../test/harness/codes.js';
import { riskPolicyEnv, type TestKonpay } from '../../test/harness/konpay.js';
import { declineOf, newOrder, pay } from '../../test/harness/payments.js';
import { startTill, type TestTerminal } from '../../test/harness/pos.js';
import { addCard, customer, getTopup, passChallenge, requestTopup, walletOf, type Holder } from '../../test/harness/wallet.js';
import { withTransaction } from '../db/tx.js';
import { caseDecidedHandler } from '../cases/registry.js';
import { insertDevice } from '../identity/repo/sessions.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';

const MIN = 60_000;
const DAY = 86_400_000;
const clock = new ManualClock('2026-07-01T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;

// The engine's default policy; only the per-address thresholds are lifted, because every
// injected request here comes from 127.0.0.1 (src/risk/farming.security.test.ts tests those).
beforeAll(async () => { ({ t, term } = await startTill(clock, riskPolicyEnv())); });
afterAll(() => t?.stop());

const decisions = async (uid: string) => (await t.konpay.pool.query<{ action: string; outcome: string; reasons: string[] }>(
  `SELECT action, outcome, reasons FROM risk_decisions WHERE user_id = $1 ORDER BY created_at, id`, [uid])).rows;
const casesOf = async (uid: string) => (await t.konpay.pool.query<{ kind: string; status: string; subject_type: string; subject_id: string; reasons: string[] }>(
  `SELECT kind, status, subject_type, subject_id, reasons FROM cases WHERE user_id = $1 ORDER BY created_at`, [uid])).rows;

/** A session on a phone the account has never seen, as a thief holding the password would have. */
async function thiefSession(victim: Holder): Promise<Holder & Payer> {
  const now = clock.now();
  const deviceId = newUuid();
  const session = await withTransaction(t.konpay.pool, async (q) => {
    await insertDevice(q, { id: deviceId, userId: victim.uid, label: 'Attacker phone', now });
    return t.konpay.identity.sessions.issue(q, victim.uid, deviceId, 'bearer', { ip: '198.51.100.66', userAgent: 'thief' }, now);
  });
  return { ...victim, token: session.token, deviceId };
}

async function reauthBySms(who: Holder): Promise<string> {
  expect((await t.konpay.app.inject({ method: 'POST', url: '/v1/me/reauthenticate/sms', headers: bearer(who.token) })).statusCode).toBe(202);
  const code = await latestCode(t, who.phoneE164, 'sms');
  const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/me/reauthenticate', headers: bearer(who.token), payload: { method: 'sms', code } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { session: { token: string } }).session.token;
}

describe('attack: the 7pay raid on a taken-over account', () => {
  it('stops the top-ups at a step-up, then the limits, and holds the cash-out at the till', async () => {
    const victim = await customer(t);
    const card = await addCard(t, victim); // on the phone the account was made on: no step-up
    clock.advance(30 * DAY);
    const thief = await thiefSession(victim);

    // 1. The first ¥30,000 from the new phone: a second factor first (new_device).
    const first = await requestTopup(t, thief, card.id, 30_000);
    expect(first.statusCode, first.body).toBe(403);
    expect(first.json()).toMatchObject({ code: 'step_up_required' });
    expect(JSON.stringify(first.json())).not.toContain('new_device'); // the rule is not taught to the thief
    expect((await decisions(victim.uid)).at(-1)).toEqual({ action: 'topup', outcome: 'step_up', reasons: ['new_device'] });

    // 2. Suppose the thief has the SMS too (a swapped SIM): the step-up passes once...
    thief.token = await reauthBySms(thief);
    const pin = await pinRequest(t, thief.token, PIN); // the app PIN for paying later, while the session is fresh
    expect(pin.statusCode, pin.body).toBe(204);
    const paid = await requestTopup(t, thief, card.id, 30_000);
    expect(paid.statusCode, paid.body).toBe(201);
    await passChallenge(t, (paid.json() as { nextAction: { url: string } }).nextAction.url, victim);
    expect((await getTopup(t, thief, (paid.json() as { id: string }).id)).status).toBe('succeeded');

    // ...and the next five in 40 minutes meet the 24-hour card limit (¥50,000) first.
    for (let i = 0; i < 5; i++) {
      clock.advance(7 * MIN);
      const more = await requestTopup(t, thief, card.id, 30_000);
      expect(more.statusCode, more.body).toBe(422);
      expect(more.json()).toMatchObject({ code: 'topup_limit_exceeded', reason: 'daily_limit' });
    }
    expect(await walletOf(t, thief)).toMatchObject({ balance: 30_000 });

    // 3. The cash-out. ¥95,000 of cartridges is over the per-payment limit (¥50,000)...
    clock.advance(3 * MIN);
    const big = await pay(term, (await unlockAndIssue(t, thief)).code, 95_000, { categories: ['e_cigarettes'] });
    expect(declineOf(big)).toBe('limit_exceeded');
    // ...so the thief spends what came in, on cartridges, minutes after the top-up: held.
    const order = newOrder();
    const spend = await pay(term, (await unlockAndIssue(t, thief)).code, 29_000, { categories: ['e_cigarettes'], orderId: order });
    expect(spend.status).toBe(402);
    expect(declineOf(spend)).toBe('risk_review');
    expect(JSON.stringify(spend.json)).not.toMatch(/topup_then_spend|high_risk/);
    expect(await walletOf(t, thief)).toMatchObject({ balance: 30_000 });

    const held = (await decisions(victim.uid)).filter((d) => d.action === 'payment');
    // Resaleable goods bought with what came in by card minutes ago (¥29,000 is under the
    // high-risk basket threshold of ¥30,000, so that rule stays quiet on its own).
    expect(held).toEqual([{ action: 'payment', outcome: 'hold', reasons: ['topup_then_spend'] }]);
    // 4. An analyst has it in the queue; the customer is told.
    const cases = await casesOf(victim.uid);
    expect(cases).toEqual([expect.objectContaining({ kind: 'risk_hold', status: 'open', subject_type: 'payment_decline' })]);
    expect(cases[0]!.reasons).toEqual(['topup_then_spend']);
    expect((await messagesTo(t, victim.email)).length).toBeGreaterThan(0);
    const declines = await t.konpay.pool.query(`SELECT reason FROM payment_declines WHERE user_id = $1 ORDER BY created_at`, [victim.uid]);
    expect(declines.rows.map((r) => r.reason)).toEqual(['limit_exceeded', 'risk_review']);
  });

  it('holds the third top-up in an hour for an analyst; approval sends it on, refusal voids it', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    clock.advance(DAY);
    const ok = async (amount: number) => {
      const r = await requestTopup(t, c, card.id, amount);
      expect(r.statusCode, r.body).toBe(201);
      await passChallenge(t, (r.json() as { nextAction: { url: string } }).nextAction.url, c);
    };
    await ok(5000);
    await ok(5000);
    const third = await requestTopup(t, c, card.id, 5000);
    expect(third.statusCode, third.body).toBe(202);
    const view = third.json() as { id: string; status: string; held: boolean; nextAction: unknown };
    expect(view).toMatchObject({ status: 'requires_action', held: true, nextAction: null });
    // Not sent to the card network: no challenge exists for it.
    const row = await t.konpay.pool.query(`SELECT authentication_id FROM card_topups WHERE id = $1`, [fromPublicId('top', view.id)]);
    expect(row.rows[0].authentication_id).toBeNull();
    expect(await casesOf(c.uid)).toEqual([expect.objectContaining({ kind: 'risk_hold', subject_type: 'topup', subject_id: view.id, reasons: ['topup_velocity'] })]);

    // The analyst approves (the cases module calls the handler in its decision's transaction).
    const handler = caseDecidedHandler('topup')!;
    const decided = { caseId: newUuid(), kind: 'risk_hold' as const, userId: c.uid, subject: { type: 'topup', id: view.id }, reason: 'customer confirmed', decidedBy: 'operator-token', now: clock.now() };
    await withTransaction(t.konpay.pool, (q) => handler(q, { ...decided, decision: 'approved' }));
    const confirm = await t.konpay.app.inject({ method: 'POST', url: `/v1/topups/${view.id}/confirm`, headers: bearer(c.token) });
    const released = confirm.json() as { held: boolean; nextAction: { url: string } | null };
    expect(released).toMatchObject({ held: false, nextAction: { url: expect.any(String) } });
    await passChallenge(t, released.nextAction!.url, c);
    expect((await getTopup(t, c, view.id)).status).toBe('succeeded');

    // A fourth, held again, and refused: nothing charged, the reserved credit voided.
    const fourth = await requestTopup(t, c, card.id, 5000);
    expect(fourth.statusCode).toBe(202);
    const id4 = (fourth.json() as { id: string }).id;
    await withTransaction(t.konpay.pool, (q) => handler(q, { ...decided, subject: { type: 'topup', id: id4 }, decision: 'rejected' }));
    expect(await getTopup(t, c, id4)).toMatchObject({ status: 'canceled', failureCode: 'risk_declined' });
    expect(await walletOf(t, c)).toMatchObject({ balance: 15_000, pendingIn: 0 });
  });
});
