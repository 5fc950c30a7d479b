/** SQL for operator accounts and their console sessions (migrations/0018_operators.sql). */
import type { Queryable } from '../db/pool.js';

export type OperatorRole = 'support' | 'risk' | 'admin';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['support', 'risk', 'admin'];

export interface OperatorRow {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  password_hash: string;
  totp_secret_sealed: string;
  totp_last_step: number;
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS = 'id, email, name, role, password_hash, totp_secret_sealed, totp_last_step::float8 AS totp_last_step, created_at, disabled_at';

/** Answers false when the e-mail address is taken (the unique index), without an exception. */
export async function insertOperator(q: Queryable, o: { id: string; email: string; name: string; role: OperatorRole; passwordHash: string; totpSecretSealed: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO operators (id, email, name, role, password_hash, totp_secret_sealed, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [o.id, o.email, o.name, o.role, o.passwordHash, o.totpSecretSealed, o.now],
  );
  return res.rowCount === 1;
}

export async function findOperatorByEmail(q: Queryable, email: string): Promise<OperatorRow | undefined> {
  return (await q.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE email = $1`, [email])).rows[0];
}

export async function findOperator(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<OperatorRow | undefined> {
  return (await q.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function listOperators(q: Queryable): Promise<OperatorRow[]> {
  return (await q.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators ORDER BY created_at, id`)).rows;
}

/** Burns a TOTP time step: false when that step (or a later one) was already used. */
export async function acceptOperatorTotpStep(q: Queryable, id: string, step: number): Promise<boolean> {
  const res = await q.query(`UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, [id, step]);
  return res.rowCount === 1;
}

/** Disables the account and ends its sessions; false when there is no such enabled operator. */
export async function disableOperator(q: Queryable, email: string, now: Date): Promise<boolean> {
  const res = await q.query<{ id: string }>(`UPDATE operators SET disabled_at = $2 WHERE email = $1 AND disabled_at IS NULL RETURNING id`, [email, now]);
  const id = res.rows[0]?.id;
  if (!id) return false;
  await q.query(`UPDATE operator_sessions SET revoked_at = $2 WHERE operator_id = $1 AND revoked_at IS NULL`, [id, now]);
  return true;
}

export interface OperatorSessionRow {
  id: string;
  operator_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export async function insertOperatorSession(q: Queryable, s: {
  id: string; operatorId: string; tokenHash: Buffer; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null;
}): Promise<void> {
  await q.query(
    `INSERT INTO operator_sessions (id, operator_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
    [s.id, s.operatorId, s.tokenHash, s.now, s.expiresAt, s.ip, s.userAgent],
  );
}

/** Who a console session speaks for: what a request needs, never the hash or the sealed secret. */
export type OperatorPrincipal = Pick<OperatorRow, 'id' | 'email' | 'name' | 'role' | 'disabled_at'>;

/** The session and its operator in one round trip: every console request asks this. */
export async function findOperatorSession(q: Queryable, tokenHash: Buffer): Promise<{ session: OperatorSessionRow; operator: OperatorPrincipal } | undefined> {
  const res = await q.query<OperatorSessionRow & { email: string; name: string; role: OperatorRole; disabled_at: Date | null }>(
    `SELECT s.id, s.operator_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, o.email, o.name, o.role, o.disabled_at
       FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
      WHERE s.token_hash = $1`,
    [tokenHash],
  );
  const r = res.rows[0];
  if (!r) return undefined;
  return {
    session: { id: r.id, operator_id: r.operator_id, created_at: r.created_at, last_seen_at: r.last_seen_at, expires_at: r.expires_at, revoked_at: r.revoked_at },
    operator: { id: r.operator_id, email: r.email, name: r.name, role: r.role, disabled_at: r.disabled_at },
  };
}

export async function touchOperatorSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE operator_sessions SET last_seen_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, now]);
}

export async function revokeOperatorSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE operator_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, now]);
}
