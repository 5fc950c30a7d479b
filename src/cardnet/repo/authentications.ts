/** SQL for 3-D Secure authentications. */
import type { Queryable } from '../../db/pool.js';

export type AuthStatus = 'authenticated' | 'challenge_required' | 'failed';

export interface AuthRow {
  id: string;
  tokenId: string;
  amount: number;
  returnUrl: string;
  status: AuthStatus;
  codeDigest: Buffer | null;
  codeExpiresAt: Date | null;
  failedAttempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function insertAuthentication(q: Queryable, a: AuthRow): Promise<void> {
  await q.query(
    `INSERT INTO cardnet_authentications
       (id, token_id, amount, return_url, status, code_digest, code_expires_at, failed_attempts, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.id, a.tokenId, a.amount, a.returnUrl, a.status, a.codeDigest, a.codeExpiresAt, a.failedAttempts, a.createdAt, a.updatedAt],
  );
}

const COLUMNS = `id, token_id AS "tokenId", amount, return_url AS "returnUrl", status, code_digest AS "codeDigest",
  code_expires_at AS "codeExpiresAt", failed_attempts AS "failedAttempts", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** `lock` takes the row lock, so two code submissions for one challenge are judged one after the other. */
export async function findAuthentication(q: Queryable, id: string, lock = false): Promise<AuthRow | undefined> {
  const res = await q.query<AuthRow>(`SELECT ${COLUMNS} FROM cardnet_authentications WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return res.rows[0];
}

export async function updateAuthentication(
  q: Queryable, id: string, change: { status: AuthStatus; failedAttempts: number; spendCode: boolean; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE cardnet_authentications
        SET status = $2, failed_attempts = $3, updated_at = $4,
            code_digest = CASE WHEN $5::boolean THEN NULL ELSE code_digest END
      WHERE id = $1`,
    [id, change.status, change.failedAttempts, change.at, change.spendCode],
  );
}
