/**
 * Two-operator approvals (OPS-2): an action above its threshold is written down as a
 * request; a second operator, whose role the action's kind allows, approves it, and the
 * kind's handler (./registry.ts) performs it in the approval's transaction.
 *
 * Every step — request, approval, rejection, and every refusal — appends to the audit
 * chain in the same transaction as the change it records.
 *
 * "A second operator" means a different `who`: the requester, or the machine token
 * approving a request the machine token made, is refused. The machine token is one
 * identity shared by whatever holds it, so it counts as one operator.
 */
import type pg from 'pg';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { OperatorRole } from '../../operators/repo.js';
import type { Clock } from '../../shared/clock.js';
import { fromPublicId, newUuid, toPublicId } from '../../shared/ids.js';
import { storable } from '../audit/chain.js';
import { appendAudit } from '../audit/log.js';
import { approvalKind, type ApprovalRequest } from './registry.js';
import { decideApproval, findApproval, insertApproval, listApprovals, pendingFor, type ApprovalRow } from './repo.js';
import type { ApprovalStatus } from './registry.js';

/** A request lives a day unless its kind says otherwise: an approval must be of something recent. */
export const DEFAULT_APPROVAL_TTL_MS = 24 * 3_600_000;

export interface ApprovalDeps {
  pool: pg.Pool;
  clock: Clock;
}

/** Who decides: `opr_…` or `operator-token`, with the role the API proved. */
export interface Approver {
  readonly id: string;
  readonly role: OperatorRole;
}

export function toApprovalRequest(r: ApprovalRow): ApprovalRequest {
  return {
    id: toPublicId('apr', r.id), kind: r.kind, subjectIds: r.subject_ids, amount: r.amount, payload: r.payload,
    requestedBy: r.requested_by, requestedAt: r.requested_at, reason: r.reason, status: r.status,
    decidedBy: r.decided_by, decidedAt: r.decided_at, decisionReason: r.decision_reason,
  };
}

export interface ApprovalInput {
  kind: string;
  /** What the kind's `perform` needs. Not written to the audit log: keep secrets out of it anyway. */
  payload: Record<string, unknown>;
  /** Yen when the action moves money, else null. */
  amount: number | null;
  /** `opr_…`, `operator-token` or `cli:<user>`. */
  requestedBy: string;
  reason: string;
  /** The ids the action is about, shown in lists and written to the audit log. */
  subjectIds?: Record<string, string>;
  /** Defaults to the system clock; pass the injected clock's time. */
  now?: Date;
  expiresInMs?: number;
}

/**
 * Writes a pending request in the caller's transaction (with its audit row), so the
 * request exists exactly when whatever asked for it commits.
 */
export async function requestApproval(q: Queryable, input: ApprovalInput): Promise<{ id: string }> {
  if (!approvalKind(input.kind)) throw new Error(`approval kind ${input.kind} is not registered`);
  if (input.amount !== null && !(Number.isSafeInteger(input.amount) && input.amount >= 0)) throw new Error('approval amount must be whole yen');
  const now = input.now ?? new Date();
  const uuid = newUuid();
  const subjectIds = input.subjectIds ?? {};
  await insertApproval(q, {
    id: uuid, kind: input.kind, subjectIds, amount: input.amount, payload: input.payload, reason: storable(input.reason),
    requestedBy: input.requestedBy, requestedAt: now, expiresAt: new Date(now.getTime() + (input.expiresInMs ?? DEFAULT_APPROVAL_TTL_MS)),
  });
  const id = toPublicId('apr', uuid);
  await appendAudit(q, { who: input.requestedBy, action: 'approval.request', ids: { ...subjectIds, approvalId: id, kind: input.kind }, outcome: 'pending' }, now);
  return { id };
}

export type DecisionRefusal =
  | { kind: 'not_found' }
  /** Already approved, rejected or expired: a second approval changes nothing. */
  | { kind: 'not_pending'; request: ApprovalRequest }
  | { kind: 'expired'; request: ApprovalRequest }
  /** The requester cannot approve their own request. */
  | { kind: 'self_approval' }
  /** The approver's role may not decide this kind. */
  | { kind: 'role_refused' }
  /** This process does not know the kind (its module is not loaded): nothing can perform it. */
  | { kind: 'kind_unavailable' };

export type ApproveOutcome = { kind: 'approved'; request: ApprovalRequest } | DecisionRefusal;
export type RejectOutcome = { kind: 'rejected'; request: ApprovalRequest } | DecisionRefusal;

type Decision = 'approve' | 'reject';

