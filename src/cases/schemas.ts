/**
 * The case and claim contracts (`/ops/v1/cases`, `/ops/v1/compensation/monthly`,
 * `/v1/me/claims`). The console and the wallet are built against exactly these shapes:
 * fields may be added, never renamed or removed.
 */
import { z } from 'zod';
import { toPublicId } from '../shared/ids.js';
import { movementSchema } from '../wallet/schemas.js';
import type { CaseDetail } from './queries.js';
import type { CaseRow, MonthRow } from './repo.js';
import { CASE_KINDS, CASE_STATUSES } from './types.js';

const CAS = 'cas_019ab5c4e2d07c3a9e51f0b2d4c6a8e7';
const USR = 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';
const TXN = 'txn_019ab5c4e2d07c3a9e51f0b2d4c6a8e5';
const AT = '2026-11-25T09:20:00.000Z';

const CASE_EXAMPLE = {
  id: CAS, kind: 'risk_hold' as const, status: 'open' as const, customerId: USR, subject: { type: 'topup', id: 'top_019ab5c4e2d07c3a9e51f0b2d4c6a8e9' },
  reasons: ['topup_velocity'], evidence: { score: 80, signals: { topupsLastHour: 6 } }, assignedTo: null, assignedAt: null,
  decidedBy: null, decisionReason: null, approvalId: null, createdAt: AT, decidedAt: null,
};

export const caseSchema = z.object({
  id: z.string().describe('`cas_…`'),
  kind: z.enum(CASE_KINDS),
  status: z.enum(CASE_STATUSES),
  customerId: z.string().describe('`usr_…`'),
  subject: z.object({ type: z.string(), id: z.string() }).nullable().describe('What was held (`topup`, `payment`, `card`, `login`, `signup`); null for claims'),
  reasons: z.array(z.string()).describe('The risk rules that fired, or `customer_claim`'),
  evidence: z.record(z.string(), z.unknown()).describe('The risk decision\'s signals, or the claim\'s description and movements'),
  assignedTo: z.string().nullable(),
  assignedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  approvalId: z.string().nullable().describe('`apr_…`: a compensation waiting for a second operator'),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
}).meta({ id: 'OpsCase', examples: [CASE_EXAMPLE] });

