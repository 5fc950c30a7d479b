/**
 * Per-customer limit changes by operators (OPS-2, WAL-5). Lowering a limit only stops
 * money and applies at once; a raise is what an insider (or a social engineer who talked
 * one round) would use to let a stolen account move more, so a change that takes any
 * limit more than `raiseThresholdYen` (APPROVAL_LIMIT_RAISE_YEN, default 0: every raise)
 * above its configured default becomes a request a second risk or admin operator approves
 * (kind `customer_limits`, src/ops/approvals/). A change is applied as a whole: one that
 * lowers one limit and raises another waits whole — send the lowering on its own to have
 * it at once.
 *
 * Every change locks the customer's row first, as top-ups and payments do before they
 * read the limits (src/wallet/overrides-repo.ts), writes the override and its history row,
 * tells the customer (security event `limits_changed`: e-mail and push, with a "this
 * wasn't me" link) and appends to the audit chain — all in one transaction.
 */
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { SecurityEvents } from '../../identity/events.js';
import { findUser, type UserRow } from '../../identity/repo/users.js';
import { fromPublicId, newUuid } from '../../shared/ids.js';
import type { Limits } from '../../wallet/limits.js';
import {
  applyOverride, changed, defaultsOf, describeChange, needsApproval, OVERRIDABLE, parseChanges, type LimitChanges, type LimitOverride, type OverridableLimit,
} from '../../wallet/overrides.js';
import { findOverride, insertLimitChange, saveOverride } from '../../wallet/overrides-repo.js';
import { storable } from '../audit/chain.js';
import { appendAudit } from '../audit/log.js';
import { DEFAULT_APPROVAL_TTL_MS, requestApproval, type ApprovalKind, type ApprovalRequest } from '../approvals/index.js';
import { pendingRequests } from '../approvals/service.js';
import type { ConsoleDeps } from './customers.js';

export const LIMITS_KIND = 'customer_limits';

export interface LimitsApprovalPolicy {
  /** A raise ending more than this many yen above the default needs a second operator; 0: every raise above the default. */
  raiseThresholdYen: number;
  ttlMs: number;
}

/** Appends the outcome to the audit chain in the change's transaction, with what changed. */
export type LimitsAuditIn = (q: Queryable, outcome: string, change: string) => Promise<void>;

export type LimitsOutcome =
  | { kind: 'changed'; limits: Limits; override: LimitOverride }
  /** The change asks for what is already so: nothing is written, nobody told. */
  | { kind: 'unchanged'; limits: Limits; override: LimitOverride }
  | { kind: 'approval_requested'; request: ApprovalRequest }
  | { kind: 'not_found' };

type LimitsDeps = Pick<ConsoleDeps, 'pool' | 'clock' | 'limits' | 'events' | 'limitsApproval'>;

const LABELS: Record<OverridableLimit, { ja: string; en: string }> = {
  cardTopup24h: { ja: 'カードチャージ（24時間）', en: 'Card top-ups per 24 h' },
  cardTopup30d: { ja: 'カードチャージ（30日間）', en: 'Card top-ups per 30 days' },
  balanceMax: { ja: '残高の上限', en: 'Balance maximum' },
  payment24h: { ja: 'お支払い（24時間）', en: 'Payments per 24 h' },
};

/** The notice's detail: each changed limit, old → new, in the customer's language. */
export function limitsNoticeDetail(locale: 'ja' | 'en', base: Limits, before: LimitOverride, after: LimitOverride): string {
  const d = defaultsOf(base);
  const yen = (n: number) => (locale === 'ja' ? `${n.toLocaleString('en-US')}円` : `¥${n.toLocaleString('en-US')}`);
  return OVERRIDABLE.filter((k) => (before[k] ?? d[k]) !== (after[k] ?? d[k]))
    .map((k) => `${LABELS[k][locale]}: ${yen(before[k] ?? d[k])} → ${yen(after[k] ?? d[k])}`).join('\n');
}

interface Applied { before: LimitOverride; after: LimitOverride; change: string }

/**
 * Writes the new override with the customer's row locked by the caller: the override,
 * its history row and the customer's notice. The audit row is the caller's (last, since
 * it holds the chain's head lock until commit).
 */
