/**
 * SQL for the risk engine: the signals, read set-based, and the decision log.
 *
 * The account signals come in one statement for any number of asks, because the payment
 * batch asks for all its payers at once (one round trip per batch, not per payment).
 * Every sub-read goes through an index on (user_id, created_at) or a primary key.
 */
import type { Queryable } from '../db/pool.js';

/** What a security event kind means to the recent-recovery rule: a reset or a new way in. */
export const RECOVERY_KINDS = ['recovery_completed', 'email_changed', 'phone_changed'] as const;

export interface AccountAsk {
  userId: string;
  deviceId: string | null;
  /** The paying store, for impossible travel; null elsewhere. */
  storeId: string | null;
}

export interface AccountSignalsRow {
  email: string;
  locale: 'ja' | 'en';
  device_created_at: Date | null;
  device_first: boolean | null;
  /** The device's latest second factor, on any of its sessions (payments: the code's device). */
  device_second_factor_at: Date | null;
  recovered_at: Date | null;
  topups: number;
  topup_amount: string;
  payments: number;
  payment_amount: string;
  last_topup_amount: string | null;
  last_topup_at: Date | null;
  prev_payment_at: Date | null;
  prev_lat: number | null;
  prev_lon: number | null;
  store_lat: number | null;
  store_lon: number | null;
}

/** One row per ask, in order; an ask whose user does not exist gets undefined. */
export async function accountSignals(
  q: Queryable, asks: readonly AccountAsk[], since: Date, lookback: Date,
): Promise<(AccountSignalsRow | undefined)[]> {
  if (asks.length === 0) return [];
  const res = await q.query<AccountSignalsRow & { ord: string }>(
    `SELECT a.ord, u.email, u.locale,
            dev.created_at AS device_created_at, dev.first AS device_first, dev.second_factor_at AS device_second_factor_at,
            (SELECT max(e.created_at) FROM security_events e
              WHERE e.user_id = a.user_id AND e.kind = ANY($6::text[]) AND e.created_at > $5) AS recovered_at,
            tu.n AS topups, tu.amount AS topup_amount, pa.n AS payments, pa.amount AS payment_amount,
            lt.amount AS last_topup_amount, lt.at AS last_topup_at,
            pp.created_at AS prev_payment_at, ps.latitude AS prev_lat, ps.longitude AS prev_lon,
            st.latitude AS store_lat, st.longitude AS store_lon
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS a(user_id, device_id, store_id, ord)
       JOIN users u ON u.id = a.user_id
       LEFT JOIN LATERAL (
         SELECT d.created_at,
                NOT EXISTS (SELECT 1 FROM devices o WHERE o.user_id = d.user_id AND o.created_at < d.created_at) AS first,
                (SELECT max(s.second_factor_at) FROM sessions s
                  WHERE s.user_id = d.user_id AND s.device_id = d.id AND s.revoked_at IS NULL) AS second_factor_at
           FROM devices d WHERE d.id = a.device_id AND d.user_id = a.user_id AND d.revoked_at IS NULL
       ) dev ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS n, coalesce(sum(t.amount), 0)::bigint AS amount
           FROM card_topups t WHERE t.user_id = a.user_id AND t.created_at > $4
       ) tu ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS n, coalesce(sum(p.amount), 0)::bigint AS amount
           FROM payments p WHERE p.user_id = a.user_id AND p.created_at > $4 AND p.status = 'approved'
       ) pa ON true
       LEFT JOIN LATERAL (
         SELECT t.amount, t.updated_at AS at FROM card_topups t
          WHERE t.user_id = a.user_id AND t.created_at > $5 AND t.status = 'succeeded'
          ORDER BY t.created_at DESC LIMIT 1
       ) lt ON true
       LEFT JOIN LATERAL (
         SELECT p.created_at, p.store_id FROM payments p WHERE p.user_id = a.user_id ORDER BY p.created_at DESC LIMIT 1
       ) pp ON a.store_id IS NOT NULL
       LEFT JOIN stores ps ON ps.id = pp.store_id
       LEFT JOIN stores st ON st.id = a.store_id
      ORDER BY a.ord`,
    [asks.map((a) => a.userId), asks.map((a) => a.deviceId), asks.map((a) => a.storeId), since, lookback, RECOVERY_KINDS],
  );
  const byOrd = new Map(res.rows.map((r) => [Number(r.ord), r]));
  return asks.map((_, i) => byOrd.get(i + 1));
}

