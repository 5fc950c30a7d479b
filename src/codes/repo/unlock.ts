/** SQL for app PINs, session unlocks and the device a code is made on. */
import type { Queryable } from '../../db/pool.js';

/**
 * Locks the customer's live device row: payment codes of one device are made one at a
 * time, so two concurrent issues cannot both leave a code open (one supersedes the
 * other). Undefined when the device is revoked or another customer's.
 */
export async function lockLiveDevice(q: Queryable, userId: string, deviceId: string): Promise<{ id: string; label: string } | undefined> {
  const res = await q.query<{ id: string; label: string }>(`SELECT id, label FROM devices WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL FOR UPDATE`, [deviceId, userId]);
  return res.rows[0];
}

export interface PinRow {
  device_id: string;
  user_id: string;
  pin_hash: string | null;
  failures: number;
  set_at: Date;
  disabled_at: Date | null;
}

/** Locks the device's PIN: guesses are judged one after the other, so the count of five is exact. */
export async function lockPin(q: Queryable, deviceId: string): Promise<PinRow | undefined> {
  return (await q.query<PinRow>(`SELECT * FROM device_pins WHERE device_id = $1 FOR UPDATE`, [deviceId])).rows[0];
}

/** A new PIN starts afresh: no failures, enabled. */
export async function upsertPin(q: Queryable, p: { deviceId: string; userId: string; pinHash: string; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO device_pins (device_id, user_id, pin_hash, failures, set_at) VALUES ($1, $2, $3, 0, $4)
     ON CONFLICT (device_id) DO UPDATE SET pin_hash = EXCLUDED.pin_hash, failures = 0, set_at = EXCLUDED.set_at, disabled_at = NULL`,
    [p.deviceId, p.userId, p.pinHash, p.now],
  );
}

export async function recordPinFailure(q: Queryable, deviceId: string): Promise<number> {
  const res = await q.query<{ failures: number }>(`UPDATE device_pins SET failures = failures + 1 WHERE device_id = $1 RETURNING failures`, [deviceId]);
  return res.rows[0]!.failures;
}

/** Disabled for good: the hash is erased, so only a new PIN (privileged) brings it back. */
export async function disablePin(q: Queryable, deviceId: string, now: Date): Promise<void> {
  await q.query(`UPDATE device_pins SET pin_hash = NULL, disabled_at = $2 WHERE device_id = $1`, [deviceId, now]);
}

export async function resetPinFailures(q: Queryable, deviceId: string): Promise<void> {
  await q.query(`UPDATE device_pins SET failures = 0 WHERE device_id = $1 AND failures <> 0`, [deviceId]);
}

export async function recordUnlock(q: Queryable, u: { sessionId: string; userId: string; deviceId: string; method: 'pin' | 'passkey'; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO session_unlocks (session_id, user_id, device_id, method, unlocked_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (session_id) DO UPDATE SET method = EXCLUDED.method, unlocked_at = EXCLUDED.unlocked_at`,
    [u.sessionId, u.userId, u.deviceId, u.method, u.now],
  );
}

export async function findUnlock(q: Queryable, sessionId: string): Promise<{ unlocked_at: Date; device_id: string } | undefined> {
  return (await q.query<{ unlocked_at: Date; device_id: string }>(`SELECT unlocked_at, device_id FROM session_unlocks WHERE session_id = $1`, [sessionId])).rows[0];
}
