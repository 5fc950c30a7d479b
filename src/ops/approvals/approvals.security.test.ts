/**
 * Two-operator approvals (OPS-2), applied to unfreezing: the requester cannot approve
 * their own request (nor the machine token its own), a support operator cannot approve
 * an unfreeze, an approval performs the action exactly once (a second or concurrent
 * approval is refused), a rejection does nothing, and every step is in the audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayer } from '../../../test/harness/codes.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, type ConsoleSession, type TestOperator } from '../../../test/harness/operators.js';
import { toPublicId } from '../../shared/ids.js';
import { recordsAfter } from '../audit/repo.js';
import { verifyChain } from '../audit/verify.js';
import { ManualClock } from '../../shared/clock.js';
import { approve, registerApprovalKind, requestApproval } from './index.js';

let t: TestKonpay;
let riskOp: TestOperator;
let risk: ConsoleSession;
let risk2: ConsoleSession;
let admin: ConsoleSession;
let support: ConsoleSession;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  riskOp = await newOperator(t, 'risk', 'Sato Yui');
  risk = await signInOperator(t, riskOp);
  risk2 = await signInOperator(t, await newOperator(t, 'risk', 'Kato Ren'));
  admin = await signInOperator(t, await newOperator(t, 'admin', 'Mori Aoi'));
  support = await signInOperator(t, await newOperator(t, 'support', 'Ito Mei'));
});
afterAll(() => t?.stop());

interface Approval { id: string; status: string; kind: string; requestedBy: string; requestedByName: string | null; decidedBy: string | null }

async function frozenCustomer(): Promise<string> {
  const who = await newPayer(t);
  const r = await consoleRequest(t, support, 'POST', `/ops/v1/customers/${who.userId}/freeze`, { reason: 'Customer called: phone stolen' });
  expect(r.status).toBe(200);
  return who.userId;
}
const isFrozen = async (customerId: string) => {
  const r = await consoleRequest<{ profile: { frozenAt: string | null } }>(t, support, 'GET', `/ops/v1/customers/${customerId}`);
  return r.json.profile.frozenAt !== null;
};
const unfrozenEvents = async (customerId: string) => (await t.db.pool.query(
  `SELECT 1 FROM security_events WHERE user_id = $1 AND kind = 'account_unfrozen'`, [customerId.replace(/^usr_(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')],
)).rowCount;
async function askUnfreeze(s: ConsoleSession, customerId: string): Promise<Approval> {
  const r = await consoleRequest<{ approval: Approval }>(t, s, 'POST', `/ops/v1/customers/${customerId}/unfreeze`, { reason: 'Customer called back from the registered number' });
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  return r.json.approval;
}
const decide = (s: ConsoleSession, id: string, how: 'approve' | 'reject', body: object = how === 'reject' ? { reason: 'Could not verify the caller' } : {}) =>
  consoleRequest<Approval & { code?: string }>(t, s, 'POST', `/ops/v1/approvals/${id}/${how}`, body);

describe('unfreezing needs a second operator', () => {
  it('answers 202 with a pending request, shown on the customer and in the queue; asking again answers the same one', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    expect(a).toMatchObject({ status: 'pending', kind: 'customer_unfreeze', requestedBy: riskOp.id, requestedByName: 'Sato Yui', decidedBy: null });
    expect(await isFrozen(customerId)).toBe(true);
    expect((await askUnfreeze(risk2, customerId)).id).toBe(a.id);
    const detail = await consoleRequest<{ pendingUnfreeze: Approval | null }>(t, support, 'GET', `/ops/v1/customers/${customerId}`);
    expect(detail.json.pendingUnfreeze).toMatchObject({ id: a.id, requestedByName: 'Sato Yui' });
    const queue = await consoleRequest<{ approvals: Approval[] }>(t, support, 'GET', '/ops/v1/approvals?status=pending');
    expect(queue.json.approvals.map((x) => x.id)).toContain(a.id);
  });

  it('the requester cannot approve their own request', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    const r = await decide(risk, a.id, 'approve');
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('approval_self');
    expect(await isFrozen(customerId)).toBe(true);
  });

  it('the machine token cannot approve a request the machine token made', async () => {
    const customerId = await frozenCustomer();
    const token = { authorization: `Bearer ${t.config.secrets.operatorApiToken!}` };
    const asked = await t.konpay.app.inject({ method: 'POST', url: `/ops/v1/customers/${customerId}/unfreeze`, headers: token, payload: { reason: 'Ticket 1234' } });
    expect(asked.statusCode, asked.body).toBe(202);
    const id = (asked.json() as { approval: Approval }).approval.id;
    const self = await t.konpay.app.inject({ method: 'POST', url: `/ops/v1/approvals/${id}/approve`, headers: token, payload: {} });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'approval_self' });
    // A person may.
    expect((await decide(admin, id, 'approve')).status).toBe(200);
    expect(await isFrozen(customerId)).toBe(false);
  });

  it('a support operator cannot approve an unfreeze', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    const r = await decide(support, a.id, 'approve');
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('approval_role');
    expect((await decide(support, a.id, 'reject')).json.code).toBe('approval_role');
    expect(await isFrozen(customerId)).toBe(true);
  });

  it('a second risk operator approves: the freeze is lifted once; approving again is refused and changes nothing', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    const ok = await decide(risk2, a.id, 'approve');
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({ id: a.id, status: 'approved' });
    expect(await isFrozen(customerId)).toBe(false);
    const twice = await decide(admin, a.id, 'approve');
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('approval_not_pending');
    expect(await unfrozenEvents(customerId)).toBe(1);
  });

  it('two approvers at once: exactly one performs the action', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    const both = await Promise.all([decide(risk2, a.id, 'approve'), decide(admin, a.id, 'approve')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await unfrozenEvents(customerId)).toBe(1);
  });

  it('a rejected request does nothing, and cannot be approved afterwards; the requester may withdraw their own', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    const no = await decide(admin, a.id, 'reject');
    expect(no.status).toBe(200);
    expect(no.json).toMatchObject({ status: 'rejected' });
    expect((await decide(risk2, a.id, 'approve')).json.code).toBe('approval_not_pending');
    expect(await isFrozen(customerId)).toBe(true);
    expect(await unfrozenEvents(customerId)).toBe(0);
    // A new request after a rejection; its requester withdraws it.
    const b = await askUnfreeze(risk, customerId);
    expect(b.id).not.toBe(a.id);
    expect((await decide(risk, b.id, 'reject')).json).toMatchObject({ status: 'rejected' });
    expect(await isFrozen(customerId)).toBe(true);
  });

  it('unknown and malformed ids are 404', async () => {
    expect((await decide(admin, `apr_${'0'.repeat(32)}`, 'approve')).status).toBe(404);
    expect((await decide(admin, 'usr_nonsense', 'approve')).status).toBe(404);
  });

  it('every step is in the audit chain, which stays intact', async () => {
    const customerId = await frozenCustomer();
    const a = await askUnfreeze(risk, customerId);
    await decide(risk, a.id, 'approve');
    await decide(support, a.id, 'approve');
    await decide(risk2, a.id, 'approve');
    const rows = (await recordsAfter(t.konpay.pool, 0, 100_000)).filter((r) => r.ids['customerId'] === customerId);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['customer.freeze', 'frozen'],
      ['approval.request', 'pending'],
      ['customer.unfreeze', 'approval_requested'],
      ['approval.approve', 'self_approval'],
      ['approval.approve', 'role_refused'],
      ['approval.approve', 'approved'],
    ]);
    expect(rows.find((r) => r.outcome === 'approved')!.ids).toMatchObject({ approvalId: a.id, kind: 'customer_unfreeze' });
    expect(await verifyChain(t.konpay.pool)).toMatchObject({ kind: 'intact' });
  });
});

describe('the registry, as another module uses it', () => {
  it('performs a registered kind once, in the approval transaction, with the approver', async () => {
    const performed: string[] = [];
    registerApprovalKind({
      kind: 'test_kind', roles: ['admin'],
      perform: async (q, request, approver) => {
        await q.query('SELECT 1');
        performed.push(`${String(request.payload['n'])} by ${approver}`);
      },
    });
    const requester = toPublicId('opr', '019ab5c4-e2d0-7c3a-9e51-f0b2d4c6a8e7');
    const { id } = await requestApproval(t.konpay.pool, { kind: 'test_kind', payload: { n: 7 }, amount: 12_000, requestedBy: requester, reason: 'Refund above the threshold' });
    expect(id).toMatch(/^apr_[0-9a-f]{32}$/);
    expect((await decide(risk, id, 'approve')).json.code).toBe('approval_role');
    const ok = await decide(admin, id, 'approve');
    expect(ok.json).toMatchObject({ status: 'approved', amount: 12_000 });
    expect(performed).toEqual([`7 by ${ok.json.decidedBy}`]);
  });

  it('a perform that throws leaves the request pending and changes nothing', async () => {
    registerApprovalKind({ kind: 'test_failing', roles: ['admin'], perform: async () => { throw new Error('refund failed'); } });
    const { id } = await requestApproval(t.konpay.pool, { kind: 'test_failing', payload: {}, amount: null, requestedBy: 'cli:ana', reason: 'x' });
    expect((await decide(admin, id, 'approve')).status).toBe(500);
    const r = await consoleRequest<Approval>(t, admin, 'GET', `/ops/v1/approvals/${id}`);
    expect(r.json.status).toBe('pending');
  });

  it('a request past its time expires: approving it is refused and performs nothing', async () => {
    let performed = 0;
    registerApprovalKind({ kind: 'test_expiring', roles: ['admin'], perform: async () => { performed++; } });
    const clock = new ManualClock('2026-01-05T00:00:00Z');
    const { id } = await requestApproval(t.konpay.pool, { kind: 'test_expiring', payload: {}, amount: null, requestedBy: 'cli:ana', reason: 'x', now: clock.now(), expiresInMs: 3_600_000 });
    clock.advance(3_600_000);
    const r = await approve({ pool: t.konpay.pool, clock }, id, { id: 'operator-token', role: 'admin' });
    expect(r).toMatchObject({ kind: 'expired', request: { status: 'expired' } });
    expect(performed).toBe(0);
    expect((await approve({ pool: t.konpay.pool, clock }, id, { id: 'operator-token', role: 'admin' })).kind).toBe('not_pending');
  });
});
