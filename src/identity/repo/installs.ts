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