export const caseListQuery = z.object({
  status: z.enum(CASE_STATUSES).optional().describe('Default: every status'),
  kind: z.enum(CASE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const caseList = z.object({ cases: z.array(caseSchema).describe('Oldest first') }).meta({ id: 'OpsCaseList', examples: [{ cases: [CASE_EXAMPLE] }] });

export const caseParams = z.object({ caseId: z.string().regex(/^cas_[0-9a-f]{32}$/).describe('`cas_…`') });

const disputedSchema = z.object({ id: z.string(), kind: z.string(), amount: z.number().int(), description: z.string().nullable(), createdAt: z.string() });

export const caseDetailSchema = z.object({
  case: caseSchema,
  customer: z.object({ id: z.string(), email: z.string(), phone: z.string(), frozen: z.boolean() }).nullable(),
  recentMovements: z.array(movementSchema).describe('The customer\'s latest movements, newest first'),
  disputed: z.array(disputedSchema).describe('A claim\'s disputed movements'),
  disputedTotal: z.number().int(),
  compensation: z.object({ transferId: z.string(), amount: z.number().int(), paidBy: z.string(), paidAt: z.string() }).nullable(),
}).meta({
  id: 'OpsCaseDetail',
  examples: [{
    case: { ...CASE_EXAMPLE, kind: 'claim', subject: null, reasons: ['customer_claim'], evidence: { description: 'I did not make this payment.', amount: 1200 } },
    customer: { id: USR, email: 'hanako@example.jp', phone: '+819012345678', frozen: false },
    recentMovements: [{ id: TXN, kind: 'payment', direction: 'out', amount: -1200, status: 'posted', description: 'FamilyMart Shibuya', createdAt: AT }],
    disputed: [{ id: TXN, kind: 'payment', amount: 1200, description: 'FamilyMart Shibuya', createdAt: AT }], disputedTotal: 1200, compensation: null,
  }],
});

export const decideBody = z.object({
  decision: z.enum(['approved', 'rejected', 'closed']).describe('`approved`: release what was held, or compensate the claim; `rejected`: keep it refused; `closed`: a flag needing nothing'),
  reason: z.string().trim().min(1).max(1000).describe('Why; kept on the case and in the audit log, never shown to the customer'),
  amount: z.number().int().min(1).max(100_000_000).optional().describe('Claims only: the compensation in yen (default: the disputed total)'),
}).strict().meta({ examples: [{ decision: 'approved', reason: 'Customer confirmed the card is theirs by phone' }] });

export const decideAnswer = z.object({
  outcome: z.enum(['decided', 'approval_requested']),
  case: caseSchema,
  compensation: z.number().int().nullable(),
  approvalId: z.string().nullable(),
}).meta({
  id: 'OpsCaseDecision',
  examples: [{ outcome: 'decided', case: { ...CASE_EXAMPLE, status: 'approved', decidedBy: 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e2', decisionReason: 'Customer confirmed', decidedAt: AT }, compensation: null, approvalId: null }],
});

export const monthlyQuery = z.object({ months: z.coerce.number().int().min(1).max(36).default(12) });

export const monthlySchema = z.object({
  months: z.array(z.object({
    month: z.string().describe('`YYYY-MM`, Japan time'),
    opened: z.number().int(), approved: z.number().int(), rejected: z.number().int(),
    paid: z.number().int().describe('Yen paid as compensation'),
  })),
}).meta({ id: 'OpsCompensationMonthly', examples: [{ months: [{ month: '2026-11', opened: 4, approved: 2, rejected: 1, paid: 18_400 }] }] });

export const claimBody = z.object({
  movementIds: z.array(z.string().max(40)).min(1).max(50).describe('`txn_…` ids from your history: payments or top-ups you did not make'),
  description: z.string().trim().min(1).max(2000).describe('What happened, in your words'),
}).strict().meta({ examples: [{ movementIds: [TXN], description: 'I did not make this payment; my phone was with me at home.' }] });

export const claimAnswer = z.object({
  claimId: z.string().describe('`cas_…`'),
  status: z.literal('open'),
  amount: z.number().int().describe('The disputed total in yen'),
}).meta({ id: 'Claim', examples: [{ claimId: CAS, status: 'open', amount: 1200 }] });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function caseView(c: CaseRow): z.infer<typeof caseSchema> {
  return {
    id: toPublicId('cas', c.id), kind: c.kind, status: c.status, customerId: toPublicId('usr', c.user_id),
    subject: c.subject_type && c.subject_id ? { type: c.subject_type, id: c.subject_id } : null,
    reasons: c.reasons, evidence: c.evidence, assignedTo: c.assigned_to, assignedAt: iso(c.assigned_at),
    decidedBy: c.decided_by, decisionReason: c.decision_reason, approvalId: c.approval_id, createdAt: c.created_at.toISOString(), decidedAt: iso(c.decided_at),
  };
}

export function caseDetailView(d: CaseDetail): z.infer<typeof caseDetailSchema> {
  const disputed = d.disputed.map((m) => ({
    id: toPublicId('txn', m.transfer_id), kind: m.kind, amount: m.amount,
    description: typeof m.metadata.description === 'string' ? m.metadata.description : null, createdAt: m.created_at.toISOString(),
  }));
  return {
    case: caseView(d.case),
    customer: d.customer ? { id: toPublicId('usr', d.case.user_id), ...d.customer } : null,
    recentMovements: d.recentMovements, disputed, disputedTotal: disputed.reduce((s, m) => s + m.amount, 0),
    compensation: d.compensation
      ? { transferId: toPublicId('txn', d.compensation.transfer_id), amount: d.compensation.amount, paidBy: d.compensation.paid_by, paidAt: d.compensation.created_at.toISOString() }
      : null,
  };
}

export const monthlyView = (rows: readonly MonthRow[]): z.infer<typeof monthlySchema> => ({ months: rows.map((r) => ({ ...r })) });