async function applyChange(q: Queryable, d: Pick<LimitsDeps, 'limits' | 'events'>, user: UserRow, c: {
  changes: LimitChanges; requestedBy: string; approvedBy: string | null; approvalId: string | null; reason: string; now: Date;
}): Promise<Applied | undefined> {
  const before = await findOverride(q, user.id);
  const after = changed(before, c.changes);
  const change = describeChange(defaultsOf(d.limits), before, after);
  if (!change) return undefined;
  await saveOverride(q, user.id, after, c.approvedBy ?? c.requestedBy, c.now);
  await insertLimitChange(q, {
    id: newUuid(), userId: user.id, at: c.now, requestedBy: c.requestedBy, approvedBy: c.approvedBy, approvalId: c.approvalId,
    reason: storable(c.reason), before, after,
  });
  // Nothing about who or why: the customer learns what their limits are now. Pinning a
  // limit at its default's value changes nothing they can see, so tells them nothing.
  const detail = limitsNoticeDetail(user.locale, d.limits, before, after);
  if (detail) await d.events.record(q, user, 'limits_changed', { ip: null, deviceId: null, now: c.now }, { detail, details: { via: 'operator', before, after } });
  return { before, after, change };
}

/** Registered with the approvals registry: risk and admin approve; approving applies the change asked for. */
export function limitsApprovalKind(d: Pick<ConsoleDeps, 'limits' | 'events' | 'clock'>): ApprovalKind {
  return {
    kind: LIMITS_KIND,
    roles: ['risk', 'admin'],
    async perform(q, request, approver) {
      const customerId = String(request.payload['customerId'] ?? '');
      const id = fromPublicId('usr', customerId);
      const changes = parseChanges(request.payload['changes']);
      if (!changes) throw new Error(`${LIMITS_KIND} ${request.id}: malformed payload`);
      const user = id && (await findUser(q, id, { lock: true }));
      // A customer gone since the request: nothing to change, and the approval still closes it.
      if (!user) return;
      const now = request.decidedAt ?? d.clock.now();
      // The values asked for, over the override as it stands now (a lowering made while
      // the request waited stays, unless this request names the same limit).
      const applied = await applyChange(q, d, user, { changes, requestedBy: request.requestedBy, approvedBy: approver, approvalId: request.id, reason: request.reason, now });
      await appendAudit(q, {
        who: approver, action: 'customer.limits',
        ids: { customerId, approvalId: request.id, requestedBy: request.requestedBy, change: applied?.change },
        outcome: applied ? 'changed' : 'unchanged',
      }, now);
    },
  };
}

/** Limit changes of a customer waiting for a second operator, oldest first. */
export async function pendingLimitChanges(q: Queryable, customerId: string, now: Date): Promise<ApprovalRequest[]> {
  return pendingRequests(q, LIMITS_KIND, { customerId }, now);
}

/**
 * `PUT …/limits`: applies at once when nothing is raised beyond the threshold, else asks
 * for a second operator. Every outcome is appended to the audit chain in this transaction.
 */
export async function changeCustomerLimits(d: LimitsDeps, customerId: string, o: { by: string; reason: string; changes: LimitChanges; record: LimitsAuditIn }): Promise<LimitsOutcome> {
  const id = fromPublicId('usr', customerId);
  const now = d.clock.now();
  const policy = d.limitsApproval ?? { raiseThresholdYen: 0, ttlMs: DEFAULT_APPROVAL_TTL_MS };
  return withTransaction(d.pool, async (q): Promise<LimitsOutcome> => {
    const user = id && (await findUser(q, id, { lock: true }));
    if (!user) {
      await o.record(q, 'not_found', '');
      return { kind: 'not_found' };
    }
    const current = await findOverride(q, user.id);
    const next = changed(current, o.changes);
    const defaults = defaultsOf(d.limits);
    const change = describeChange(defaults, current, next);
    if (!change) {
      await o.record(q, 'unchanged', '');
      return { kind: 'unchanged', limits: applyOverride(d.limits, current), override: current };
    }
    if (needsApproval(defaults, current, next, policy.raiseThresholdYen)) {
      const { id: approvalId } = await requestApproval(q, {
        kind: LIMITS_KIND, payload: { customerId, changes: o.changes }, amount: null, requestedBy: o.by, reason: o.reason,
        subjectIds: { customerId }, now, expiresInMs: policy.ttlMs,
      });
      const request = (await pendingLimitChanges(q, customerId, now)).find((r) => r.id === approvalId)!;
      await o.record(q, 'approval_requested', change);
      return { kind: 'approval_requested', request };
    }
    await applyChange(q, d, user, { changes: o.changes, requestedBy: o.by, approvedBy: null, approvalId: null, reason: o.reason, now });
    await o.record(q, 'changed', change);
    return { kind: 'changed', limits: applyOverride(d.limits, next), override: next };
  });
}
