/** SQL for verification flows and their one-time-code challenges. */
import type { Queryable } from '../../db/pool.js';

export type FlowKind = 'signup' | 'login' | 'recovery' | 'change_email' | 'change_phone' | 'passkey_register' | 'passkey_login'
  | 'reauth' | 'freeze' | 'device_unlock' | 'oidc';

export interface FlowRow {
  id: string;
  kind: FlowKind;
  user_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
  failed_at: Date | null;
}

/** Neither finished, failed nor expired: the only state in which a flow takes a step. */
export function isLive(flow: FlowRow | undefined, now: Date): flow is FlowRow {
  return !!flow && !flow.completed_at && !flow.failed_at && flow.expires_at.getTime() > now.getTime();
}

export async function insertFlow(q: Queryable, f: { id: string; kind: FlowKind; userId: string | null; data: Record<string, unknown>; now: Date; expiresAt: Date }): Promise<void> {
  await q.query(
    `INSERT INTO auth_flows (id, kind, user_id, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [f.id, f.kind, f.userId, JSON.stringify(f.data), f.now, f.expiresAt],
  );
}

/** Several flows in one statement. */
export async function insertFlows(q: Queryable, fs: readonly { id: string; kind: FlowKind; userId: string | null; data: Record<string, unknown>; now: Date; expiresAt: Date }[]): Promise<void> {
  await q.query({
    name: 'flows.insert-many',
    text: `INSERT INTO auth_flows (id, kind, user_id, data, created_at, expires_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[])`,
    values: [fs.map((f) => f.id), fs.map((f) => f.kind), fs.map((f) => f.userId), fs.map((f) => JSON.stringify(f.data)), fs.map((f) => f.now), fs.map((f) => f.expiresAt)],
  });
}

/** Inserts the flow unless one with this id exists (two first requests racing); true when inserted. */
export async function insertFlowIfAbsent(q: Queryable, f: { id: string; kind: FlowKind; userId: string | null; data: Record<string, unknown>; now: Date; expiresAt: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO auth_flows (id, kind, user_id, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [f.id, f.kind, f.userId, JSON.stringify(f.data), f.now, f.expiresAt],
  );
  return res.rowCount === 1;
}

/** Locks the flow row: every step of one flow runs one at a time. */
export async function lockFlow(q: Queryable, id: string, kind: FlowKind): Promise<FlowRow | undefined> {
  const res = await q.query<FlowRow>(`SELECT * FROM auth_flows WHERE id = $1 AND kind = $2 FOR UPDATE`, [id, kind]);
  return res.rows[0];
}

export async function updateFlowData(q: Queryable, id: string, data: Record<string, unknown>): Promise<void> {
  await q.query(`UPDATE auth_flows SET data = $2 WHERE id = $1`, [id, JSON.stringify(data)]);
}

/** Ends the flow and drops what it carried (a password hash, pending addresses). */
export async function completeFlow(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE auth_flows SET completed_at = $2, data = '{}'::jsonb WHERE id = $1`, [id, now]);
}

export async function failFlow(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE auth_flows SET failed_at = $2, data = '{}'::jsonb WHERE id = $1 AND failed_at IS NULL`, [id, now]);
}

export interface ChallengeRow {
  id: string;
  flow_id: string;
  purpose: string;
  channel: 'email' | 'sms';
  destination: string;
  code_hash: Buffer | null;
  expires_at: Date;
  failures: number;
  sends: number;
  last_sent_at: Date | null;
  verified_at: Date | null;
}

export async function insertChallenge(q: Queryable, c: { id: string; flowId: string; purpose: string; channel: 'email' | 'sms'; destination: string; expiresAt: Date }): Promise<void> {
  await q.query(
    `INSERT INTO otp_challenges (id, flow_id, purpose, channel, destination, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.id, c.flowId, c.purpose, c.channel, c.destination, c.expiresAt],
  );
}

export async function lockChallenge(q: Queryable, flowId: string, purpose: string): Promise<ChallengeRow | undefined> {
  const res = await q.query<ChallengeRow>(`SELECT * FROM otp_challenges WHERE flow_id = $1 AND purpose = $2 FOR UPDATE`, [flowId, purpose]);
  return res.rows[0];
}

export async function listChallenges(q: Queryable, flowId: string): Promise<ChallengeRow[]> {
  const res = await q.query<ChallengeRow>(`SELECT * FROM otp_challenges WHERE flow_id = $1 ORDER BY purpose`, [flowId]);
  return res.rows;
}

/** A new code replaces the old one; the failure count stays (ID-3). */
export async function recordSend(q: Queryable, id: string, codeHash: Buffer, now: Date, expiresAt: Date): Promise<void> {
  await q.query(
    `UPDATE otp_challenges SET code_hash = $2, sends = sends + 1, last_sent_at = $3, expires_at = $4 WHERE id = $1`,
    [id, codeHash, now, expiresAt],
  );
}

export async function recordFailure(q: Queryable, id: string): Promise<number> {
  const res = await q.query<{ failures: number }>(`UPDATE otp_challenges SET failures = failures + 1 WHERE id = $1 RETURNING failures`, [id]);
  return res.rows[0]!.failures;
}

/** Single use: the hash is erased as the code is accepted. */
export async function recordVerified(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE otp_challenges SET verified_at = $2, code_hash = NULL WHERE id = $1`, [id, now]);
}

/**
 * Deletes up to `limit` flows that expired before `before`, with their one-time-code
 * challenges; returns how many flows went. SKIP LOCKED keeps servers off each other's rows.
 */
export async function deleteExpiredFlows(q: Queryable, before: Date, limit: number): Promise<number> {
  const res = await q.query(
    `WITH doomed AS (SELECT id FROM auth_flows WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
          codes AS (DELETE FROM otp_challenges WHERE flow_id IN (SELECT id FROM doomed))
     DELETE FROM auth_flows WHERE id IN (SELECT id FROM doomed)`,
    [before, limit],
  );
  return res.rowCount ?? 0;
}
