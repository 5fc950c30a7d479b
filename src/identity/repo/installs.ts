/** SQL for install ids seen signing in (RISK-1 signal; the risk engine reads them in src/risk/repo.ts). */
import type { Queryable } from '../../db/pool.js';

/**
 * This account signed in (or, with `signup`, was made) on this install now. One row per
 * (install, account): a repeat sign-in only moves `last_seen_at`, so the row count stays
 * the number of accounts the install has had.
 */
export async function recordInstall(q: Queryable, r: { digest: Buffer; userId: string; now: Date; signup: boolean }): Promise<void> {
  await q.query(
    `INSERT INTO install_accounts (install_hash, user_id, first_seen_at, last_seen_at, signed_up) VALUES ($1, $2, $3, $3, $4)
     ON CONFLICT (install_hash, user_id) DO UPDATE SET last_seen_at = GREATEST(install_accounts.last_seen_at, EXCLUDED.last_seen_at)`,
    [r.digest, r.userId, r.now, r.signup],
  );
}

/**
 * Forgets (install, account) pairs not seen since `before`: an install id is a tracking
 * identifier, kept no longer than the risk rules and an analyst looking back need.
 */
export async function deleteStaleInstalls(q: Queryable, before: Date, limit: number): Promise<number> {
  const res = await q.query(
    `DELETE FROM install_accounts WHERE (install_hash, user_id) IN (
       SELECT install_hash, user_id FROM install_accounts WHERE last_seen_at < $1 ORDER BY last_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
  return res.rowCount ?? 0;
}
