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

type NewPayment = Omit<PaymentRow, 'status' | 'refunded' | 'canceled_at' | 'cancel_transfer_id'>;

/**
 * Inserts payments in one statement; answers the ids inserted. A payment whose store
 * already has its order id is not (the unique index decides, so two tills racing on one
 * order cannot both pass).
 */
export async function insertPayments(q: Queryable, ps: readonly NewPayment[]): Promise<Set<string>> {
  const col = <K extends keyof NewPayment>(k: K) => ps.map((p) => p[k]);
  const res = await q.query<{ id: string }>({
    name: 'payments.insert-many',
    text: `INSERT INTO payments (id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, status, transfer_id, business_date, created_at)
           SELECT p.id, p.merchant_id, p.store_id, p.terminal_id, p.user_id, p.code_id, p.order_id, p.amount, p.fee,
                  ARRAY(SELECT jsonb_array_elements_text(p.categories)), 'approved', p.transfer_id, p.business_date, p.created_at
             FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::int8[], $9::int8[],
                         $10::jsonb[], $11::uuid[], $12::date[], $13::timestamptz[])
                  AS p(id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, transfer_id, business_date, created_at)
           ON CONFLICT (store_id, order_id) DO NOTHING
           RETURNING id`,
    values: [col('id'), col('merchant_id'), col('store_id'), col('terminal_id'), col('user_id'), col('code_id'), col('order_id'), col('amount'), col('fee'),
      ps.map((p) => JSON.stringify(p.categories)), col('transfer_id'), col('business_date'), col('created_at')],
  });
  return new Set(res.rows.map((r) => r.id));
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

export interface NewDecline {
  id: string;
  merchantId: string;
  storeId: string;
  terminalId: string;
  userId: string | null;
  amount: number;
  reason: string;
  now: Date;
}

export async function insertDeclines(q: Queryable, ds: readonly NewDecline[]): Promise<void> {
  const col = <K extends keyof NewDecline>(k: K) => ds.map((d) => d[k]);
  await q.query({
    name: 'payments.insert-declines',
    text: `INSERT INTO payment_declines (id, merchant_id, store_id, terminal_id, user_id, amount, reason, created_at)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::int8[], $7::text[], $8::timestamptz[])`,
    values: [col('id'), col('merchantId'), col('storeId'), col('terminalId'), col('userId'), col('amount'), col('reason'), col('now')],
  });
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
 * What each payment of a batch checks before touching the customer's rows, in one round
 * trip: the store and merchant as they stand (not locked: every payment of a busy store
 * reads this row, and a shared lock would make them all write to it; a payment that
 * started before a suspension may finish, like a card payment already at the terminal),
 * the terminal's recent unknown codes, and whether the order was paid. Answers in the
 * order asked; nothing for a store that does not exist.
 */
export async function prechecks(q: Queryable, items: readonly { storeId: string; terminalId: string; orderId: string }[], since: Date): Promise<(Precheck | undefined)[]> {
  const res = await q.query<Precheck & { i: number }>({
    name: 'payments.prechecks',
    text: `SELECT r.i::int AS i, s.name AS store_name, s.status AS store_status, m.status AS merchant_status,
                  (SELECT count(*)::int FROM payment_declines d
                    WHERE d.terminal_id = r.terminal_id AND d.created_at > $4 AND d.reason = 'code_unknown') AS unknown_codes,
                  EXISTS (SELECT 1 FROM payments p WHERE p.store_id = r.store_id AND p.order_id = r.order_id) AS order_taken
             FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS r(store_id, terminal_id, order_id, i)
             JOIN stores s ON s.id = r.store_id JOIN merchants m ON m.id = s.merchant_id`,
    values: [items.map((x) => x.storeId), items.map((x) => x.terminalId), items.map((x) => x.orderId), since],
  });
  const out: (Precheck | undefined)[] = items.map(() => undefined);
  for (const { i, ...row } of res.rows) out[i - 1] = row;
  return out;
}

export interface Payer {
  user_id: string;
  frozen_at: Date | null;
  restricted_until: Date | null;
}

/**
 * The payers' account rows and wallets, all locked, in one round trip and in id order
 * (two batches with payers in common cannot deadlock); an account without a wallet (it
 * never held money) is absent.
 */
export async function lockPayers(q: Queryable, userIds: readonly string[]): Promise<Map<string, { payer: Payer; wallet: AccountRow }>> {
  const res = await q.query<Payer & { w: AccountRow }>({
    name: 'payments.lock-payers',
    text: `SELECT u.id AS user_id, u.frozen_at, u.restricted_until, to_jsonb(w) AS w
             FROM users u JOIN ledger_accounts w ON w.user_id = u.id AND w.kind = 'wallet'
            WHERE u.id = ANY($1::uuid[]) ORDER BY u.id FOR UPDATE OF u, w`,
    values: [userIds],
  });
  return new Map(res.rows.map((r) => [r.user_id, { payer: { user_id: r.user_id, frozen_at: r.frozen_at, restricted_until: r.restricted_until }, wallet: r.w }]));
}
