/** SQL for cases; nothing else touches the cases tables. */
import type { Queryable } from '../db/pool.js';
import type { CaseDecision, CaseKind, CaseStatus } from './types.js';

export interface CaseRow {
  id: string;
  kind: CaseKind;
  status: CaseStatus;
  user_id: string;
  subject_type: string | null;
  subject_id: string | null;
  reasons: string[];
  evidence: Record<string, unknown>;
  assigned_to: string | null;
  assigned_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  approval_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export async function insertCase(q: Queryable, c: {
  id: string; kind: CaseKind; userId: string; subjectType: string | null; subjectId: string | null;
  reasons: readonly string[]; evidence: Record<string, unknown>; now: Date;
}): Promise<void> {
  await q.query(
    `INSERT INTO cases (id, kind, user_id, subject_type, subject_id, reasons, evidence, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.id, c.kind, c.userId, c.subjectType, c.subjectId, [...c.reasons], JSON.stringify(c.evidence), c.now],
  );
}

export async function findCase(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
  const res = await q.query<CaseRow>(`SELECT * FROM cases WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
  return res.rows[0];
}

export interface CaseFilter {
  status: CaseStatus | undefined;
  kind: CaseKind | undefined;
  since: Date | undefined;
  limit: number;
}

/** The queue: oldest first, so nothing waits at the back for ever. */
export async function listCases(q: Queryable, f: CaseFilter): Promise<CaseRow[]> {
  const res = await q.query<CaseRow>(
    `SELECT * FROM cases
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
      ORDER BY created_at, id LIMIT $4`,
    [f.status ?? null, f.kind ?? null, f.since ?? null, f.limit],
  );
  return res.rows;
}

/** Takes the case for an analyst; only an open case can be taken. */
export async function assignCase(q: Queryable, id: string, who: string, now: Date): Promise<boolean> {
  const res = await q.query(`UPDATE cases SET assigned_to = $2, assigned_at = $3 WHERE id = $1 AND status = 'open'`, [id, who, now]);
  return res.rowCount === 1;
}

/** The decision, once: a second decider finds the case no longer open and changes nothing. */
export async function decideCase(q: Queryable, id: string, d: { decision: CaseDecision; who: string; reason: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `UPDATE cases SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5 WHERE id = $1 AND status = 'open'`,
    [id, d.decision, d.who, d.reason, d.now],
  );
  return res.rowCount === 1;
}

export async function setApproval(q: Queryable, id: string, approvalId: string): Promise<void> {
  await q.query(`UPDATE cases SET approval_id = $2 WHERE id = $1 AND status = 'open'`, [id, approvalId]);
}

export interface ClaimableMovement {
  id: string;
  kind: string;
  amount: number;
  /** The claiming customer's wallet paid it (debit side). */
  theirs: boolean;
  claimed: boolean;
}

/**
 * The movements a customer names in a claim, as the ledger knows them: whether their
 * wallet paid them, and whether a claim already names them. Only money out of the wallet
 * can have been taken from them (a payment, or a top-up reversed out of it).
 */
export async function findClaimableMovements(q: Queryable, walletId: string, ids: readonly string[]): Promise<ClaimableMovement[]> {
  const res = await q.query<ClaimableMovement>(
    `SELECT t.id, t.kind,
            COALESCE((SELECT r.amount FROM ledger_transfers r WHERE r.pending_id = t.id AND r.phase = 'post_pending'), t.amount) AS amount,
            (t.debit_account_id = $1 AND t.phase IN ('single', 'pending')) AS theirs,
            EXISTS (SELECT 1 FROM case_movements m WHERE m.transfer_id = t.id) AS claimed
       FROM ledger_transfers t WHERE t.id = ANY($2::uuid[])`,
    [walletId, ids],
  );
  return res.rows;
}

/** Links a claim to its movements; false when another claim took one first (unique index). */
export async function insertCaseMovements(q: Queryable, caseId: string, movements: readonly { id: string; amount: number }[]): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO case_movements (case_id, transfer_id, amount)
     SELECT $1, m.id, m.amount FROM unnest($2::uuid[], $3::bigint[]) AS m(id, amount)
     ON CONFLICT (transfer_id) DO NOTHING`,
    [caseId, movements.map((m) => m.id), movements.map((m) => m.amount)],
  );
  return res.rowCount === movements.length;
}

export interface CaseMovementRow {
  transfer_id: string;
  amount: number;
  kind: string;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export async function listCaseMovements(q: Queryable, caseId: string): Promise<CaseMovementRow[]> {
  const res = await q.query<CaseMovementRow>(
    `SELECT m.transfer_id, m.amount, t.kind, t.metadata, t.created_at
       FROM case_movements m JOIN ledger_transfers t ON t.id = m.transfer_id
      WHERE m.case_id = $1 ORDER BY t.created_at, t.id`,
    [caseId],
  );
  return res.rows;
}

export interface CompensationRow {
  case_id: string;
  transfer_id: string;
  amount: number;
  paid_by: string;
  created_at: Date;
}

/** Records the claim's one compensation; false when it was already recorded. */
export async function insertCompensation(q: Queryable, c: { caseId: string; transferId: string; amount: number; paidBy: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO case_compensations (case_id, transfer_id, amount, paid_by, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id) DO NOTHING`,
    [c.caseId, c.transferId, c.amount, c.paidBy, c.now],
  );
  return res.rowCount === 1;
}

export async function findCompensation(q: Queryable, caseId: string): Promise<CompensationRow | undefined> {
  return (await q.query<CompensationRow>(`SELECT * FROM case_compensations WHERE case_id = $1`, [caseId])).rows[0];
}

export interface MonthRow {
  month: string;
  opened: number;
  approved: number;
  rejected: number;
  paid: number;
}

/** Claims per month in Japan's time: opened by creation, decisions by decision time, money by payment time. */
export async function claimsPerMonth(q: Queryable, from: Date): Promise<MonthRow[]> {
  const month = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')`;
  const res = await q.query<MonthRow>(
    `WITH opened AS (SELECT ${month('created_at')} AS month, count(*)::int AS n FROM cases WHERE kind = 'claim' AND created_at >= $1 GROUP BY 1),
          decided AS (SELECT ${month('decided_at')} AS month, count(*) FILTER (WHERE status = 'approved')::int AS approved,
                             count(*) FILTER (WHERE status = 'rejected')::int AS rejected
                        FROM cases WHERE kind = 'claim' AND decided_at >= $1 GROUP BY 1),
          paid AS (SELECT ${month('created_at')} AS month, sum(amount)::bigint AS amount FROM case_compensations WHERE created_at >= $1 GROUP BY 1),
          months AS (SELECT month FROM opened UNION SELECT month FROM decided UNION SELECT month FROM paid)
     SELECT m.month, COALESCE(o.n, 0) AS opened, COALESCE(d.approved, 0) AS approved, COALESCE(d.rejected, 0) AS rejected,
            COALESCE(p.amount, 0)::bigint AS paid
       FROM months m LEFT JOIN opened o USING (month) LEFT JOIN decided d USING (month) LEFT JOIN paid p USING (month)
      ORDER BY m.month`,
    [from],
  );
  return res.rows;
}
