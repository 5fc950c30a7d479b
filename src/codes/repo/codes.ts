/** SQL for payment codes. Only digests are stored; the code itself never reaches the database. */
import type { Queryable } from '../../db/pool.js';

/**
 * Marks the device's open codes superseded: the app has moved on to a newer code, so an
 * older one (a screenshot, a photo over the shoulder) dies at once, not when it expires.
 */
export async function supersedeOpenCodes(q: Queryable, deviceId: string, now: Date): Promise<number> {
  const res = await q.query(
    `UPDATE payment_codes SET superseded_at = $2 WHERE device_id = $1 AND used_at IS NULL AND superseded_at IS NULL`,
    [deviceId, now],
  );
  return res.rowCount ?? 0;
}

/** False on a digest already stored (a repeat of some earlier code): the caller draws again. */
export async function insertCode(q: Queryable, c: {
  id: string; digest: Buffer; userId: string; deviceId: string; sessionId: string; now: Date; expiresAt: Date;
}): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO payment_codes (id, code_digest, user_id, device_id, session_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code_digest) DO NOTHING`,
    [c.id, c.digest, c.userId, c.deviceId, c.sessionId, c.now, c.expiresAt],
  );
  return res.rowCount === 1;
}

export interface CodeRow {
  id: string;
  user_id: string;
  device_id: string;
  expires_at: Date;
  used_at: Date | null;
  superseded_at: Date | null;
  /** The device or session that made the code was signed out since (a lost phone, "this wasn't me"). */
  revoked: boolean;
}

/**
 * The code behind a digest, with whether its device and session still stand. `lock`
 * takes the code row only (FOR UPDATE OF): two tills racing on one code queue here, and
 * the second sees what the first did.
 */
export async function findCode(q: Queryable, digest: Buffer, opts: { lock: boolean }): Promise<CodeRow | undefined> {
  const res = await q.query<CodeRow>(
    `SELECT c.id, c.user_id, c.device_id, c.expires_at, c.used_at, c.superseded_at,
            (d.revoked_at IS NOT NULL OR s.revoked_at IS NOT NULL) AS revoked
       FROM payment_codes c
       JOIN devices d ON d.id = c.device_id
       JOIN sessions s ON s.id = c.session_id
      WHERE c.code_digest = $1 ${opts.lock ? 'FOR UPDATE OF c' : ''}`,
    [digest],
  );
  return res.rows[0];
}

export async function markUsed(q: Queryable, id: string, now: Date): Promise<boolean> {
  const res = await q.query(`UPDATE payment_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND superseded_at IS NULL`, [id, now]);
  return res.rowCount === 1;
}
