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
 * The codes behind the digests (those that exist), with whether their device and session
 * still stand. `lock` takes the code rows only (FOR UPDATE OF): two tills racing on one
 * code queue here, and the second sees what the first did.
 */
export async function findCodes(q: Queryable, digests: readonly Buffer[], opts: { lock: boolean }): Promise<(CodeRow & { code_digest: Buffer })[]> {
  const res = await q.query<CodeRow & { code_digest: Buffer }>(
    `SELECT c.id, c.code_digest, c.user_id, c.device_id, c.expires_at, c.used_at, c.superseded_at,
            (d.revoked_at IS NOT NULL OR s.revoked_at IS NOT NULL) AS revoked
       FROM payment_codes c
       JOIN devices d ON d.id = c.device_id
       JOIN sessions s ON s.id = c.session_id
      WHERE c.code_digest = ANY($1::bytea[]) ORDER BY c.id ${opts.lock ? 'FOR UPDATE OF c' : ''}`,
    [digests],
  );
  return res.rows;
}

/**
 * Uses the codes up in one statement, each that can pay: not used, not superseded, not
 * expired, its device and session still standing. Answers the rows it used (`findCodes`
 * says why the others could not). The UPDATE takes the row locks, so two tills racing
 * on one code queue here and the second finds it used.
 */
export async function useCodesIfValid(q: Queryable, digests: readonly Buffer[], now: Date): Promise<(Pick<CodeRow, 'id' | 'user_id' | 'device_id'> & { code_digest: Buffer })[]> {
  const res = await q.query<Pick<CodeRow, 'id' | 'user_id' | 'device_id'> & { code_digest: Buffer }>({
    name: 'codes.use',
    // The rows are found by their digests alone (the inner query can only use the digest's
    // unique index): with the open-codes conditions beside it, a plan made when few codes
    // were open scanned the partial open-codes index instead, 26 ms a payment.
    text: `UPDATE payment_codes c SET used_at = $2
             FROM devices d, sessions s
            WHERE c.id IN (SELECT x.id FROM payment_codes x WHERE x.code_digest = ANY($1::bytea[]))
              AND d.id = c.device_id AND s.id = c.session_id
              AND c.used_at IS NULL AND c.superseded_at IS NULL AND c.expires_at > $2
              AND d.revoked_at IS NULL AND s.revoked_at IS NULL
        RETURNING c.id, c.user_id, c.device_id, c.code_digest`,
    values: [digests, now],
  });
  return res.rows;
}

/** Gives a code back: the payment that used it was declined after all. */
export async function releaseCodes(q: Queryable, ids: readonly string[]): Promise<void> {
  await q.query(`UPDATE payment_codes SET used_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
}

