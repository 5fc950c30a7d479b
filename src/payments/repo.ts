/** SQL for payments, their refunds and declines. */
import type { Queryable } from '../db/pool.js';
import type { AccountRow } from '../wallet/ledger/repo.js';

export interface PaymentRow {
  id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  user_id: string;
  code_id: string;
  order_id: string;
  amount: number;
  fee: number;
  categories: string[];
  status: 'approved' | 'canceled';
  refunded: number;
  transfer_id: string;
  business_date: string;
  created_at: Date;
  canceled_at: Date | null;
  cancel_transfer_id: string | null;
}

export interface RefundRow {
  id: string;
  payment_id: string;
  store_id: string;
  terminal_id: string;
  amount: number;
  reason: string | null;
  transfer_id: string;
  business_date: string;
  created_at: Date;
}

const COLUMNS = `id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, status, refunded,
  transfer_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, created_at, canceled_at, cancel_transfer_id`;

/** Inserts the payment; false when the store already has a payment with this order id. */
export async function insertPayment(q: Queryable, p: Omit<PaymentRow, 'status' | 'refunded' | 'canceled_at' | 'cancel_transfer_id'>): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO payments (id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, status, transfer_id, business_date, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'approved', $11, $12, $13)
     ON CONFLICT (store_id, order_id) DO NOTHING`,
    [p.id, p.merchant_id, p.store_id, p.terminal_id, p.user_id, p.code_id, p.order_id, p.amount, p.fee, p.categories, p.transfer_id, p.business_date, p.created_at],
  );
  return res.rowCount === 1;
}

export async function findPayment(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<PaymentRow | undefined> {
  return (await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function findPaymentByOrder(q: Queryable, storeId: string, orderId: string): Promise<PaymentRow | undefined> {
  return (await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE store_id = $1 AND order_id = $2`, [storeId, orderId])).rows[0];
}

export async function markCanceled(q: Queryable, id: string, transferId: string, now: Date): Promise<void> {
  await q.query(`UPDATE payments SET status = 'canceled', canceled_at = $2, cancel_transfer_id = $3 WHERE id = $1`, [id, now, transferId]);
}

/** Adds a refund to the payment's total; the table's CHECK refuses more than was paid. */
export async function addRefunded(q: Queryable, id: string, amount: number): Promise<void> {
  await q.query(`UPDATE payments SET refunded = refunded + $2 WHERE id = $1`, [id, amount]);
}

export async function insertRefund(q: Queryable, r: RefundRow): Promise<void> {
  await q.query(
    `INSERT INTO payment_refunds (id, payment_id, store_id, terminal_id, amount, reason, transfer_id, business_date, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.id, r.payment_id, r.store_id, r.terminal_id, r.amount, r.reason, r.transfer_id, r.business_date, r.created_at],
  );
}

export async function listRefunds(q: Queryable, paymentId: string): Promise<RefundRow[]> {
  return (await q.query<RefundRow>(
    `SELECT id, payment_id, store_id, terminal_id, amount, reason, transfer_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, created_at
       FROM payment_refunds WHERE payment_id = $1 ORDER BY created_at`, [paymentId])).rows;
}

export async function insertDecline(q: Queryable, d: { id: string; merchantId: string; storeId: string; terminalId: string; userId: string | null; amount: number; reason: string; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO payment_declines (id, merchant_id, store_id, terminal_id, user_id, amount, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [d.id, d.merchantId, d.storeId, d.terminalId, d.userId, d.amount, d.reason, d.now],
  );
}

export interface Precheck {
  store_name: string;
  store_status: string;
  merchant_status: string;
  /** Unknown codes this terminal sent since the window began. */
  unknown_codes: number;
  /** This store already has a payment with the order id. */
  order_taken: boolean;
}

/**
 * What a payment checks before touching the customer's rows, in one round trip: the
 * store and merchant as they stand (not locked: every payment of a busy store reads this
 * row, and a shared lock would make them all write to it; a payment that started before
 * a suspension may finish, like a card payment already at the terminal), the terminal's
 * recent unknown codes, and whether the order was paid.
 */
export async function precheck(q: Queryable, p: { storeId: string; terminalId: string; orderId: string; since: Date }): Promise<Precheck | undefined> {
  return (await q.query<Precheck>({
    name: 'payments.precheck',
    text: `SELECT s.name AS store_name, s.status AS store_status, m.status AS merchant_status,
                  (SELECT count(*)::int FROM payment_declines d
                    WHERE d.terminal_id = $2 AND d.created_at > $4 AND d.reason = 'code_unknown') AS unknown_codes,
                  EXISTS (SELECT 1 FROM payments p WHERE p.store_id = $1 AND p.order_id = $3) AS order_taken
             FROM stores s JOIN merchants m ON m.id = s.merchant_id WHERE s.id = $1`,
    values: [p.storeId, p.terminalId, p.orderId, p.since],
  })).rows[0];
}

export interface Payer {
  user_id: string;
  frozen_at: Date | null;
  restricted_until: Date | null;
}

/**
 * The payer's account row and wallet, both locked, in one round trip; nothing when the
 * account has no wallet yet (it never held money).
 */
export async function lockPayer(q: Queryable, userId: string): Promise<{ payer: Payer; wallet: AccountRow } | undefined> {
  const res = await q.query<Payer & { w: AccountRow }>({
    name: 'payments.lock-payer',
    text: `SELECT u.id AS user_id, u.frozen_at, u.restricted_until, to_jsonb(w) AS w
             FROM users u JOIN ledger_accounts w ON w.user_id = u.id AND w.kind = 'wallet'
            WHERE u.id = $1 FOR UPDATE OF u, w`,
    values: [userId],
  });
  const r = res.rows[0];
  return r && { payer: { user_id: r.user_id, frozen_at: r.frozen_at, restricted_until: r.restricted_until }, wallet: r.w };
}
