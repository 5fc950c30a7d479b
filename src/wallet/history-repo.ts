/** SQL for a wallet's history: its movements, newest first, by keyset pagination. */
import type { Queryable } from '../db/pool.js';

export interface MovementRow {
  id: string;
  kind: string;
  direction: 'in' | 'out';
  amount: number;
  status: 'posted' | 'pending' | 'canceled';
  metadata: Record<string, unknown>;
  created_at: Date;
}

export interface HistoryQuery {
  walletId: string;
  kinds: readonly string[] | undefined;
  from: Date | undefined;
  to: Date | undefined;
  /** The last movement of the previous page. */
  after: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/**
 * One row per movement the customer would recognise: a single transfer, or a two-phase
 * one shown at its posted amount (or as canceled when voided); the post/void rows
 * themselves are bookkeeping and are folded in.
 */
/** Filters shared by both sides of the wallet (credited and debited). */
const FILTERS = `t.phase IN ('single', 'pending')
        AND ($2::text[] IS NULL OR t.kind = ANY($2))
        AND ($3::timestamptz IS NULL OR t.created_at >= $3)
        AND ($4::timestamptz IS NULL OR t.created_at < $4)
        AND ($5::timestamptz IS NULL OR (t.created_at, t.id) < ($5, $6::uuid))`;

export async function listMovements(q: Queryable, h: HistoryQuery): Promise<MovementRow[]> {
  // Each side walks its own (account, created_at, id) index and stops after one page;
  // an OR over both columns would scan the wallet's whole history.
  const res = await q.query<MovementRow>(
    `WITH page AS (
       (SELECT t.* FROM ledger_transfers t WHERE t.credit_account_id = $1 AND ${FILTERS} ORDER BY t.created_at DESC, t.id DESC LIMIT $7)
       UNION ALL
       (SELECT t.* FROM ledger_transfers t WHERE t.debit_account_id = $1 AND ${FILTERS} ORDER BY t.created_at DESC, t.id DESC LIMIT $7))
     SELECT t.id, t.kind,
            CASE WHEN t.credit_account_id = $1 THEN 'in' ELSE 'out' END AS direction,
            CASE WHEN r.phase = 'post_pending' THEN r.amount ELSE t.amount END AS amount,
            CASE WHEN t.phase = 'single' OR r.phase = 'post_pending' THEN 'posted'
                 WHEN r.phase = 'void_pending' THEN 'canceled' ELSE 'pending' END AS status,
            t.metadata, t.created_at
       FROM page t LEFT JOIN ledger_transfers r ON r.pending_id = t.id
      ORDER BY t.created_at DESC, t.id DESC
      LIMIT $7`,
    [h.walletId, h.kinds ?? null, h.from ?? null, h.to ?? null, h.after?.createdAt ?? null, h.after?.id ?? null, h.limit],
  );
  return res.rows;
}
