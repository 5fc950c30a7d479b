/**
 * An analyst's work on a case: take it, then decide it once with a reason. Deciding a
 * hold hands the case to the holder's registered handler (./registry.ts) in the same
 * transaction; approving a claim pays its compensation (./compensation.ts), or, above
 * the threshold, asks a second operator first and leaves the case open until then.
 * The customer is told the outcome, never the analyst's reason.
 */
import { withTransaction } from '../db/tx.js';
import type { Queryable } from '../db/pool.js';
import { payCompensation } from './compensation.js';
import type { CasesDeps } from './deps.js';
import { recordCaseNotice } from './notices.js';
import { caseDecidedHandler } from './registry.js';
import { assignCase, decideCase, findCase, listCaseMovements, setApproval, type CaseRow } from './repo.js';
import type { CaseDecision, CaseStatus } from './types.js';

export type AssignOutcome = { kind: 'assigned'; case: CaseRow } | { kind: 'not_found' } | { kind: 'already_decided'; status: CaseStatus };

export function assignToMe(deps: CasesDeps, caseId: string, who: string): Promise<AssignOutcome> {
  return withTransaction(deps.pool, async (q) => {
    const c = await findCase(q, caseId, { lock: true });
    if (!c) return { kind: 'not_found' };
    if (c.status !== 'open') return { kind: 'already_decided', status: c.status };
    await assignCase(q, caseId, who, deps.clock.now());
    return { kind: 'assigned', case: (await findCase(q, caseId))! };
  });
}

export interface DecideInput {
  caseId: string;
  decision: CaseDecision;
  reason: string;
  by: string;
  /** Claims only: the compensation in yen, at most the disputed total (default: all of it). */
  amount?: number | undefined;
}

export type DecideOutcome =
  | { kind: 'decided'; case: CaseRow; compensation: number | null }
  | { kind: 'approval_requested'; case: CaseRow; approvalId: string; amount: number }
  | { kind: 'not_found' }
  | { kind: 'already_decided'; status: CaseStatus }
  | { kind: 'approval_pending'; approvalId: string }
  | { kind: 'decision_invalid' }
  | { kind: 'amount_invalid'; max: number };

export function decide(deps: CasesDeps, input: DecideInput): Promise<DecideOutcome> {
  return withTransaction(deps.pool, async (q): Promise<DecideOutcome> => {
    const now = deps.clock.now();
    // The row lock lines up concurrent deciders: the second finds the case decided.
    const c = await findCase(q, input.caseId, { lock: true });
    if (!c) return { kind: 'not_found' };
    if (c.status !== 'open') return { kind: 'already_decided', status: c.status };
    if (input.decision === 'closed' && c.kind !== 'risk_flag') return { kind: 'decision_invalid' };
    if (c.kind !== 'claim' && input.amount !== undefined) return { kind: 'decision_invalid' };
    let compensation: number | null = null;
    if (c.kind === 'claim' && input.decision === 'approved') {
      const max = (await listCaseMovements(q, c.id)).reduce((s, m) => s + m.amount, 0);
      const amount = input.amount ?? max;
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > max) return { kind: 'amount_invalid', max };
      if (c.approval_id) return { kind: 'approval_pending', approvalId: c.approval_id };
      if (deps.approvals && amount > deps.compensationApprovalYen) {
        const { id } = await deps.approvals.request(q, { payload: { caseId: c.id, amount }, amount, requestedBy: input.by, reason: input.reason });
        await setApproval(q, c.id, id);
        return { kind: 'approval_requested', case: (await findCase(q, c.id))!, approvalId: id, amount };
      }
      await payCompensation(q, { caseId: c.id, userId: c.user_id, amount, by: input.by, now });
      compensation = amount;
    }
    await finish(q, c, { decision: input.decision, reason: input.reason, by: input.by, now, compensation });
    return { kind: 'decided', case: (await findCase(q, c.id))!, compensation };
  });
}

/**
 * The second operator approved a large compensation (the approvals module's `perform`
 * for kind `compensation_refund`, in its transaction). A case decided meanwhile
 * (rejected by someone else) pays nothing.
 */
export async function completeApprovedCompensation(q: Queryable, p: { caseId: string; amount: number; approvedBy: string; reason: string; now: Date }): Promise<'paid' | 'not_open'> {
  const c = await findCase(q, p.caseId, { lock: true });
  if (!c || c.status !== 'open' || c.kind !== 'claim') return 'not_open';
  await payCompensation(q, { caseId: c.id, userId: c.user_id, amount: p.amount, by: p.approvedBy, now: p.now });
  await finish(q, c, { decision: 'approved', reason: p.reason, by: p.approvedBy, now: p.now, compensation: p.amount });
  return 'paid';
}

async function finish(q: Queryable, c: CaseRow, d: { decision: CaseDecision; reason: string; by: string; now: Date; compensation: number | null }): Promise<void> {
  await decideCase(q, c.id, { decision: d.decision, who: d.by, reason: d.reason, now: d.now });
  if (c.kind !== 'claim') {
    const handler = caseDecidedHandler(c.subject_type);
    const subject = c.subject_type && c.subject_id ? { type: c.subject_type, id: c.subject_id } : null;
    await handler?.(q, { caseId: c.id, kind: c.kind, userId: c.user_id, subject, decision: d.decision, reason: d.reason, decidedBy: d.by, now: d.now });
  }
  // A flag was never announced to the customer, so its end is not either.
  if (c.kind !== 'risk_flag') {
    await recordCaseNotice(q, { userId: c.user_id, kind: c.kind, event: d.decision, subjectType: c.subject_type, ...(d.compensation ? { amount: d.compensation } : {}) }, d.now);
  }
}
