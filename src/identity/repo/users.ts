/** SQL for customer accounts. */
import type { Queryable } from '../../db/pool.js';

export interface UserRow {
  id: string;
  email: string;
  phone: string;
  password_hash: string;
  password_changed_at: Date;
  must_reset_password: boolean;
  locale: 'ja' | 'en';
  frozen_at: Date | null;
  frozen_reason: string | null;
  restricted_until: Date | null;
  created_at: Date;
}

const COLUMNS = `id, email, phone, password_hash, password_changed_at, must_reset_password, locale,
                 frozen_at, frozen_reason, restricted_until, created_at`;

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email])).rows[0];
}

export async function findUserByPhone(q: Queryable, phone: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE phone = $1`, [phone])).rows[0];
}

export async function findUser(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function findUsers(q: Queryable, ids: readonly string[]): Promise<UserRow[]> {
  return (await q.query<UserRow>({ name: 'users.find-many', text: `SELECT ${COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, values: [ids] })).rows;
}

/**
 * Creates the account; answers false when the e-mail or phone was taken meanwhile
 * (a concurrent sign-up), so the caller can refuse without an exception.
 */
export async function insertUser(q: Queryable, u: { id: string; email: string; phone: string; passwordHash: string; locale: 'ja' | 'en'; now: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, locale, created_at)
     VALUES ($1, $2, $6, $3, $6, $4, $6, $5, $6) ON CONFLICT DO NOTHING`,
    [u.id, u.email, u.phone, u.passwordHash, u.locale, u.now],
  );
  return res.rowCount === 1;
}

export async function setRestrictedUntil(q: Queryable, userId: string, until: Date): Promise<void> {
  await q.query(`UPDATE users SET restricted_until = GREATEST(coalesce(restricted_until, $2), $2) WHERE id = $1`, [userId, until]);
}

export async function setMustResetPassword(q: Queryable, userId: string): Promise<void> {
  await q.query(`UPDATE users SET must_reset_password = true WHERE id = $1`, [userId]);
}

export async function freezeUser(q: Queryable, userId: string, reason: string, now: Date): Promise<void> {
  await q.query(`UPDATE users SET frozen_at = coalesce(frozen_at, $3), frozen_reason = coalesce(frozen_reason, $2) WHERE id = $1`, [userId, reason, now]);
}

/** Lifts a freeze (an operator's decision); false when the account was not frozen. */
export async function unfreezeUser(q: Queryable, userId: string): Promise<boolean> {
  const res = await q.query(`UPDATE users SET frozen_at = NULL, frozen_reason = NULL WHERE id = $1 AND frozen_at IS NOT NULL`, [userId]);
  return res.rowCount === 1;
}

/** A new password hash; a forced reset (breached password) is satisfied by it. */
export async function setPassword(q: Queryable, userId: string, passwordHash: string, now: Date): Promise<void> {
  await q.query(`UPDATE users SET password_hash = $2, password_changed_at = $3, must_reset_password = false WHERE id = $1`, [userId, passwordHash, now]);
}

/**
 * Switches a verified contact; false when another account took the address or number
 * meanwhile. A savepoint keeps the caller's transaction usable after the unique violation.
 */
export async function setContact(q: Queryable, userId: string, field: 'email' | 'phone', value: string, now: Date): Promise<boolean> {
  await q.query('SAVEPOINT set_contact');
  try {
    await q.query(
      field === 'email'
        ? `UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1`
        : `UPDATE users SET phone = $2, phone_verified_at = $3 WHERE id = $1`,
      [userId, value, now],
    );
    await q.query('RELEASE SAVEPOINT set_contact');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await q.query('ROLLBACK TO SAVEPOINT set_contact');
    return false;
  }
}
