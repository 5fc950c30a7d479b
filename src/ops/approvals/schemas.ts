/** The approvals API's contracts (`/ops/v1/approvals`). Fields may be added, never renamed or removed. */
import { z } from 'zod';
import type { ApprovalRequest } from './registry.js';

const APR = 'apr_019ab5c4e2d07c3a9e51f0b2d4c6a8e9';
const USR = 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';
const AT = '2026-03-02T03:00:00.000Z';
const STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export const EXAMPLE_APPROVAL = {
  id: APR, kind: 'customer_unfreeze', status: 'pending' as const, subjectIds: { customerId: USR }, amount: null, payload: { customerId: USR },
  reason: 'Customer called back from the registered number', requestedBy: 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e7', requestedByName: 'Sato Ken',
  requestedAt: AT, decidedBy: null, decidedAt: null, decisionReason: null,
};
const EXAMPLE = EXAMPLE_APPROVAL;

export const approvalSchema = z.object({
  id: z.string().describe('`apr_…`'),
  kind: z.string().describe('`customer_unfreeze`, `compensation_refund`, …'),
  status: z.enum(STATUSES),
  subjectIds: z.record(z.string(), z.string()).describe('What the action is about, e.g. `{ customerId }`'),
  amount: z.number().int().nullable().describe('Yen, for actions that move money'),
  payload: z.record(z.string(), z.unknown()).describe('What will be performed, as the requesting module wrote it'),
  reason: z.string(),
  requestedBy: z.string().describe('`opr_…`, `operator-token` or `cli:<user>`'),
  requestedByName: z.string().nullable().describe('The requesting operator\'s name, for people'),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
}).meta({
  id: 'OpsApproval',
  examples: [EXAMPLE],
});
export type ApprovalView = z.infer<typeof approvalSchema>;

export const approvalParams = z.object({ approvalId: z.string().max(64).describe('`apr_…`') });
export const approvalListQuery = z.object({
  status: z.enum(STATUSES).optional(),
  cursor: z.string().max(64).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();
export const approvalList = z.object({ approvals: z.array(approvalSchema), nextCursor: z.string().nullable() }).meta({ id: 'OpsApprovals', examples: [{ approvals: [EXAMPLE], nextCursor: null }] });
export const approveBody = z.object({}).strict().meta({ examples: [{}] });
export const rejectBody = z.object({
  reason: z.string().trim().min(3).max(500).describe('Why not: kept on the request'),
}).strict().meta({ examples: [{ reason: 'Caller could not answer the security questions' }] });

export function approvalView(r: ApprovalRequest, names: ReadonlyMap<string, string>): ApprovalView {
  return {
    id: r.id, kind: r.kind, status: r.status, subjectIds: { ...r.subjectIds }, amount: r.amount, payload: { ...r.payload }, reason: r.reason,
    requestedBy: r.requestedBy, requestedByName: names.get(r.requestedBy) ?? null, requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy, decidedAt: r.decidedAt?.toISOString() ?? null, decisionReason: r.decisionReason,
  };
}
