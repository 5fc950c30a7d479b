/** The approvals' SQL: the only place that reads or writes `approval_requests`. */
import type { Queryable } from '../../db/pool.js';
import type { ApprovalStatus } from './registry.js';

export interface ApprovalRow {
  id: string;
  kind: string;
  subject_ids: Record<string, string>;
  amount: number | null;
  payload: Record<string, unknown>;
  reason: string;
  requested_by: string;
  requested_at: Date;
  expires_at: Date;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

export async function insertApproval(q: Queryable, r: {
  id: string; kind: string; subjectIds: Record<string, string>; amount: number | null; payload: Record<string, unknown>;
  reason: string; requestedBy: string; requestedAt: Date; expiresAt: Date;
}): Promise<void> {
  await q.query(
    `INSERT INTO approval_requests (id, kind, subject_ids, amount, payload, reason, requested_by, requested_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.id, r.kind, JSON.stringify(r.subjectIds), r.amount, JSON.stringify(r.payload), r.reason, r.requestedBy, r.requestedAt, r.expiresAt],
  );
}

export async function findApproval(q: Queryable, id: string, o: { lock?: boolean } = {}): Promise<ApprovalRow | undefined> {
  const res = await q.query<ApprovalRow>(`SELECT * FROM approval_requests WHERE id = $1${o.lock ? ' FOR UPDATE' : ''}`, [id]);
  return res.rows[0];
}

/** The pending requests of a kind about one subject (`{ customerId: 'usr_…' }`), oldest first. */
export async function pendingFor(q: Queryable, kind: string, subjectIds: Record<string, string>, now: Date): Promise<ApprovalRow[]> {
  const res = await q.query<ApprovalRow>(
    `SELECT * FROM approval_requests
      WHERE status = 'pending' AND kind = $1 AND subject_ids @> $2::jsonb AND expires_at > $3
      ORDER BY requested_at`,
    [kind, JSON.stringify(subjectIds), now],
  );
  return res.rows;
}

/** Newest first; `before` is the last row of the previous page. */
export async function listApprovals(q: Queryable, o: { status?: ApprovalStatus; now: Date; limit: number; before?: { requestedAt: Date; id: string } }): Promise<ApprovalRow[]> {
  // A pending request past its expiry is listed as expired (it is marked so when next touched).
  const res = await q.query<ApprovalRow>(
    `SELECT * FROM (
       SELECT a.*, CASE WHEN status = 'pending' AND expires_at <= $2 THEN 'expired' ELSE status END AS shown
         FROM approval_requests a
        WHERE ($3::timestamptz IS NULL OR (requested_at, id) < ($3, $4::uuid))
     ) x
     WHERE ($1::text IS NULL OR shown = $1)
     ORDER BY requested_at DESC, id DESC LIMIT $5`,
    [o.status ?? null, o.now, o.before?.requestedAt ?? null, o.before?.id ?? null, o.limit],
  );
  return res.rows.map((r) => ({ ...r, status: (r as ApprovalRow & { shown: ApprovalStatus }).shown }));
}

/** Marks a pending request decided; false when it was no longer pending. */
export async function decideApproval(q: Queryable, id: string, d: { status: Exclude<ApprovalStatus, 'pending'>; by: string | null; at: Date; reason: string | null }): Promise<boolean> {
  const res = await q.query(
    `UPDATE approval_requests SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5
      WHERE id = $1 AND status = 'pending'`,
    [id, d.status, d.by, d.at, d.reason],
  );
  return res.rowCount === 1;
}
