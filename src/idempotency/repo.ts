/** SQL for idempotency keys. */
import type { Queryable } from '../db/pool.js';

export interface KeyRow {
  scope: string;
  key: string;
  request_digest: Buffer;
  state: 'started' | 'done';
  locked_until: Date;
  claim_id: string | null;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

/**
 * How a claim meets an existing row ($4 now, $6 the replay window in ms, $7 the claim
 * id): it takes over a row past the replay window, or a started one whose lock lapsed
 * for the same request; any other row stays as it is, and the claim is not made.
 */
const TAKE_OVER = `ON CONFLICT (scope, key) DO UPDATE
       SET request_digest = EXCLUDED.request_digest, state = 'started', locked_until = EXCLUDED.locked_until,
           claim_id = EXCLUDED.claim_id, response_status = NULL, response_body = NULL, created_at = EXCLUDED.created_at
     WHERE idempotency_keys.created_at <= $4::timestamptz - make_interval(secs => $6::float8 / 1000)
        OR (idempotency_keys.state = 'started' AND idempotency_keys.locked_until <= $4
            AND idempotency_keys.request_digest = EXCLUDED.request_digest)`;

/**
 * Claims a key: inserts it, or takes over a row that expired (older than the replay
 * window) or whose holder abandoned it (a crash before its transaction committed).
 * Returns the row as it stands after the attempt and whether this call holds it.
 */
export async function claimKey(
  q: Queryable, k: { scope: string; key: string; digest: Buffer; claimId: string; now: Date; lockMs: number; windowMs: number },
): Promise<{ claimed: boolean; row: KeyRow }> {
  const inserted = await q.query<KeyRow>(
    `INSERT INTO idempotency_keys (scope, key, request_digest, state, locked_until, claim_id, created_at)
     VALUES ($1, $2, $3, 'started', $4::timestamptz + make_interval(secs => $5::float8 / 1000), $7, $4)
     ${TAKE_OVER}
     RETURNING *`,
    [k.scope, k.key, k.digest, k.now, k.lockMs, k.windowMs, k.claimId],
  );
  if (inserted.rows[0]) return { claimed: true, row: inserted.rows[0] };
  const existing = await q.query<KeyRow>(`SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2`, [k.scope, k.key]);
  return { claimed: false, row: existing.rows[0]! };
}

/**
 * Locks the key for the business transaction, if this claim still holds it; false when
 * the claim was taken over (the request outlived its lock and a retry ran instead).
 */
export async function holdClaim(q: Queryable, scope: string, key: string, claimId: string): Promise<boolean> {
  const res = await q.query(
    `SELECT 1 FROM idempotency_keys WHERE scope = $1 AND key = $2 AND claim_id = $3 AND state = 'started' FOR UPDATE`,
    [scope, key, claimId],
  );
  return res.rowCount === 1;
}

/** Records the answer; runs inside the business transaction. */
export async function completeKey(q: Queryable, scope: string, key: string, status: number, body: unknown): Promise<void> {
  await q.query(
    `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`,
    [scope, key, status, JSON.stringify(body)],
  );
}

/** Lets the key be used again (the request failed before anything was recorded). */
export async function releaseKey(q: Queryable, scope: string, key: string, claimId: string): Promise<void> {
  await q.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'started' AND claim_id = $3`, [scope, key, claimId]);
}

export async function deleteOlderThan(q: Queryable, before: Date, limit: number): Promise<number> {
  const res = await q.query(
    `DELETE FROM idempotency_keys WHERE (scope, key) IN (SELECT scope, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2)`,
    [before, limit],
  );
  return res.rowCount ?? 0;
}

export interface KeyRef {
  scope: string;
  key: string;
}

/**
 * Claims keys inside the business transaction of a batch (the payment batcher): the
 * rows are written under the transaction's locks, so the claim and the answer commit
 * together or not at all, and a concurrent request with one of these keys waits on the
 * row, then finds the answer. Takes over rows past the replay window and abandoned
 * claims of the same request, as `claimKey` does. Answers the keys this call holds.
 */
export async function claimKeysHere(
  q: Queryable, keys: readonly (KeyRef & { digest: Buffer })[], k: { claimId: string; now: Date; lockMs: number; windowMs: number },
): Promise<KeyRef[]> {
  const res = await q.query<KeyRef>({
    name: 'idempotency.claim-here',
    // In key order, so two batches with keys in common cannot deadlock.
    text: `INSERT INTO idempotency_keys (scope, key, request_digest, state, locked_until, claim_id, created_at)
           SELECT r.scope, r.key, r.digest, 'started', $4::timestamptz + make_interval(secs => $5::float8 / 1000), $7, $4
             FROM unnest($1::text[], $2::text[], $3::bytea[]) AS r(scope, key, digest) ORDER BY r.scope, r.key
           ${TAKE_OVER}
           RETURNING scope, key`,
    values: [keys.map((x) => x.scope), keys.map((x) => x.key), keys.map((x) => x.digest), k.now, k.lockMs, k.windowMs, k.claimId],
  });
  return res.rows;
}

export async function findKeys(q: Queryable, keys: readonly KeyRef[]): Promise<KeyRow[]> {
  return (await q.query<KeyRow>(
    `SELECT k.* FROM idempotency_keys k JOIN unnest($1::text[], $2::text[]) AS r(scope, key) ON k.scope = r.scope AND k.key = r.key`,
    [keys.map((x) => x.scope), keys.map((x) => x.key)],
  )).rows;
}

/** Records the answers of a batch; runs inside its business transaction. */
export async function completeKeys(q: Queryable, done: readonly (KeyRef & { status: number; body: unknown })[]): Promise<void> {
  await q.query({
    name: 'idempotency.complete-many',
    text: `UPDATE idempotency_keys k SET state = 'done', response_status = r.status, response_body = r.body
             FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[]) AS r(scope, key, status, body)
            WHERE k.scope = r.scope AND k.key = r.key`,
    values: [done.map((x) => x.scope), done.map((x) => x.key), done.map((x) => x.status), done.map((x) => JSON.stringify(x.body))],
  });
}
