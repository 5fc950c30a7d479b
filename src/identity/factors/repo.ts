/** SQL for second factors: TOTP secrets, recovery codes and passkeys. */
import type { Queryable } from '../../db/pool.js';
import type { SecondFactorMethod } from '../deps.js';

export interface TotpRow {
  user_id: string;
  secret_sealed: string;
  confirmed_at: Date | null;
  last_used_step: number;
}

/** The methods the account can use now: a confirmed TOTP, an unused recovery code, any passkey. */
export async function factorMethods(q: Queryable, userId: string): Promise<Exclude<SecondFactorMethod, 'sms'>[]> {
  const r = (await q.query<{ totp: boolean; recovery: boolean; passkey: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
            EXISTS (SELECT 1 FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS recovery,
            EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1) AS passkey`,
    [userId],
  )).rows[0]!;
  return [...(r.totp ? ['totp' as const] : []), ...(r.recovery ? ['recovery_code' as const] : []), ...(r.passkey ? ['passkey' as const] : [])];
}

/**
 * Stores a new unconfirmed secret, replacing an earlier unconfirmed one; answers false
 * (and changes nothing) when the account already has a confirmed authenticator.
 */
export async function upsertPendingTotp(q: Queryable, userId: string, secretSealed: string): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO totp_factors (user_id, secret_sealed) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, last_used_step = 0
     WHERE totp_factors.confirmed_at IS NULL`,
    [userId, secretSealed],
  );
  return res.rowCount === 1;
}

/** Locks the row: two verifications of one account's codes run one after the other. */
export async function lockTotp(q: Queryable, userId: string): Promise<TotpRow | undefined> {
  return (await q.query<TotpRow>(`SELECT * FROM totp_factors WHERE user_id = $1 FOR UPDATE`, [userId])).rows[0];
}

export async function findTotp(q: Queryable, userId: string): Promise<TotpRow | undefined> {
  return (await q.query<TotpRow>(`SELECT * FROM totp_factors WHERE user_id = $1`, [userId])).rows[0];
}

/**
 * Records `step` as the last accepted step of a confirmed authenticator, only if it is
 * later than the stored one: the replay check and the write are one atomic statement.
 */
export async function acceptTotpStep(q: Queryable, userId: string, step: number): Promise<boolean> {
  const res = await q.query(
    `UPDATE totp_factors SET last_used_step = $2 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_used_step < $2`,
    [userId, step],
  );
  return res.rowCount === 1;
}

/** Confirms a pending authenticator with the step of the code that proved it (not reusable at login). */
export async function confirmTotp(q: Queryable, userId: string, step: number, now: Date): Promise<boolean> {
  const res = await q.query(
    `UPDATE totp_factors SET confirmed_at = $3, last_used_step = $2 WHERE user_id = $1 AND confirmed_at IS NULL AND last_used_step < $2`,
    [userId, step, now],
  );
  return res.rowCount === 1;
}

/** Deletes the authenticator; says whether there was none, an unconfirmed or a confirmed one. */
export async function deleteTotp(q: Queryable, userId: string): Promise<'none' | 'pending' | 'confirmed'> {
  const res = await q.query<{ confirmed_at: Date | null }>(`DELETE FROM totp_factors WHERE user_id = $1 RETURNING confirmed_at`, [userId]);
  const row = res.rows[0];
  return !row ? 'none' : row.confirmed_at ? 'confirmed' : 'pending';
}

/** A new set replaces every earlier code, used or not. */
export async function replaceRecoveryCodes(q: Queryable, userId: string, codes: { id: string; hash: Buffer }[], now: Date): Promise<void> {
  await q.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
  await q.query(
    `INSERT INTO recovery_codes (id, user_id, code_hash, created_at)
     SELECT id, $2, code_hash, $4 FROM unnest($1::uuid[], $3::bytea[]) AS c (id, code_hash)`,
    [codes.map((c) => c.id), userId, codes.map((c) => c.hash), now],
  );
}

/**
 * Marks the code used if it is unused. One conditional UPDATE: of two concurrent uses,
 * the second waits on the row lock, re-reads `used_at` and matches nothing. The lookup
 * is by keyed hash, so the equality's timing reveals nothing about the codes.
 */
export async function consumeRecoveryCode(q: Queryable, userId: string, hash: Buffer, now: Date): Promise<boolean> {
  const res = await q.query(
    `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
    [userId, hash, now],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function recoveryCodeStats(q: Queryable, userId: string): Promise<{ remaining: number; createdAt: Date | null }> {
  const r = (await q.query<{ remaining: number; created_at: Date | null }>(
    `SELECT count(*) FILTER (WHERE used_at IS NULL)::int AS remaining, max(created_at) AS created_at FROM recovery_codes WHERE user_id = $1`,
    [userId],
  )).rows[0]!;
  return { remaining: r.remaining, createdAt: r.created_at };
}

export interface PasskeyRow {
  id: string;
  user_id: string;
  public_key: Buffer;
  counter: number;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
}

/** Undefined when the credential id is already registered (to anyone): no silent takeover of a row. */
export async function insertPasskey(q: Queryable, p: {
  id: string; userId: string; publicKey: Uint8Array; counter: number; transports: string[];
  deviceType: string; backedUp: boolean; label: string; now: Date;
}): Promise<PasskeyRow | undefined> {
  const res = await q.query<PasskeyRow>(
    `INSERT INTO passkeys (id, user_id, public_key, counter, transports, device_type, backed_up, label, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING *`,
    [p.id, p.userId, Buffer.from(p.publicKey), p.counter, p.transports, p.deviceType, p.backedUp, p.label, p.now],
  );
  return res.rows[0];
}

export async function listPasskeys(q: Queryable, userId: string): Promise<PasskeyRow[]> {
  return (await q.query<PasskeyRow>(`SELECT * FROM passkeys WHERE user_id = $1 ORDER BY created_at`, [userId])).rows;
}

export async function findPasskey(q: Queryable, id: string): Promise<PasskeyRow | undefined> {
  return (await q.query<PasskeyRow>(`SELECT * FROM passkeys WHERE id = $1`, [id])).rows[0];
}

/** Locks the passkey: two assertions of one credential are checked one after the other. */
export async function lockPasskey(q: Queryable, id: string): Promise<PasskeyRow | undefined> {
  return (await q.query<PasskeyRow>(`SELECT * FROM passkeys WHERE id = $1 FOR UPDATE`, [id])).rows[0];
}

/**
 * Stores the new signature counter if it moved forward (or both are 0: authenticators
 * without a counter). The condition repeats the check in SQL so a stale read cannot
 * store a counter that went backwards.
 */
export async function recordPasskeyUse(q: Queryable, id: string, counter: number, backedUp: boolean, now: Date): Promise<boolean> {
  const res = await q.query(
    `UPDATE passkeys SET counter = $2, backed_up = $3, last_used_at = $4
      WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))`,
    [id, counter, backedUp, now],
  );
  return res.rowCount === 1;
}

/** The user id in the condition stops one customer removing another's passkey. */
export async function deletePasskey(q: Queryable, userId: string, id: string): Promise<PasskeyRow | undefined> {
  return (await q.query<PasskeyRow>(`DELETE FROM passkeys WHERE id = $2 AND user_id = $1 RETURNING *`, [userId, id])).rows[0];
}
