/**
 * Per-customer limit overrides and their history (migrations/0029_customer_limits.sql).
 * Callers that check a limit read the override in the transaction of the check, after
 * locking the customer's row: a change locks that row too (src/ops/console/limits.ts),
 * so a check sees either the whole change or none of it, never one committed behind it.
 */
import type { Queryable } from '../db/pool.js';
import type { Limits } from './limits.js';
import { applyOverride, NO_OVERRIDE, type LimitOverride } from './overrides.js';

interface OverrideRow {
  user_id: string;
  card_topup_24h: number | null;
  card_topup_30d: number | null;
  balance_max: number | null;
  payment_24h: number | null;
}

const toOverride = (r: OverrideRow): LimitOverride => ({
  cardTopup24h: r.card_topup_24h, cardTopup30d: r.card_topup_30d, balanceMax: r.balance_max, payment24h: r.payment_24h,
});

const COLUMNS = 'user_id, card_topup_24h, card_topup_30d, balance_max, payment_24h';

/** A customer's override; none (every limit the default) when they were never given one. */
export async function findOverride(q: Queryable, userId: string): Promise<LimitOverride> {
  const res = await q.query<OverrideRow>({ name: 'limits.find-override', text: `SELECT ${COLUMNS} FROM customer_limits WHERE user_id = $1`, values: [userId] });
  return res.rows[0] ? toOverride(res.rows[0]) : NO_OVERRIDE;
}

/** Many customers' overrides in one round trip (the payment batch); absent = none. */
export async function findOverrides(q: Queryable, userIds: readonly string[]): Promise<Map<string, LimitOverride>> {
  if (userIds.length === 0) return new Map();
  const res = await q.query<OverrideRow>({ name: 'limits.find-overrides', text: `SELECT ${COLUMNS} FROM customer_limits WHERE user_id = ANY($1::uuid[])`, values: [userIds] });
  return new Map(res.rows.map((r) => [r.user_id, toOverride(r)]));
}

/** The limits that apply to one customer: the configured `base` with their override. */
export async function limitsFor(q: Queryable, base: Limits, userId: string): Promise<Limits> {
  return applyOverride(base, await findOverride(q, userId));
}

export async function saveOverride(q: Queryable, userId: string, o: LimitOverride, by: string, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO customer_limits (user_id, card_topup_24h, card_topup_30d, balance_max, payment_24h, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET card_topup_24h = $2, card_topup_30d = $3, balance_max = $4, payment_24h = $5, updated_at = $6, updated_by = $7`,
    [userId, o.cardTopup24h, o.cardTopup30d, o.balanceMax, o.payment24h, now, by],
  );
}

export interface LimitChangeRecord {
  id: string;
  userId: string;
  at: Date;
  requestedBy: string;
  approvedBy: string | null;
  approvalId: string | null;
  reason: string;
  before: LimitOverride;
  after: LimitOverride;
}

export async function insertLimitChange(q: Queryable, c: LimitChangeRecord): Promise<void> {
  await q.query(
    `INSERT INTO customer_limit_changes (id, user_id, changed_at, requested_by, approved_by, approval_id, reason, old_limits, new_limits)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.id, c.userId, c.at, c.requestedBy, c.approvedBy, c.approvalId, c.reason, JSON.stringify(c.before), JSON.stringify(c.after)],
  );
}
