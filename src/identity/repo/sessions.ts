/** SQL for sessions and remembered devices. */
import type { Queryable } from '../../db/pool.js';

export interface SessionRow {
  id: string;
  user_id: string;
  device_id: string | null;
  transport: 'cookie' | 'bearer';
  created_at: Date;
  authenticated_at: Date;
  /** The last second factor passed on this session (a new-device login, a re-authentication with one); risk step-ups read it. */
  second_factor_at: Date | null;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export async function insertSession(q: Queryable, s: {
  id: string; userId: string; deviceId: string | null; tokenHash: Buffer; transport: 'cookie' | 'bearer';
  now: Date; expiresAt: Date; ip: string | null; userAgent: string | null;
}): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id, user_id, device_id, token_hash, transport, created_at, authenticated_at, last_seen_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7, $8, $9)`,
    [s.id, s.userId, s.deviceId, s.tokenHash, s.transport, s.now, s.expiresAt, s.ip, s.userAgent],
  );
}

export async function findSessionByTokenHash(q: Queryable, tokenHash: Buffer): Promise<SessionRow | undefined> {
  const res = await q.query<SessionRow>(
    `SELECT id, user_id, device_id, transport, created_at, authenticated_at, second_factor_at, last_seen_at, expires_at, revoked_at, ip, user_agent
       FROM sessions WHERE token_hash = $1`,
    [tokenHash],
  );
  return res.rows[0];
}

/** The session was opened or renewed by a second factor (not a password alone). */
export async function markSecondFactor(q: Queryable, sessionId: string, now: Date): Promise<void> {
  await q.query(`UPDATE sessions SET second_factor_at = $2 WHERE id = $1`, [sessionId, now]);
}

/** Touching is throttled by the caller: at most one write a minute per session. */
export async function touchSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, now]);
}

export async function listSessions(q: Queryable, userId: string, now: Date): Promise<SessionRow[]> {
  const res = await q.query<SessionRow>(
    `SELECT id, user_id, device_id, transport, created_at, authenticated_at, second_factor_at, last_seen_at, expires_at, revoked_at, ip, user_agent
       FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY last_seen_at DESC`,
    [userId, now],
  );
  return res.rows;
}

/** Revokes one of the user's sessions; the user id in the condition stops one customer revoking another's. */
export async function revokeSession(q: Queryable, userId: string, sessionId: string, now: Date): Promise<boolean> {
  const res = await q.query(`UPDATE sessions SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL`, [userId, sessionId, now]);
  return res.rowCount === 1;
}

export async function revokeAllSessions(q: Queryable, userId: string, now: Date, exceptSessionId?: string): Promise<number> {
  const res = await q.query(
    `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3)`,
    [userId, now, exceptSessionId ?? null],
  );
  return res.rowCount ?? 0;
}

export interface DeviceRow {
  id: string;
  user_id: string;
  label: string;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
}

export async function insertDevice(q: Queryable, d: { id: string; userId: string; label: string; now: Date }): Promise<void> {
  await q.query(`INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`, [d.id, d.userId, d.label, d.now]);
}

export async function findActiveDevice(q: Queryable, userId: string, deviceId: string): Promise<DeviceRow | undefined> {
  const res = await q.query<DeviceRow>(`SELECT * FROM devices WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, [deviceId, userId]);
  return res.rows[0];
}

export async function touchDevice(q: Queryable, deviceId: string, now: Date): Promise<void> {
  await q.query(`UPDATE devices SET last_seen_at = $2 WHERE id = $1`, [deviceId, now]);
}

export async function listDevices(q: Queryable, userId: string): Promise<DeviceRow[]> {
  return (await q.query<DeviceRow>(`SELECT * FROM devices WHERE user_id = $1 AND revoked_at IS NULL ORDER BY last_seen_at DESC`, [userId])).rows;
}

/** Revoking a device also ends the sessions it holds. */
export async function revokeDevice(q: Queryable, userId: string, deviceId: string, now: Date): Promise<boolean> {
  const res = await q.query(`UPDATE devices SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL`, [userId, deviceId, now]);
  if (res.rowCount !== 1) return false;
  await q.query(`UPDATE sessions SET revoked_at = $3 WHERE device_id = $2 AND user_id = $1 AND revoked_at IS NULL`, [userId, deviceId, now]);
  return true;
}

export async function revokeAllDevices(q: Queryable, userId: string, now: Date): Promise<void> {
  await q.query(`UPDATE devices SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, now]);
}
