/** SQL for settlement: the day's business facts, the ledger's view of the day, bank accounts. */
import type { Queryable } from '../db/pool.js';

/** One store's payments of a business day, as the payments table records them. */
export interface StorePaymentsRow {
  store_id: string;
  merchant_id: string;
  payments_count: number;
  payments_sum: number;
  cancels_count: number;
  cancels_sum: number;
  fees: number;
}

/**
 * Per store, the payments whose business day is `date`, with those canceled before the
 * day ended. A cancellation is allowed only on the payment's own day, so `canceled_at <
 * dayEnd` changes nothing for correct data; it keeps a past day's figures fixed even if
 * a faulty cancel ever landed later (that cancel then shows in the later day's ledger
 * cross-check instead).
 */
export async function storePaymentsOfDay(q: Queryable, date: string, dayEnd: Date): Promise<StorePaymentsRow[]> {
  return (await q.query<StorePaymentsRow>(
    `SELECT store_id, merchant_id,
            count(*)::int8 AS payments_count, sum(amount)::int8 AS payments_sum,
            count(*) FILTER (WHERE canceled_at < $2)::int8 AS cancels_count,
            coalesce(sum(amount) FILTER (WHERE canceled_at < $2), 0)::int8 AS cancels_sum,
            coalesce(sum(fee) FILTER (WHERE canceled_at IS NULL OR canceled_at >= $2), 0)::int8 AS fees
       FROM payments WHERE business_date = $1::date
      GROUP BY store_id, merchant_id`,
    [date, dayEnd],
  )).rows;
}

export interface StoreRefundsRow { store_id: string; merchant_id: string; refunds_count: number; refunds_sum: number }

/** Per store, the refunds made on `date` (whatever day their payment was). */
export async function storeRefundsOfDay(q: Queryable, date: string): Promise<StoreRefundsRow[]> {
  return (await q.query<StoreRefundsRow>(
    `SELECT r.store_id, s.merchant_id, count(*)::int8 AS refunds_count, sum(r.amount)::int8 AS refunds_sum
       FROM payment_refunds r JOIN stores s ON s.id = r.store_id
      WHERE r.business_date = $1::date
      GROUP BY r.store_id, s.merchant_id`,
    [date],
  )).rows;
}

export interface LedgerDayRow { store: string | null; kind: string; count: number; sum: number }

/**
 * The ledger's own account of a day: payment, cancellation and refund transfers created
 * in [from, to), summed per `metadata.store` (a public `sto_…` id) and kind.
 */
export async function ledgerTransfersOfDay(q: Queryable, from: Date, to: Date): Promise<LedgerDayRow[]> {
  return (await q.query<LedgerDayRow>(
    `SELECT metadata->>'store' AS store, kind, count(*)::int8 AS count, sum(amount)::int8 AS sum
       FROM ledger_transfers
      WHERE kind IN ('payment', 'payment_cancel', 'refund') AND created_at >= $1 AND created_at < $2
      GROUP BY 1, 2`,
    [from, to],
  )).rows;
}

export interface BankAccountRow {
  merchant_id: string | null;
  store_id: string | null;
  bank_code: string;
  bank_name_kana: string;
  branch_code: string;
  branch_name_kana: string;
  account_type: 1 | 2;
  account_number: string;
  holder_kana: string;
}

export type BankAccountInput = Omit<BankAccountRow, 'merchant_id' | 'store_id'>;

/** Sets the merchant's or store's account (one per owner); false when the owner does not exist. */
export async function upsertBankAccount(
  q: Queryable, owner: { merchantId: string } | { storeId: string }, a: BankAccountInput, id: string, now: Date,
): Promise<boolean> {
  const [column, table, ownerId] = 'merchantId' in owner ? ['merchant_id', 'merchants', owner.merchantId] : ['store_id', 'stores', owner.storeId];
  const res = await q.query(
    `INSERT INTO payee_bank_accounts (id, ${column}, bank_code, bank_name_kana, branch_code, branch_name_kana, account_type, account_number, holder_kana, updated_at)
     SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10 FROM ${table} WHERE id = $2
     ON CONFLICT (${column}) WHERE ${column} IS NOT NULL DO UPDATE SET
       bank_code = EXCLUDED.bank_code, bank_name_kana = EXCLUDED.bank_name_kana, branch_code = EXCLUDED.branch_code,
       branch_name_kana = EXCLUDED.branch_name_kana, account_type = EXCLUDED.account_type,
       account_number = EXCLUDED.account_number, holder_kana = EXCLUDED.holder_kana, updated_at = EXCLUDED.updated_at`,
    [id, ownerId, a.bank_code, a.bank_name_kana, a.branch_code, a.branch_name_kana, a.account_type, a.account_number, a.holder_kana, now],
  );
  return res.rowCount === 1;
}

/** Accounts of these stores and of their merchants. */
export async function bankAccountsFor(q: Queryable, storeIds: readonly string[], merchantIds: readonly string[]): Promise<BankAccountRow[]> {
  return (await q.query<BankAccountRow>(
    `SELECT merchant_id, store_id, bank_code, bank_name_kana, branch_code, branch_name_kana, account_type, account_number, holder_kana
       FROM payee_bank_accounts WHERE store_id = ANY($1::uuid[]) OR merchant_id = ANY($2::uuid[])`,
    [storeIds, merchantIds],
  )).rows;
}

/** Amounts of the fee transfers with these ids, by id (those booked so far). */
export async function transferAmounts(q: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = (await q.query<{ id: string; amount: number }>(`SELECT id, amount FROM ledger_transfers WHERE id = ANY($1::uuid[])`, [ids])).rows;
  return new Map(rows.map((r) => [r.id, r.amount]));
}
