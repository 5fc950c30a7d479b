/** SQL for card tokens. */
import type { Queryable } from '../../db/pool.js';
import type { Profile } from '../test-cards.js';

export interface TokenRow {
  id: string;
  fingerprint: string;
  profile: Profile;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  holderName: string;
  phone: string;
  createdAt: Date;
}

export async function insertToken(q: Queryable, t: TokenRow): Promise<void> {
  await q.query(
    `INSERT INTO cardnet_tokens (id, fingerprint, profile, brand, last4, exp_month, exp_year, holder_name, phone, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [t.id, t.fingerprint, t.profile, t.brand, t.last4, t.expMonth, t.expYear, t.holderName, t.phone, t.createdAt],
  );
}

export async function findToken(q: Queryable, id: string): Promise<TokenRow | undefined> {
  const res = await q.query<TokenRow>(
    `SELECT id, fingerprint, profile, brand, last4, exp_month AS "expMonth", exp_year AS "expYear",
            holder_name AS "holderName", phone, created_at AS "createdAt"
       FROM cardnet_tokens WHERE id = $1`,
    [id],
  );
  return res.rows[0];
}
