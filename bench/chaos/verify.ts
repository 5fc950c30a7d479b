/**
 * What must hold after the storm, read from the database and the clients' records:
 * money neither made nor lost, no wallet below zero, every acknowledged payment and
 * top-up present exactly once, no key with two effects, no hold left hanging, and every
 * message committed delivered once the service has recovered.
 */
import type pg from 'pg';
import { checkPayments } from '../lib/checks.js';
import type { Op } from './workload.js';

/** The client was told it happened (201 created, 200 for a cancellation). */
export const acknowledged = (o: Op) => typeof o.final === 'number' && o.final >= 200 && o.final < 300;

const count = async (pool: pg.Pool, sql: string, params: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);

/** Effects found for one kind of operation must lie between what was acknowledged and what might have happened. */
function within(violations: string[], what: string, found: number, ops: Op[]) {
  const acked = ops.filter(acknowledged).length;
  const unknown = ops.filter((o) => o.final === 'gave_up').length;
  if (found < acked) violations.push(`${what}: ${acked} acknowledged but ${found} in the database (${acked - found} lost)`);
  if (found > acked + unknown) violations.push(`${what}: ${found} in the database but only ${acked} acknowledged and ${unknown} unanswered (${found - acked - unknown} made from nothing)`);
}

export async function verify(pool: pg.Pool, ops: Op[], since: Date): Promise<string[]> {
  const v: string[] = [];
  const of = (kind: Op['kind']) => ops.filter((o) => o.kind === kind);

  const totals = (await pool.query<{ dp: string; cp: string; dq: string; cq: string }>(
    `SELECT coalesce(sum(debits_posted), 0) AS dp, coalesce(sum(credits_posted), 0) AS cp,
            coalesce(sum(debits_pending), 0) AS dq, coalesce(sum(credits_pending), 0) AS cq FROM ledger_accounts`,
  )).rows[0]!;
  if (totals.dp !== totals.cp || totals.dq !== totals.cq) v.push(`ledger does not sum to zero: posted ${totals.dp} debits vs ${totals.cp} credits, pending ${totals.dq} vs ${totals.cq}`);
  const accountsOff = await count(pool, `
    SELECT count(*) AS n FROM ledger_accounts a
     WHERE a.debits_posted <> (SELECT coalesce(sum(amount), 0) FROM ledger_transfers t WHERE t.debit_account_id = a.id AND t.phase IN ('single', 'post_pending'))
        OR a.credits_posted <> (SELECT coalesce(sum(amount), 0) FROM ledger_transfers t WHERE t.credit_account_id = a.id AND t.phase IN ('single', 'post_pending'))`);
  if (accountsOff) v.push(`${accountsOff} accounts whose totals differ from their transfers`);
  const negative = await count(pool, `SELECT count(*) AS n FROM ledger_accounts WHERE kind = 'wallet' AND debits_posted + debits_pending > credits_posted`);
  if (negative) v.push(`${negative} wallets below zero`);

  const approved = of('payment').filter((o) => o.final === 201).map((o) => o.id!);
  const pay = await checkPayments(pool, approved, since);
  if (pay.missing) v.push(`${pay.missing} acknowledged payments missing from payments or the ledger`);
  if (pay.duplicated) v.push(`${pay.duplicated} payments answered or booked twice`);
  within(v, 'payments', await count(pool, `SELECT count(*) AS n FROM payments WHERE created_at >= $1`, [since]), of('payment'));

  const receipts = of('cash_topup').filter((o) => o.final === 201).map((o) => o.id!.replace(/^txn_/, ''));
  const booked = await count(pool, `SELECT count(*) AS n FROM ledger_transfers WHERE replace(id::text, '-', '') = ANY($1::text[])`, [receipts]);
  if (booked !== new Set(receipts).size) v.push(`${new Set(receipts).size - booked} acknowledged cash top-ups missing from the ledger`);
  if (new Set(receipts).size !== receipts.length) v.push(`${receipts.length - new Set(receipts).size} cash top-up receipts given for two top-ups`);
  within(v, 'cash top-ups', await count(pool, `SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'topup_cash' AND created_at >= $1`, [since]), of('cash_topup'));
  within(v, 'refunds', await count(pool, `SELECT count(*) AS n FROM payment_refunds WHERE created_at >= $1`, [since]), of('refund'));
  within(v, 'cancellations', await count(pool, `SELECT count(*) AS n FROM payments WHERE canceled_at >= $1`, [since]), of('cancel'));

  const keysTwice = await count(pool, `SELECT count(*) AS n FROM (SELECT store_id, order_id FROM payments GROUP BY 1, 2 HAVING count(*) > 1) d`);
  if (keysTwice) v.push(`${keysTwice} order ids paid twice`);
  const hanging = await count(pool, `
    SELECT count(*) AS n FROM ledger_transfers t
     WHERE t.phase = 'pending' AND t.expires_at <= now() AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = t.id)`);
  if (hanging) v.push(`${hanging} pending transfers past their expiry, neither posted nor voided`);

  const undelivered = (await pool.query<{ topic: string; status: string; n: string }>(
    `SELECT topic, status, count(*) AS n FROM outbox WHERE status <> 'sent' GROUP BY 1, 2`,
  )).rows;
  for (const r of undelivered) v.push(`${r.n} ${r.topic} messages ${r.status === 'dead' ? 'abandoned' : 'still undelivered'} after recovery`);
  return v;
}
