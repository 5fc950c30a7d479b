/** SQL for cards: the only place that reads or writes the cards table. */
import type { Queryable } from '../db/pool.js';

export type CardStatus = 'pending' | 'active' | 'failed' | 'removed';

export interface CardRow {
  id: string;
  user_id: string;
  psp_token: string;
  fingerprint: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  status: CardStatus;
  authentication_id: string | null;
  failure_code: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertCard(q: Queryable, c: Omit<CardRow, 'failure_code' | 'updated_at'>): Promise<void> {
  await q.query(
    `INSERT INTO cards (id, user_id, psp_token, fingerprint, brand, last4, exp_month, exp_year, status, authentication_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [c.id, c.user_id, c.psp_token, c.fingerprint, c.brand, c.last4, c.exp_month, c.exp_year, c.status, c.authentication_id, c.created_at],
  );
}

export async function findCard(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<CardRow | undefined> {
  return (await q.query<CardRow>(`SELECT * FROM cards WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function listCards(q: Queryable, userId: string, statuses: readonly CardStatus[]): Promise<CardRow[]> {
  return (await q.query<CardRow>(`SELECT * FROM cards WHERE user_id = $1 AND status = ANY($2) ORDER BY created_at`, [userId, statuses])).rows;
}

/** Cards that hold a place on the account: active ones and set-ups still in their window. */
export async function countHeldCards(q: Queryable, userId: string, pendingSince: Date): Promise<number> {
  const res = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cards WHERE user_id = $1 AND (status = 'active' OR (status = 'pending' AND created_at > $2))`,
    [userId, pendingSince],
  );
  return res.rows[0]!.n;
}

export async function findActiveByFingerprint(q: Queryable, fingerprint: string): Promise<CardRow | undefined> {
  return (await q.query<CardRow>(`SELECT * FROM cards WHERE fingerprint = $1 AND status = 'active'`, [fingerprint])).rows[0];
}

/** Failed security-code checks since `since`, for one card (any account) and for one account. */
export async function countCvcFailures(q: Queryable, fingerprint: string, userId: string, since: Date): Promise<{ card: number; account: number; oldest: Date | null }> {
  const res = await q.query<{ card: number; account: number; oldest: Date | null }>(
    `SELECT count(*) FILTER (WHERE fingerprint = $1)::int AS card,
            count(*) FILTER (WHERE user_id = $2)::int AS account,
            min(updated_at) AS oldest
       FROM cards
      WHERE failure_code = 'incorrect_cvc' AND updated_at > $3 AND (fingerprint = $1 OR user_id = $2)`,
    [fingerprint, userId, since],
  );
  return res.rows[0]!;
}

export async function setCardAuthentication(q: Queryable, id: string, authenticationId: string, now: Date): Promise<void> {
  await q.query(`UPDATE cards SET authentication_id = $2, updated_at = $3 WHERE id = $1`, [id, authenticationId, now]);
}

/** Moves a card between states; false when it was no longer in `from` (someone else moved it). */
export async function transitionCard(q: Queryable, id: string, from: CardStatus, to: CardStatus, now: Date, failureCode: string | null = null): Promise<boolean> {
  const res = await q.query(
    `UPDATE cards SET status = $3, failure_code = coalesce($4, failure_code), updated_at = $5 WHERE id = $1 AND status = $2`,
    [id, from, to, failureCode, now],
  );
  return res.rowCount === 1;
}
