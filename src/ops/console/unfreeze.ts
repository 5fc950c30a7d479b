/**
 * Unfreezing with a second operator (OPS-2). An unfreeze is what a social engineer who
 * talked a support agent round wants, and its harm is what the wallet then lets them
 * spend. So an unfreeze of a wallet holding at least `minBalanceYen`
 * (APPROVAL_UNFREEZE_MIN_BALANCE_YEN) becomes a request that a second risk or admin
 * operator approves; the default threshold 0 makes every unfreeze need one, since a
 * stored card can refill an empty wallet minutes later. A deployment that finds that
 * too slow may raise it: below the threshold the unfreeze happens at once, as before.
 *
 * Asking again while a request is pending answers that request: one pending unfreeze per
 * customer, so the approver sees one item, not a pile.
 */
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { findUser } from '../../identity/repo/users.js';
import { fromPublicId } from '../../shared/ids.js';
import { walletView } from '../../wallet/service.js';
import { requestApproval, type ApprovalKind, type ApprovalRequest } from '../approvals/index.js';
import { DEFAULT_APPROVAL_TTL_MS, pendingRequests } from '../approvals/service.js';
import { liftFreeze, type AuditIn, type ConsoleDeps } from './customers.js';

export const UNFREEZE_KIND = 'customer_unfreeze';

export type UnfreezeOutcome =
  | { kind: 'unfrozen' }
  | { kind: 'approval_requested'; request: ApprovalRequest }
  /** A request was already waiting: it is the answer, and nothing new is made. */
  | { kind: 'already_requested'; request: ApprovalRequest }
  | { kind: 'not_frozen' }
  | { kind: 'not_found' };

/** The kind registered with the approvals registry: risk and admin approve; approving lifts the freeze. */
export function unfreezeApprovalKind(d: Pick<ConsoleDeps, 'events'>): ApprovalKind {
  return {
    kind: UNFREEZE_KIND,
    roles: ['risk', 'admin'],
    async perform(q, request, approver) {
      const id = fromPublicId('usr', String(request.payload['customerId'] ?? ''));
      const user = id && (await findUser(q, id, { lock: true }));
      // Unfrozen or gone since the request: nothing left to do, and the approval still closes it.
      if (!user) return;
      await liftFreeze(q, d.events, user, request.decidedAt ?? new Date(), { approvalId: request.id, requestedBy: request.requestedBy, approvedBy: approver });
    },
  };
}

/** The pending unfreeze of a customer, if any (the console shows "awaiting a second operator"). */
export async function pendingUnfreeze(q: Queryable, customerId: string, now: Date): Promise<ApprovalRequest | undefined> {
  return (await pendingRequests(q, UNFREEZE_KIND, { customerId }, now))[0];
}

/**
 * `POST …/unfreeze`: unfreezes at once under the threshold, else asks for a second
 * operator. Every outcome is appended to the audit chain in this transaction (`record`).
 */
export async function requestUnfreeze(d: ConsoleDeps, customerId: string, o: { by: string; reason: string; record: AuditIn }): Promise<UnfreezeOutcome> {
  const id = fromPublicId('usr', customerId);
  const now = d.clock.now();
  const policy = d.unfreezeApproval ?? { minBalanceYen: 0, ttlMs: DEFAULT_APPROVAL_TTL_MS };
  return withTransaction(d.pool, async (q): Promise<UnfreezeOutcome> => {
    const done = async (r: UnfreezeOutcome) => {
      await o.record(q, r.kind);
      return r;
    };
    const user = id && (await findUser(q, id, { lock: true }));
    if (!user) return done({ kind: 'not_found' });
    if (!user.frozen_at) return done({ kind: 'not_frozen' });
    const { balance } = await walletView(q, user.id, d.limits, false, now);
    if (policy.minBalanceYen > 0 && balance < policy.minBalanceYen) {
      await liftFreeze(q, d.events, user, now, { approval: 'below_threshold' });
      return done({ kind: 'unfrozen' });
    }
    const waiting = await pendingUnfreeze(q, customerId, now);
    if (waiting) return done({ kind: 'already_requested', request: waiting });
    const { id: approvalId } = await requestApproval(q, {
      kind: UNFREEZE_KIND, payload: { customerId }, amount: null, requestedBy: o.by, reason: o.reason,
      subjectIds: { customerId }, now, expiresInMs: policy.ttlMs,
    });
    const request = (await pendingUnfreeze(q, customerId, now))!;
    if (request.id !== approvalId) throw new Error('the new unfreeze request is not the pending one');
    return done({ kind: 'approval_requested', request });
  });
}
