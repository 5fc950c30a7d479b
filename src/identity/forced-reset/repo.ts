/** SQL for forced password resets of many accounts (migrations/0021_password_resets.sql). */
import type { Queryable } from '../../db/pool.js';

export interface ResetRunRow {
  id: string;
  status: 'running' | 'completed';
  reason: string;
  since: Date | null;
  selected_before: Date;
  total: string;
  cursor: string | null;
  processed: string;
  sessions_revoked: string;
  notices_queued: string;
  started_by: string;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

const RUN_COLUMNS = `id, status, reason, since, selected_before, total, cursor, processed, sessions_revoked,
                     notices_queued, started_by, created_at, updated_at, completed_at`;

/**
 * Which accounts a run covers: created before it began, and with `since`, created or
 * signed in (a session opened) since then. `$1` is selected_before, `$2` since.
 */
const SELECTED = `u.created_at < $1 AND ($2::timestamptz IS NULL OR u.created_at >= $2
                  OR EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.created_at >= $2))`;

export async function countSelected(q: Queryable, selectedBefore: Date, since: Date | null): Promise<number> {
  const res = await q.query<{ n: string }>(`SELECT count(*) AS n FROM users u WHERE ${SELECTED}`, [selectedBefore, since]);
  return Number(res.rows[0]!.n);
}

/** False when another run is unfinished (the partial unique index said no). */
export async function insertRun(q: Queryable, r: { id: string; reason: string; since: Date | null; total: number; startedBy: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO password_reset_runs (id, status, reason, since, selected_before, total, started_by, created_at, updated_at)
     VALUES ($1, 'running', $2, $3, $5, $4, $6, $5, $5) ON CONFLICT DO NOTHING`,
    [r.id, r.reason, r.since, r.total, r.now, r.startedBy],
  );
  return res.rowCount === 1;
}

export async function findRun(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<ResetRunRow | undefined> {
  return (await q.query<ResetRunRow>(`SELECT ${RUN_COLUMNS} FROM password_reset_runs WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function findRunningRun(q: Queryable): Promise<ResetRunRow | undefined> {
  return (await q.query<ResetRunRow>(`SELECT ${RUN_COLUMNS} FROM password_reset_runs WHERE status = 'running'`)).rows[0];
}

export async function latestRuns(q: Queryable, limit: number): Promise<ResetRunRow[]> {
  return (await q.query<ResetRunRow>(`SELECT ${RUN_COLUMNS} FROM password_reset_runs ORDER BY created_at DESC, id DESC LIMIT $1`, [limit])).rows;
}

export interface MarkedAccount {
  id: string;
  email: string;
  locale: 'ja' | 'en';
}

/**
 * Marks the next `limit` selected accounts after `cursor` (users.id order) as having to
 * reset their password, and returns them. One statement: the selection and the update
 * see the same rows.
 */
export async function markNextBatch(q: Queryable, run: Pick<ResetRunRow, 'selected_before' | 'since' | 'cursor'>, limit: number): Promise<MarkedAccount[]> {
  const res = await q.query<MarkedAccount>({
    name: 'forced-reset.mark',
    text: `UPDATE users SET must_reset_password = true
            WHERE id IN (SELECT u.id FROM users u WHERE ${SELECTED} AND ($3::uuid IS NULL OR u.id > $3) ORDER BY u.id LIMIT $4)
           RETURNING id, email, locale`,
    values: [run.selected_before, run.since, run.cursor, limit],
  });
  return res.rows;
}

/** Ends every live session of the accounts; how many ended. Devices stay remembered. */
export async function revokeSessionsOf(q: Queryable, userIds: readonly string[], now: Date): Promise<number> {
  const res = await q.query({
    name: 'forced-reset.revoke-sessions',
    text: `UPDATE sessions SET revoked_at = $2 WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL`,
    values: [userIds, now],
  });
  return res.rowCount ?? 0;
}

/** One `password_reset_required` security event per account, in one statement. */
export async function insertResetEvents(q: Queryable, events: readonly { id: string; userId: string }[], details: Record<string, unknown>, now: Date): Promise<void> {
  await q.query({
    name: 'forced-reset.events',
    text: `INSERT INTO security_events (id, user_id, kind, ip, device_id, details, created_at)
           SELECT e.id, e.user_id, 'password_reset_required', NULL, NULL, $3::jsonb, $4
             FROM unnest($1::uuid[], $2::uuid[]) AS e(id, user_id)`,
    values: [events.map((e) => e.id), events.map((e) => e.userId), JSON.stringify(details), now],
  });
}

/** Moves the run past a committed batch; `done` when the batch was the last. */
export async function advanceRun(q: Queryable, id: string, b: { cursor: string | null; processed: number; sessionsRevoked: number; notices: number; done: boolean; now: Date }): Promise<void> {
  await q.query(
    `UPDATE password_reset_runs
        SET cursor = coalesce($2, cursor), processed = processed + $3, sessions_revoked = sessions_revoked + $4,
            notices_queued = notices_queued + $5, updated_at = $6,
            status = CASE WHEN $7 THEN 'completed' ELSE status END,
            completed_at = CASE WHEN $7 THEN $6 ELSE completed_at END
      WHERE id = $1`,
    [id, b.cursor, b.processed, b.sessionsRevoked, b.notices, b.now, b.done],
  );
}
