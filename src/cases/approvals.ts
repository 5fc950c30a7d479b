/**
 * Large compensations wait for a second operator (OPS-2, OPS-3): kind
 * `compensation_refund` of the approvals module (src/ops/approvals/). The analyst's
 * approval above the threshold writes the request (the case stays open, naming it); a
 * second risk or admin operator's approval pays the claim in that approval's transaction.
 * A claim rejected meanwhile pays nothing when the request is approved later.
 */
import { registerApprovalKind, requestApproval } from '../ops/approvals/index.js';
import type { Clock } from '../shared/clock.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import { completeApprovedCompensation } from './decide.js';
import type { CompensationApprovals } from './deps.js';

export const COMPENSATION_KIND = 'compensation_refund';

export function compensationApprovals(clock: Clock): CompensationApprovals {
  registerApprovalKind({
    kind: COMPENSATION_KIND,
    roles: ['risk', 'admin'],
    perform: async (q, request, approver) => {
      const caseId = typeof request.payload.caseId === 'string' ? fromPublicId('cas', request.payload.caseId) : undefined;
      const amount = request.payload.amount;
      if (!caseId || typeof amount !== 'number') throw new Error(`compensation_refund ${request.id}: malformed payload`);
      await completeApprovedCompensation(q, { caseId, amount, approvedBy: approver, reason: request.reason, now: clock.now() });
    },
  });
  return {
    request: (q, r) => {
      const caseId = toPublicId('cas', r.payload.caseId);
      return requestApproval(q, {
        kind: COMPENSATION_KIND, payload: { caseId, amount: r.payload.amount }, amount: r.amount,
        requestedBy: r.requestedBy, reason: r.reason, subjectIds: { caseId }, now: clock.now(),
      });
    },
  };
}