export interface AddressSignalsRow {
  accounts: number;
  cards_tried: number;
  card_failures: number;
  signups: number;
  accounts_on_card: number;
  /** Distinct accounts signed in on the install in the window, this one counted too; 0 without an install id. */
  accounts_on_install: number;
  /** Accounts made on the install in the window; 0 without an install id. */
  signups_from_install: number;
}

/**
 * What one client address has been doing in the window: the accounts seen there (by
 * their sessions), the cards those accounts tried and how many were refused (cards that
 * failed verification, top-ups the network refused), the sign-ups made from it; and how
 * many accounts ever held the card at hand. `userId` counts as seen there.
 *
 * The same for the client's install (`install`: the install id's digest): accounts signed
 * in and sign-ups on it, from `install_accounts` (one row per install and account, read by
 * its primary key: as many rows as the install has had accounts).
 */
export async function addressSignals(
  q: Queryable, input: { ip: string | null; install: Buffer | null; userId: string | null; fingerprint: string | null; since: Date },
): Promise<AddressSignalsRow> {
  const res = await q.query<AddressSignalsRow>(
    `WITH near AS (
       SELECT DISTINCT s.user_id FROM sessions s WHERE $1::text IS NOT NULL AND s.ip = $1 AND s.created_at > $4
       UNION SELECT $2::uuid WHERE $2::uuid IS NOT NULL
     )
     SELECT (SELECT count(*) FROM near)::int AS accounts,
            (SELECT count(DISTINCT c.fingerprint) FROM cards c WHERE c.user_id IN (SELECT user_id FROM near) AND c.created_at > $4)::int AS cards_tried,
            ((SELECT count(*) FROM cards c WHERE c.user_id IN (SELECT user_id FROM near) AND c.failure_code IS NOT NULL AND c.updated_at > $4)
             + (SELECT count(*) FROM card_topups t WHERE t.user_id IN (SELECT user_id FROM near) AND t.status = 'failed'
                  AND t.failure_code NOT IN ('canceled_by_customer', 'challenge_expired') AND t.created_at > $4))::int AS card_failures,
            (SELECT count(*) FROM security_events e WHERE $1::text IS NOT NULL AND e.ip = $1 AND e.kind = 'account_created' AND e.created_at > $4)::int AS signups,
            -- Accounts the card was verified on (active now, or removed since), this one counted too.
            (SELECT count(*) FROM (SELECT c.user_id FROM cards c WHERE c.fingerprint = $3 AND c.status IN ('active', 'removed')
                                   UNION SELECT $2::uuid WHERE $2::uuid IS NOT NULL AND $3::text IS NOT NULL) h)::int AS accounts_on_card,
            (SELECT count(*) FROM (SELECT i.user_id FROM install_accounts i WHERE i.install_hash = $5 AND i.last_seen_at > $4
                                   UNION SELECT $2::uuid WHERE $2::uuid IS NOT NULL AND $5::bytea IS NOT NULL) ia)::int AS accounts_on_install,
            (SELECT count(*) FROM install_accounts i WHERE i.install_hash = $5 AND i.signed_up AND i.first_seen_at > $4)::int AS signups_from_install`,
    [input.ip, input.userId, input.fingerprint, input.since, input.install],
  );
  return res.rows[0]!;
}

export interface DecisionRow {
  id: string;
  action: string;
  user_id: string | null;
  subject_id: string | null;
  outcome: string;
  reasons: string[];
  signals: unknown;
  created_at: Date;
}

/** The decision log: any number of decisions in one statement. */
export async function insertDecisions(q: Queryable, rows: readonly DecisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO risk_decisions (id, action, user_id, subject_id, outcome, reasons, signals, created_at)
     SELECT x.id, x.action, x.user_id, x.subject_id, x.outcome, x.reasons, x.signals, x.created_at
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, action text, user_id uuid, subject_id text, outcome text, reasons text[], signals jsonb, created_at timestamptz)`,
    [JSON.stringify(rows)],
  );
}

/** Where to tell customers about a stopped payment. */
export async function contactsOf(q: Queryable, userIds: readonly string[]): Promise<Map<string, { email: string; locale: 'ja' | 'en' }>> {
  if (userIds.length === 0) return new Map();
  const res = await q.query<{ id: string; email: string; locale: 'ja' | 'en' }>(`SELECT id, email, locale FROM users WHERE id = ANY($1::uuid[])`, [userIds]);
  return new Map(res.rows.map((r) => [r.id, { email: r.email, locale: r.locale }]));
}
