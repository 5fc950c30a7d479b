/** SQL for wallet-level reads over the ledger: usage within limit windows. */
import type { Queryable } from '../db/pool.js';

export interface UsageRow {
  card_topups_24h: number;
  card_topups_30d: number;
  payments_24h: number;
}

/**
 * Amounts moved in the windows: top-ups credited to the wallet and payments debited
 * from it, counting pending (in-flight) transfers unless they were voided, and counting
 * a posted pending transfer at its posted amount.
 */
export async function usageSince(q: Queryable, walletId: string, since24h: Date, since30d: Date): Promise<UsageRow> {
  const res = await q.query<UsageRow>(
    `WITH moves AS (
       SELECT t.kind, t.created_at, t.debit_account_id, t.credit_account_id,
              CASE WHEN r.phase = 'post_pending' THEN r.amount WHEN r.phase = 'void_pending' THEN 0 ELSE t.amount END AS amount
         FROM ledger_transfers t
         LEFT JOIN ledger_transfers r ON r.pending_id = t.id
        WHERE (t.credit_account_id = $1 OR t.debit_account_id = $1)
          AND t.phase IN ('single', 'pending') AND t.created_at > $3)
     SELECT coalesce(sum(amount) FILTER (WHERE kind = 'topup_card' AND credit_account_id = $1 AND created_at > $2), 0)::int8 AS card_topups_24h,
            coalesce(sum(amount) FILTER (WHERE kind = 'topup_card' AND credit_account_id = $1), 0)::int8 AS card_topups_30d,
            coalesce(sum(amount) FILTER (WHERE kind = 'payment' AND debit_account_id = $1 AND created_at > $2), 0)::int8 AS payments_24h
       FROM moves`,
    [walletId, since24h, since30d],
  );
  return res.rows[0]!;
}

/** Payments out of each wallet since `since`, in one statement; a wallet without payments is absent. */
export async function paymentsSince(q: Queryable, walletIds: readonly string[], since: Date): Promise<Map<string, number>> {
  const res = await q.query<{ id: string; total: number }>({
    name: 'wallet.payments-since',
    text: `SELECT debit_account_id AS id, sum(amount)::int8 AS total FROM ledger_transfers
            WHERE debit_account_id = ANY($1::uuid[]) AND created_at > $2 AND kind = 'payment' AND phase = 'single'
            GROUP BY debit_account_id`,
    values: [walletIds, since],
  });
  return new Map(res.rows.map((r) => [r.id, r.total]));
}
