/** SQL for external identities (migrations/0019_oidc.sql). */
import type { Queryable } from '../../db/pool.js';

export interface ExternalIdentityRow {
  id: string;
  user_id: string;
  provider: string;
  issuer: string;
  subject: string;
  email: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

/** The account an (issuer, subject) pair is linked to, if any. */
export async function findByIssuerSubject(q: Queryable, issuer: string, subject: string): Promise<ExternalIdentityRow | undefined> {
  const res = await q.query<ExternalIdentityRow>(`SELECT * FROM external_identities WHERE issuer = $1 AND subject = $2`, [issuer, subject]);
  return res.rows[0];
}

export async function listForUser(q: Queryable, userId: string): Promise<ExternalIdentityRow[]> {
  const res = await q.query<ExternalIdentityRow>(`SELECT * FROM external_identities WHERE user_id = $1 ORDER BY created_at`, [userId]);
  return res.rows;
}

/**
 * Links unless the pair or the account's slot for this provider is taken; both are unique
 * indexes, so two racing links cannot both win. Answers which one was in the way.
 */
export async function insertLink(q: Queryable, l: { id: string; userId: string; provider: string; issuer: string; subject: string; email: string | null; now: Date }): Promise<'linked' | 'conflict'> {
  const res = await q.query(
    `INSERT INTO external_identities (id, user_id, provider, issuer, subject, email, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [l.id, l.userId, l.provider, l.issuer, l.subject, l.email, l.now],
  );
  return res.rowCount === 1 ? 'linked' : 'conflict';
}

export async function deleteLink(q: Queryable, userId: string, provider: string): Promise<boolean> {
  const res = await q.query(`DELETE FROM external_identities WHERE user_id = $1 AND provider = $2`, [userId, provider]);
  return (res.rowCount ?? 0) > 0;
}

export async function touchLink(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE external_identities SET last_used_at = $2 WHERE id = $1`, [id, now]);
}

/** Whether the session that started a link is still signed in (not signed out, frozen away or expired). */
export async function isSessionLive(q: Queryable, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const res = await q.query(
    `SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3`,
    [sessionId, userId, now],
  );
  return (res.rowCount ?? 0) > 0;
}