/** The checks both decisions share, under the request's row lock. Marks a stale request expired. */
async function check(q: Queryable, id: string, by: Approver, decision: Decision, now: Date): Promise<{ row: ApprovalRow } | DecisionRefusal> {
  const uuid = fromPublicId('apr', id);
  const row = uuid && (await findApproval(q, uuid, { lock: true }));
  if (!row) return { kind: 'not_found' };
  if (row.status !== 'pending') return { kind: 'not_pending', request: toApprovalRequest(row) };
  if (row.expires_at <= now) {
    await decideApproval(q, row.id, { status: 'expired', by: null, at: now, reason: null });
    return { kind: 'expired', request: toApprovalRequest({ ...row, status: 'expired', decided_at: now }) };
  }
  const k = approvalKind(row.kind);
  if (!k) return { kind: 'kind_unavailable' };
  // The requester may withdraw (reject) their own request, never approve it.
  const own = row.requested_by === by.id;
  if (decision === 'approve' && own) return { kind: 'self_approval' };
  if (!own && !k.roles.includes(by.role)) return { kind: 'role_refused' };
  return { row };
}

async function audit(q: Queryable, by: Approver, decision: Decision, id: string, row: ApprovalRow | undefined, outcome: string, now: Date): Promise<void> {
  await appendAudit(q, { who: by.id, action: `approval.${decision}`, ids: { ...row?.subject_ids, approvalId: id, kind: row?.kind }, outcome }, now);
}

/**
 * Approves and performs, in one transaction: the kind's `perform` runs first and the
 * request is marked approved after it, under the request's row lock, so two approvers
 * racing perform the action once — the second finds it no longer pending.
 */
export function approve(d: ApprovalDeps, id: string, by: Approver): Promise<ApproveOutcome> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<ApproveOutcome> => {
    const c = await check(q, id, by, 'approve', now);
    if (!('row' in c)) {
      const uuid = fromPublicId('apr', id);
      const row = uuid ? await findApproval(q, uuid) : undefined;
      await audit(q, by, 'approve', id, row, c.kind, now);
      return c;
    }
    const request = toApprovalRequest({ ...c.row, status: 'approved', decided_by: by.id, decided_at: now });
    await approvalKind(c.row.kind)!.perform(q, request, by.id);
    await decideApproval(q, c.row.id, { status: 'approved', by: by.id, at: now, reason: null });
    await audit(q, by, 'approve', id, c.row, 'approved', now);
    return { kind: 'approved', request };
  });
}

/** Rejects: nothing is performed. The requester may withdraw their own request this way. */
export function reject(d: ApprovalDeps, id: string, by: Approver, reason: string): Promise<RejectOutcome> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<RejectOutcome> => {
    const c = await check(q, id, by, 'reject', now);
    if (!('row' in c)) {
      const uuid = fromPublicId('apr', id);
      const row = uuid ? await findApproval(q, uuid) : undefined;
      await audit(q, by, 'reject', id, row, c.kind, now);
      return c;
    }
    await decideApproval(q, c.row.id, { status: 'rejected', by: by.id, at: now, reason: storable(reason) });
    await audit(q, by, 'reject', id, c.row, 'rejected', now);
    return { kind: 'rejected', request: toApprovalRequest({ ...c.row, status: 'rejected', decided_by: by.id, decided_at: now, decision_reason: reason }) };
  });
}

/** Pending, unexpired requests of a kind about one subject, oldest first. */
export async function pendingRequests(q: Queryable, kind: string, subjectIds: Record<string, string>, now: Date): Promise<ApprovalRequest[]> {
  return (await pendingFor(q, kind, subjectIds, now)).map(toApprovalRequest);
}

export async function findRequest(q: Queryable, id: string): Promise<ApprovalRequest | undefined> {
  const uuid = fromPublicId('apr', id);
  const row = uuid && (await findApproval(q, uuid));
  return row ? toApprovalRequest(row) : undefined;
}

/**
 * A page of requests, newest first. The cursor is the last request's id (`apr_…`, a
 * UUIDv7, so it also orders them); a request past its expiry shows as expired.
 */
export async function listRequests(q: Queryable, o: { status?: ApprovalStatus; cursor?: string; limit: number; now: Date }): Promise<{ requests: ApprovalRequest[]; nextCursor: string | null } | { kind: 'bad_cursor' }> {
  let before: { requestedAt: Date; id: string } | undefined;
  if (o.cursor) {
    const uuid = fromPublicId('apr', o.cursor);
    const row = uuid && (await findApproval(q, uuid));
    if (!row) return { kind: 'bad_cursor' };
    before = { requestedAt: row.requested_at, id: row.id };
  }
  const rows = await listApprovals(q, { status: o.status, now: o.now, limit: o.limit + 1, before });
  const page = rows.slice(0, o.limit).map(toApprovalRequest);
  return { requests: page, nextCursor: rows.length > o.limit ? page[page.length - 1]!.id : null };
}
