/**
 * Two-operator approvals (OPS-2). A module whose action may need a second operator:
 *
 * 1. registers its kind once at start-up (server.ts wiring):
 *
 *        registerApprovalKind({ kind: 'compensation_refund', roles: ['risk', 'admin'],
 *          perform: async (q, request, approver) => { … } });
 *
 * 2. when the action is above its threshold, writes the request instead of acting, in its
 *    own transaction, and answers 202 with the id:
 *
 *        const { id } = await requestApproval(q, { kind: 'compensation_refund', payload, amount, requestedBy: req.operator!.id, reason, subjectIds: { caseId } });
 *
 * A second operator approves with `POST /ops/v1/approvals/{id}/approve`, which runs
 * `perform` in the approval's transaction. See ./registry.ts and ./service.ts.
 */
export { registerApprovalKind, approvalKind, type ApprovalKind, type ApprovalRequest, type ApprovalStatus } from './registry.js';
export { requestApproval, approve, reject, DEFAULT_APPROVAL_TTL_MS, type ApprovalInput, type Approver, type ApprovalDeps, type ApproveOutcome, type RejectOutcome } from './service.js';
