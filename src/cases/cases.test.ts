/**
 * Cases against a real server and database: a hold opened by `openCase` reaches the queue
 * with its evidence and the customer is told; decisions run the holder's handler once;
 * roles; claims of unauthorised use refused for others' movements, paid exactly once
 * through the ledger (double and concurrent approvals), linked to the disputed movements,
 * and a second operator above the threshold; the monthly figures from real rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { withTransaction } from '../db/tx.js';
import { approve } from '../ops/approvals/index.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import { drainOutbox, messagesTo, signUp } from '../../test/harness/customer.js';
import { fileClaimRequest, spender, walletBalance } from '../../test/harness/cases.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, type ConsoleSession, type TestOperator } from '../../test/harness/operators.js';
import { ledgerBalanced } from '../../test/harness/wallet.js';
import { openCase } from './open.js';
import { onCaseDecided, type DecidedCase } from './registry.js';
import type { caseDetailSchema, caseList, decideAnswer, monthlySchema } from './schemas.js';
import type { dashboardSchema } from '../ops/console/schemas.js';
import { newUuid } from '../shared/ids.js';
import { jstMonths } from './queries.js';

type Detail = z.infer<typeof caseDetailSchema>;
type Decision = z.infer<typeof decideAnswer>;

const THRESHOLD = 5000;
let t: TestKonpay;
let risk: ConsoleSession;
let riskOperator: TestOperator;
let admin: ConsoleSession;
let support: ConsoleSession;

beforeAll(async () => {
  t = await startTestKonpay({ APPROVAL_COMPENSATION_YEN: String(THRESHOLD) }, { worker: false });
  riskOperator = await newOperator(t, 'risk');
  risk = await signInOperator(t, riskOperator);
  admin = await signInOperator(t, await newOperator(t, 'admin'));
  support = await signInOperator(t, await newOperator(t, 'support'));
});
afterAll(() => t.stop());

// A subject type of this test's own: the server registers the real holders' handlers
// ('topup', …) at start and would replace one registered under their names.
const SUBJECT = 'test_hold';
const held: DecidedCase[] = [];
beforeAll(() => {
  onCaseDecided(SUBJECT, async (q, c) => {
    // Inside the decision's transaction: the handler gets the caller's connection.
    await q.query('SELECT 1');
    held.push(c);
  });
});

async function holdTopup(userId: string, topupId: string, type = SUBJECT): Promise<string> {
  const { caseId } = await withTransaction(t.konpay.pool, (q) => openCase(q, {
    kind: 'risk_hold', userId, subject: { type, id: topupId }, reasons: ['topup_velocity', 'new_device'],
    evidence: { score: 85, signals: { topupsLastHour: 6, deviceAgeMinutes: 3 } }, now: new Date(),
  }));
  return toPublicId('cas', caseId);
}

const decide = (s: ConsoleSession, id: string, body: object) => consoleRequest<Decision & { code?: string }>(t, s, 'POST', `/ops/v1/cases/${id}/decide`, body);

describe('risk holds', () => {
  it('a case opened by openCase is in the queue with its evidence, and the customer is told', async () => {
    const who = await signUp(t);
    const id = await holdTopup(fromPublicId('usr', who.userId)!, 'top_0001', 'topup');
    const queue = await consoleRequest<z.infer<typeof caseList>>(t, support, 'GET', '/ops/v1/cases?status=open&kind=risk_hold');
    expect(queue.status).toBe(200);
    const c = queue.json.cases.find((x) => x.id === id)!;
    expect(c).toMatchObject({ kind: 'risk_hold', status: 'open', customerId: who.userId, subject: { type: 'topup', id: 'top_0001' }, reasons: ['topup_velocity', 'new_device'] });
    expect(c.evidence).toEqual({ score: 85, signals: { topupsLastHour: 6, deviceAgeMinutes: 3 } });
    const detail = await consoleRequest<Detail>(t, support, 'GET', `/ops/v1/cases/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.customer?.email).toBe(who.email);
    expect(Array.isArray(detail.json.recentMovements)).toBe(true);
    const mail = (await messagesTo(t, who.email)).find((m) => m.subject === 'Konpay: We are checking a recent top-up');
    expect(mail?.body).toContain('Nothing is needed from you');
    // The signals that caught it are for analysts only.
    expect(mail?.body).not.toContain('velocity');
  });

  it('the queue is oldest first', async () => {
    const who = await signUp(t);
    const uid = fromPublicId('usr', who.userId)!;
    const first = await holdTopup(uid, 'top_a');
    const second = await holdTopup(uid, 'top_b');
    const ids = (await consoleRequest<z.infer<typeof caseList>>(t, risk, 'GET', '/ops/v1/cases?status=open')).json.cases.map((c) => c.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
  });

  it('approve and reject call the registered handler once each; a second decision is refused', async () => {
    const who = await signUp(t);
    const uid = fromPublicId('usr', who.userId)!;
    const a = await holdTopup(uid, 'top_release');
    const r = await holdTopup(uid, 'top_refuse');
    held.length = 0;
    const assigned = await consoleRequest<{ assignedTo: string }>(t, risk, 'POST', `/ops/v1/cases/${a}/assign`, {});
    expect(assigned.json.assignedTo).toBe(riskOperator.id);
    const [one, two] = await Promise.all([decide(risk, a, { decision: 'approved', reason: 'Customer confirmed' }), decide(admin, a, { decision: 'approved', reason: 'Also' })]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    expect((await decide(risk, r, { decision: 'rejected', reason: 'Card testing pattern' })).json.case.status).toBe('rejected');
    expect(held.map((h) => [h.subject?.id, h.decision])).toEqual([['top_release', 'approved'], ['top_refuse', 'rejected']]);
    expect(held[0]).toMatchObject({ kind: 'risk_hold', userId: uid });
    expect((await decide(risk, r, { decision: 'approved', reason: 'changed my mind' })).status).toBe(409);
    expect(held).toHaveLength(2);
    const mails = (await messagesTo(t, who.email)).map((m) => m.body);
    expect(mails.some((b) => b.includes('let it go through'))).toBe(true);
    expect(mails.some((b) => b.includes('Card testing'))).toBe(false);
  });

  it('support reads the queue but cannot take or decide a case', async () => {
    const who = await signUp(t);
    const id = await holdTopup(fromPublicId('usr', who.userId)!, 'top_support');
    held.length = 0;
    expect((await consoleRequest(t, support, 'GET', `/ops/v1/cases/${id}`)).status).toBe(200);
    expect((await decide(support, id, { decision: 'approved', reason: 'x' })).status).toBe(403);
    expect((await consoleRequest(t, support, 'POST', `/ops/v1/cases/${id}/assign`, {})).status).toBe(403);
    expect(held).toHaveLength(0);
    expect((await consoleRequest<Detail>(t, risk, 'GET', `/ops/v1/cases/${id}`)).json.case.status).toBe('open');
  });

  it('closing is only for flags', async () => {
    const who = await signUp(t);
    const id = await holdTopup(fromPublicId('usr', who.userId)!, 'top_close');
    expect((await decide(risk, id, { decision: 'closed', reason: 'nothing' })).json.code).toBe('case_decision_invalid');
  });
});

describe('claims of unauthorised use', () => {
  it('refuses a movement of someone else, money into the wallet, and a movement claimed twice', async () => {
    const victim = await spender(t, 10_000, [1200, 800]);
    const other = await spender(t, 5000, [500]);
    const theirs = await fileClaimRequest(t, victim.token, { movementIds: [other.payments[0]], description: 'not me' });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json()).toMatchObject({ code: 'claim_movement_invalid', movementIds: [other.payments[0]] });
    const history = (await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet/history', headers: { authorization: `Bearer ${victim.token}` } })).json() as { movements: { id: string; kind: string }[] };
    const topup = history.movements.find((m) => m.kind === 'topup_card')!.id;
    expect((await fileClaimRequest(t, victim.token, { movementIds: [topup], description: 'not me' })).statusCode).toBe(400);
    expect((await fileClaimRequest(t, victim.token, { movementIds: ['txn_nonsense'], description: 'x' })).statusCode).toBe(400);
    const ok = await fileClaimRequest(t, victim.token, { movementIds: [victim.payments[0]], description: 'I was asleep' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'open', amount: 1200 });
    const again = await fileClaimRequest(t, victim.token, { movementIds: [victim.payments[0], victim.payments[1]], description: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'claim_movement_already_claimed', movementIds: [victim.payments[0]] });
    expect((await t.konpay.app.inject({ method: 'POST', url: '/v1/me/claims', payload: { movementIds: [victim.payments[1]], description: 'x' } })).statusCode).toBe(401);
  });

  it('an approved claim credits the wallet exactly once, linked to the disputed movements, the ledger balanced', async () => {
    const victim = await spender(t, 10_000, [1500, 900, 300]);
    const filed = await fileClaimRequest(t, victim.token, { movementIds: victim.payments.slice(0, 2), description: 'Two payments at a store I never visited' });
    const claimId = (filed.json() as { claimId: string }).claimId;
    const before = await walletBalance(t, victim.uid);
    const detail = await consoleRequest<Detail>(t, risk, 'GET', `/ops/v1/cases/${claimId}`);
    expect(detail.json.disputed.map((d) => d.id)).toEqual(victim.payments.slice(0, 2));
    expect(detail.json.disputedTotal).toBe(2400);
    expect(detail.json.case.evidence).toMatchObject({ description: 'Two payments at a store I never visited' });

    const answers = await Promise.all([
      decide(risk, claimId, { decision: 'approved', reason: 'Device never seen before' }),
      decide(admin, claimId, { decision: 'approved', reason: 'Same' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await decide(risk, claimId, { decision: 'approved', reason: 'thrice' })).status).toBe(409);
    expect(await walletBalance(t, victim.uid)).toBe(before + 2400);
    expect(await ledgerBalanced(t)).toBe(true);

    const transfers = await t.konpay.pool.query<{ id: string; amount: number; kind: string; metadata: { disputed: string[]; caseId: string } }>(
      `SELECT t.id, t.amount, t.kind, t.metadata FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
        WHERE a.code = $1 AND t.kind = 'compensation'`, [`wallet:${victim.uid}`]);
    expect(transfers.rows).toHaveLength(1);
    expect(transfers.rows[0]!.metadata).toMatchObject({ caseId: claimId, disputed: victim.payments.slice(0, 2) });
    const debit = await t.konpay.pool.query(`SELECT a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id WHERE t.id = $1`, [transfers.rows[0]!.id]);
    expect(debit.rows[0]).toEqual({ code: 'compensation' });
    const after = await consoleRequest<Detail>(t, risk, 'GET', `/ops/v1/cases/${claimId}`);
    expect(after.json.compensation).toMatchObject({ amount: 2400, transferId: toPublicId('txn', transfers.rows[0]!.id) });
    expect(after.json.case.status).toBe('approved');

    const history = (await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet/history', headers: { authorization: `Bearer ${victim.token}` } })).json() as { movements: { kind: string; amount: number; description: string }[] };
    expect(history.movements[0]).toMatchObject({ kind: 'compensation', amount: 2400, description: 'Compensation' });
    await drainOutbox(t);
    expect((await messagesTo(t, victim.email)).some((m) => m.subject === 'Konpay: We have compensated you' && m.body.includes('¥2,400'))).toBe(true);
  });

  it('a partial compensation within the disputed total; more is refused', async () => {
    const victim = await spender(t, 10_000, [3000]);
    const claimId = ((await fileClaimRequest(t, victim.token, { movementIds: victim.payments, description: 'x' })).json() as { claimId: string }).claimId;
    expect((await decide(risk, claimId, { decision: 'approved', reason: 'r', amount: 3001 })).json.code).toBe('compensation_amount_invalid');
    const before = await walletBalance(t, victim.uid);
    expect((await decide(risk, claimId, { decision: 'approved', reason: 'half was theirs', amount: 1000 })).json.compensation).toBe(1000);
    expect(await walletBalance(t, victim.uid)).toBe(before + 1000);
  });

  it('a rejected claim pays nothing', async () => {
    const victim = await spender(t, 10_000, [700]);
    const claimId = ((await fileClaimRequest(t, victim.token, { movementIds: victim.payments, description: 'x' })).json() as { claimId: string }).claimId;
    const before = await walletBalance(t, victim.uid);
    expect((await decide(risk, claimId, { decision: 'rejected', reason: 'Their own device, their PIN' })).json.case.status).toBe('rejected');
    expect(await walletBalance(t, victim.uid)).toBe(before);
  });

  it('above the threshold a second operator must approve; the requester cannot', async () => {
    const victim = await spender(t, 20_000, [THRESHOLD + 2000]);
    const claimId = ((await fileClaimRequest(t, victim.token, { movementIds: victim.payments, description: 'Big one' })).json() as { claimId: string }).claimId;
    const before = await walletBalance(t, victim.uid);
    const asked = await decide(risk, claimId, { decision: 'approved', reason: 'Clear account takeover' });
    expect(asked.status).toBe(200);
    expect(asked.json).toMatchObject({ outcome: 'approval_requested', compensation: null, case: { status: 'open' } });
    const approvalId = asked.json.approvalId!;
    expect(approvalId).toMatch(/^apr_/);
    expect(await walletBalance(t, victim.uid)).toBe(before);
    expect((await decide(admin, claimId, { decision: 'approved', reason: 'again' })).json.code).toBe('case_approval_pending');

    const deps = { pool: t.konpay.pool, clock: t.konpay.identity.clock };
    expect((await approve(deps, approvalId, { id: riskOperator.id, role: 'risk' })).kind).toBe('self_approval');
    expect(await walletBalance(t, victim.uid)).toBe(before);
    const second = await newOperator(t, 'admin');
    expect((await approve(deps, approvalId, { id: second.id, role: 'admin' })).kind).toBe('approved');
    expect(await walletBalance(t, victim.uid)).toBe(before + THRESHOLD + 2000);
    expect((await approve(deps, approvalId, { id: second.id, role: 'admin' })).kind).toBe('not_pending');
    expect(await walletBalance(t, victim.uid)).toBe(before + THRESHOLD + 2000);
    const after = await consoleRequest<Detail>(t, risk, 'GET', `/ops/v1/cases/${claimId}`);
    expect(after.json.case).toMatchObject({ status: 'approved', decidedBy: second.id });
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('monthly figures come from the rows: opened, approved, rejected, yen paid', async () => {
    const month = jstMonths(new Date(), 1)[0]!;
    const read = async () => (await consoleRequest<z.infer<typeof monthlySchema>>(t, support, 'GET', '/ops/v1/compensation/monthly?months=3')).json.months;
    const before = (await read()).find((m) => m.month === month)!;
    const victim = await spender(t, 10_000, [400, 600]);
    const a = ((await fileClaimRequest(t, victim.token, { movementIds: [victim.payments[0]], description: 'x' })).json() as { claimId: string }).claimId;
    const b = ((await fileClaimRequest(t, victim.token, { movementIds: [victim.payments[1]], description: 'y' })).json() as { claimId: string }).claimId;
    await decide(risk, a, { decision: 'approved', reason: 'ok' });
    await decide(risk, b, { decision: 'rejected', reason: 'no' });
    const months = await read();
    expect(months).toHaveLength(3);
    expect(months.at(-1)!.month).toBe(month);
    const now = months.find((m) => m.month === month)!;
    expect(now.opened - before.opened).toBe(2);
    expect(now.approved - before.approved).toBe(1);
    expect(now.rejected - before.rejected).toBe(1);
    expect(now.paid - before.paid).toBe(400);
    const total = await t.konpay.pool.query<{ s: number }>(`SELECT coalesce(sum(amount), 0)::int8 AS s FROM ledger_transfers WHERE kind = 'compensation'`);
    expect(now.paid).toBe(total.rows[0]!.s);
  });
});

describe('the dashboard (OPS-4)', () => {
  it('counts risk decisions per hour by outcome and the cases open at each hour\'s end', async () => {
    const read = async () => (await consoleRequest<z.infer<typeof dashboardSchema>>(t, support, 'GET', '/ops/v1/dashboard')).json.hours;
    // Signing up is itself a risk decision: before the counts are read.
    const who = await signUp(t);
    const now = new Date();
    // The hour of `now` by its key, so a test that runs across an hour's end still compares like with like.
    const hourKey = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
    const zero = { riskAllow: 0, riskHold: 0, riskDeny: 0, riskStepUp: 0 };
    const before = (await read()).find((h) => h.hour === hourKey) ?? zero;
    for (const outcome of ['allow', 'allow', 'hold', 'deny', 'step_up']) {
      await t.konpay.pool.query(`INSERT INTO risk_decisions (id, action, outcome, signals, created_at) VALUES ($1, 'topup', $2, '{}', $3)`, [newUuid(), outcome, now]);
    }
    // Two hours earlier: counted in its own hour, not this one.
    const earlier = new Date(now.getTime() - 2 * 3_600_000);
    await t.konpay.pool.query(`INSERT INTO risk_decisions (id, action, outcome, signals, created_at) VALUES ($1, 'payment', 'deny', '{}', $2)`, [newUuid(), earlier]);
    const id = await holdTopup(fromPublicId('usr', who.userId)!, 'top_dash');
    const hours = await read();
    expect(hours).toHaveLength(24);
    const at = hours.find((h) => h.hour === hourKey)!;
    expect([at.riskAllow - before.riskAllow, at.riskHold - before.riskHold, at.riskDeny - before.riskDeny, at.riskStepUp - before.riskStepUp]).toEqual([2, 1, 1, 1]);
    const earlierKey = new Date(Math.floor(earlier.getTime() / 3_600_000) * 3_600_000).toISOString();
    expect(hours.find((h) => h.hour === earlierKey)!.riskDeny).toBeGreaterThanOrEqual(1);
    const last = hours.at(-1)!;
    const open = await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE status = 'open'`);
    expect(last.openCases).toBe(open.rows[0]!.n);
    await decide(risk, id, { decision: 'rejected', reason: 'done' });
    expect((await read()).at(-1)!.openCases).toBe(last.openCases - 1);
  });
});
