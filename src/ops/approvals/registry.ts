/**
 * The kinds of action that wait for a second operator (OPS-2), each registered once at
 * start-up by the module that owns the action (unfreeze: src/ops/console/; compensation
 * refunds: src/cases/). The approvals service knows no kind: on approval it looks the kind
 * up here, checks the approver's role against `roles`, and runs `perform` in the same
 * transaction that marks the request approved — so an approval without its action, or an
 * action without its approval, can never commit.
 *
 *     registerApprovalKind({
 *       kind: 'compensation_refund',
 *       roles: ['risk', 'admin'],
 *       perform: async (q, request, approver) => { … refund request.payload … },
 *     });
 *
 * `perform` must have no side effects outside the database (it may run again when the
 * transaction is retried); messages go through the outbox. Throwing aborts the approval:
 * the request stays pending and the error reaches the approver.
 */
import type { Queryable } from '../../db/pool.js';
import type { OperatorRole } from '../../operators/repo.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** One request as the registry's `perform` and the API see it. */
export interface ApprovalRequest {
  /** `apr_…` */
  readonly id: string;
  readonly kind: string;
  /** The ids the action is about (`{ customerId: 'usr_…' }`), for listing and the audit log. */
  readonly subjectIds: Readonly<Record<string, string>>;
  /** Yen, when the action moves money; null otherwise. */
  readonly amount: number | null;
  /** What `perform` needs, as the requester's module wrote it. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** `opr_…`, `operator-token` or `cli:<user>`. */
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly reason: string;
  readonly status: ApprovalStatus;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
}

export interface ApprovalKind {
  readonly kind: string;
  /** The roles that may approve (or reject) this kind. */
  readonly roles: readonly OperatorRole[];
  /** Does the action, in the approval's transaction. */
  readonly perform: (q: Queryable, request: ApprovalRequest, approver: string) => Promise<void>;
}

const kinds = new Map<string, ApprovalKind>();

/**
 * Registers a kind. Registering the same kind again replaces it (each test server
 * registers its own, bound to its own dependencies); the last one wins.
 */
export function registerApprovalKind(k: ApprovalKind): void {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(k.kind)) throw new Error(`approval kind ${JSON.stringify(k.kind)}: use lower_snake_case`);
  if (k.roles.length === 0) throw new Error(`approval kind ${k.kind}: no role may approve it`);
  kinds.set(k.kind, Object.freeze({ ...k, roles: Object.freeze([...k.roles]) }));
}

export function approvalKind(kind: string): ApprovalKind | undefined {
  return kinds.get(kind);
}
