/** SQL for the ledger: the only place that reads or writes ledger tables. */
import type { Queryable } from '../../db/pool.js';

export type AccountKind = 'wallet' | 'card_clearing' | 'store_cash' | 'merchant_payable' | 'fee_revenue' | 'compensation' | 'chargeback_loss';
export type Phase = 'single' | 'pending' | 'post_pending' | 'void_pending';

export interface AccountRow {
  id: string;
  code: string;
  kind: AccountKind;
  user_id: string | null;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
  debits_must_not_exceed_credits: boolean;
}

export interface TransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  kind: string;
  phase: Phase;
  pending_id: string | null;
  expires_at: Date | null;
  reverses_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export async function insertAccountIfAbsent(q: Queryable, a: { id: string; code: string; kind: AccountKind; userId: string | null; noOverdraft: boolean; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO ledger_accounts (id, code, kind, user_id, debits_must_not_exceed_credits, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
    [a.id, a.code, a.kind, a.userId, a.noOverdraft, a.now],
  );
}

export async function findAccountByCode(q: Queryable, code: string): Promise<AccountRow | undefined> {
  return (await q.query<AccountRow>(`SELECT * FROM ledger_accounts WHERE code = $1`, [code])).rows[0];
}

/** The account row, locked until the caller's transaction ends. */
export async function lockAccount(q: Queryable, id: string): Promise<AccountRow | undefined> {
  return (await q.query<AccountRow>(`SELECT * FROM ledger_accounts WHERE id = $1 FOR UPDATE`, [id])).rows[0];
}

export async function findAccount(q: Queryable, id: string): Promise<AccountRow | undefined> {
  return (await q.query<AccountRow>(`SELECT * FROM ledger_accounts WHERE id = $1`, [id])).rows[0];
}

export async function findTransfer(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<TransferRow | undefined> {
  return (await q.query<TransferRow>(`SELECT * FROM ledger_transfers WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function findResolution(q: Queryable, pendingId: string): Promise<TransferRow | undefined> {
  return (await q.query<TransferRow>(`SELECT * FROM ledger_transfers WHERE pending_id = $1`, [pendingId])).rows[0];
}

/** Inserts unless the id exists; true when this call inserted it. */
export async function insertTransfer(q: Queryable, t: Omit<TransferRow, 'created_at'> & { created_at: Date }): Promise<boolean> {
  const res = await q.query({
    name: 'ledger.insert-transfer',
    text: `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, pending_id, expires_at, reverses_id, metadata, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
    values: [t.id, t.debit_account_id, t.credit_account_id, t.amount, t.kind, t.phase, t.pending_id, t.expires_at, t.reverses_id, JSON.stringify(t.metadata), t.created_at],
  });
  return res.rowCount === 1;
}

export interface Delta {
  debitsPosted: number;
  debitsPending: number;
  creditsPosted: number;
  creditsPending: number;
}

/**
 * Applies a change to one account's totals; refuses (returns false) when it would take a
 * no-overdraft account's posted and pending debits above its credits, or when the
 * account does not exist.
 */
export async function applyDelta(q: Queryable, accountId: string, d: Delta): Promise<boolean> {
  const res = await q.query({
    name: 'ledger.apply-delta',
    text: `UPDATE ledger_accounts
              SET debits_posted = debits_posted + $2, debits_pending = debits_pending + $3,
                  credits_posted = credits_posted + $4, credits_pending = credits_pending + $5
            WHERE id = $1
              AND (NOT debits_must_not_exceed_credits
                   OR debits_posted + $2 + debits_pending + $3 <= credits_posted + $4)`,
    values: [accountId, d.debitsPosted, d.debitsPending, d.creditsPosted, d.creditsPending],
  });
  return res.rowCount === 1;
}

/**
 * Applies changes to several accounts' totals in one statement, with `applyDelta`'s
 * no-overdraft rule; answers the ids it changed (a refused or missing account is absent).
 */
export async function applyDeltas(q: Queryable, changes: readonly (readonly [string, Delta])[]): Promise<string[]> {
  const res = await q.query<{ id: string }>({
    name: 'ledger.apply-deltas',
    text: `UPDATE ledger_accounts a
              SET debits_posted = a.debits_posted + d.dp, debits_pending = a.debits_pending + d.dq,
                  credits_posted = a.credits_posted + d.cp, credits_pending = a.credits_pending + d.cq
             FROM unnest($1::uuid[], $2::int8[], $3::int8[], $4::int8[], $5::int8[]) AS d(id, dp, dq, cp, cq)
            WHERE a.id = d.id
              AND (NOT a.debits_must_not_exceed_credits
                   OR a.debits_posted + d.dp + a.debits_pending + d.dq <= a.credits_posted + d.cp)
        RETURNING a.id`,
    values: [
      changes.map(([id]) => id), changes.map(([, d]) => d.debitsPosted), changes.map(([, d]) => d.debitsPending),
      changes.map(([, d]) => d.creditsPosted), changes.map(([, d]) => d.creditsPending),
    ],
  });
  return res.rows.map((r) => r.id);
}

/** Inserts new single-phase transfer rows in one statement; answers how many it inserted. */
export async function insertSingleTransfers(q: Queryable, rows: readonly Pick<TransferRow, 'id' | 'debit_account_id' | 'credit_account_id' | 'amount' | 'kind' | 'metadata'>[], at: Date): Promise<number> {
  const res = await q.query({
    name: 'ledger.insert-singles',
    text: `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, metadata, created_at)
           SELECT t.id, t.debit, t.credit, t.amount, t.kind, 'single', t.metadata, $7
             FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int8[], $5::text[], $6::jsonb[]) AS t(id, debit, credit, amount, kind, metadata)
           ON CONFLICT (id) DO NOTHING`,
    values: [rows.map((r) => r.id), rows.map((r) => r.debit_account_id), rows.map((r) => r.credit_account_id), rows.map((r) => r.amount),
      rows.map((r) => r.kind), rows.map((r) => JSON.stringify(r.metadata)), at],
  });
  return res.rowCount ?? 0;
}

/** Pending transfers past their expiry and not yet resolved, locked for the sweeper. */
export async function lockExpiredPending(q: Queryable, now: Date, limit: number): Promise<TransferRow[]> {
  return (await q.query<TransferRow>(
    `SELECT t.* FROM ledger_transfers t
      WHERE t.phase = 'pending' AND t.expires_at <= $1
        AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = t.id)
      ORDER BY t.expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  )).rows;
}

export interface LedgerTotals {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

/** Sums over every account: posted debits equal posted credits at all times, and likewise pending. */
export async function ledgerTotals(q: Queryable): Promise<LedgerTotals> {
  const r = (await q.query<{ dp: number; cp: number; dq: number; cq: number }>(
    `SELECT coalesce(sum(debits_posted), 0)::int8 AS dp, coalesce(sum(credits_posted), 0)::int8 AS cp,
            coalesce(sum(debits_pending), 0)::int8 AS dq, coalesce(sum(credits_pending), 0)::int8 AS cq
       FROM ledger_accounts`,
  )).rows[0]!;
  return { debitsPosted: r.dp, creditsPosted: r.cp, debitsPending: r.dq, creditsPending: r.cq };
}
