/** SQL for card top-ups and handled card-network events. */
import type { Queryable } from '../db/pool.js';

export type TopupStatus = 'requires_action' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface TopupRow {
  id: string;
  user_id: string;
  card_id: string;
  amount: number;
  status: TopupStatus;
  authentication_id: string | null;
  challenge_url: string | null;
  pending_transfer_id: string;
  resolved_transfer_id: string | null;
  failure_code: string | null;
  action_expires_at: Date;
  next_check_at: Date | null;
  checks: number;
  charged_back_at: Date | null;
  /** Held by the risk engine: waiting for an analyst, not yet sent to the card network. */
  held_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertTopup(q: Queryable, t: Pick<TopupRow, 'id' | 'user_id' | 'card_id' | 'amount' | 'pending_transfer_id' | 'action_expires_at' | 'created_at' | 'held_at'>): Promise<void> {
  await q.query(
    `INSERT INTO card_topups (id, user_id, card_id, amount, status, pending_transfer_id, action_expires_at, created_at, updated_at, held_at)
     VALUES ($1, $2, $3, $4, 'requires_action', $5, $6, $7, $7, $8)`,
    [t.id, t.user_id, t.card_id, t.amount, t.pending_transfer_id, t.action_expires_at, t.created_at, t.held_at],
  );
}

/** The challenge of a released top-up; a top-up that already has one keeps it. */
export async function setTopupAuthenticationOnce(q: Queryable, id: string, authenticationId: string, challengeUrl: string | null, now: Date): Promise<void> {
  await q.query(
    `UPDATE card_topups SET authentication_id = $2, challenge_url = $3, updated_at = $4
      WHERE id = $1 AND authentication_id IS NULL AND held_at IS NULL AND status = 'requires_action'`,
    [id, authenticationId, challengeUrl, now],
  );
}

/** An analyst approved the held top-up: the customer's next confirm starts its challenge. */
export async function releaseHeld(q: Queryable, id: string, actionExpiresAt: Date, now: Date): Promise<TopupRow | undefined> {
  return (await q.query<TopupRow>(
    `UPDATE card_topups SET held_at = NULL, action_expires_at = $2, updated_at = $3
      WHERE id = $1 AND held_at IS NOT NULL AND status = 'requires_action' RETURNING *`,
    [id, actionExpiresAt, now],
  )).rows[0];
}

export async function findTopup(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<TopupRow | undefined> {
  return (await q.query<TopupRow>(`SELECT * FROM card_topups WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function setTopupAuthentication(q: Queryable, id: string, authenticationId: string, challengeUrl: string | null, now: Date): Promise<void> {
  await q.query(`UPDATE card_topups SET authentication_id = $2, challenge_url = $3, updated_at = $4 WHERE id = $1`, [id, authenticationId, challengeUrl, now]);
}

/**
 * requires_action → processing, once: the caller that wins goes on to charge the card.
 * The first check is booked now, so a server that dies mid-charge leaves the top-up to
 * the reconciliation job.
 */
export async function claimForCharge(q: Queryable, id: string, now: Date, checkAt: Date): Promise<TopupRow | undefined> {
  const res = await q.query<TopupRow>(
    `UPDATE card_topups SET status = 'processing', next_check_at = $3, updated_at = $2
      WHERE id = $1 AND status = 'requires_action' RETURNING *`,
    [id, now, checkAt],
  );
  return res.rows[0];
}

export async function scheduleCheck(q: Queryable, id: string, at: Date, now: Date): Promise<void> {
  await q.query(`UPDATE card_topups SET next_check_at = $2, updated_at = $3 WHERE id = $1 AND status = 'processing'`, [id, at, now]);
}

export async function finishTopup(q: Queryable, id: string, to: 'succeeded' | 'failed' | 'canceled', resolvedTransferId: string, failureCode: string | null, now: Date): Promise<void> {
  await q.query(
    `UPDATE card_topups SET status = $2, resolved_transfer_id = $3, failure_code = $4, next_check_at = NULL, updated_at = $5 WHERE id = $1`,
    [id, to, resolvedTransferId, failureCode, now],
  );
}

export async function markChargedBack(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE card_topups SET charged_back_at = $2, updated_at = $2 WHERE id = $1`, [id, now]);
}

/** Top-ups whose challenge window has passed (settling locks each row and re-checks it). */
export async function listLapsedChallenges(q: Queryable, now: Date, limit: number): Promise<TopupRow[]> {
  return (await q.query<TopupRow>(
    `SELECT * FROM card_topups WHERE status = 'requires_action' AND action_expires_at <= $1
      ORDER BY action_expires_at LIMIT $2`,
    [now, limit],
  )).rows;
}

/**
 * Top-ups in flight that are due a check, leased to this caller: the next check moves
 * out by `leaseMs`, so another server's job leaves them alone meanwhile.
 */
export async function leaseDueChecks(q: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<TopupRow[]> {
  return (await q.query<TopupRow>(
    `UPDATE card_topups SET next_check_at = $2, checks = checks + 1
      WHERE id IN (SELECT id FROM card_topups WHERE status = 'processing' AND next_check_at <= $1
                    ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, leaseUntil, limit],
  )).rows;
}

/** Records a card-network event id; false when it was handled before (webhooks repeat). */
export async function recordNetworkEvent(q: Queryable, id: string, type: string, now: Date): Promise<boolean> {
  const res = await q.query(`INSERT INTO card_network_events (id, type, received_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [id, type, now]);
  return res.rowCount === 1;
}
