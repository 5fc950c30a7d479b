/**
 * What must hold after the storm, read from the database, the card network's records,
 * the receivers and the clients' records: money neither made nor lost, no wallet below
 * zero, every acknowledged payment and top-up present exactly once, no key with two
 * effects, no hold left hanging, a card charged exactly when its wallet was credited,
 * and every mail and webhook committed delivered once the service has recovered.
 */
import type pg from 'pg';
import { paymentReference } from '../../src/topups/references.js';
import { fromPublicId, toPublicId } from '../../src/shared/ids.js';
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

/** What the receivers outside Konpay recorded. */
export interface Received {
  /** Message-IDs the mail server accepted. */
  emails: ReadonlySet<string>;
  /** `evt_…` ids the merchant's endpoint accepted with a valid signature. */
  webhookEvents: ReadonlySet<string>;
  badWebhookSignatures: number;
}

export async function verify(pool: pg.Pool, ops: Op[], since: Date, received: Received): Promise<string[]> {
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

  await verifyCardTopups(pool, v, of('card_topup'), since);
  await verifyDeliveries(pool, v, since, received);

  const undelivered = (await pool.query<{ topic: string; status: string; n: string }>(
    `SELECT topic, status, count(*) AS n FROM outbox WHERE status <> 'sent' GROUP BY 1, 2`,
  )).rows;
  for (const r of undelivered) v.push(`${r.n} ${r.topic} messages ${r.status === 'dead' ? 'abandoned' : 'still undelivered'} after recovery`);
  return v;
}

/**
 * Card top-ups: what the customer was told succeeded is credited once; a card is charged
 * (captured at the network) exactly when its top-up succeeded, and holds an authorisation
 * only while its top-up is still open; nothing is left processing after recovery, and no
 * challenge outlives its expiry by more than a reconciliation round.
 */
async function verifyCardTopups(pool: pg.Pool, v: string[], ops: Op[], since: Date): Promise<void> {
  const topups = (await pool.query<{ id: string; amount: string; status: string; expired: boolean; posted: string }>(
    `SELECT t.id, t.amount, t.status, t.action_expires_at < now() - interval '15 seconds' AS expired,
            (SELECT count(*) FROM ledger_transfers r WHERE r.pending_id = t.pending_transfer_id AND r.phase = 'post_pending') AS posted
       FROM card_topups t WHERE t.created_at >= $1`, [since],
  )).rows;
  // The network's side, by the reference Konpay gave it for each top-up.
  const network = new Map((await pool.query<{ reference: string; captured: string; status: string }>(
    `SELECT reference, captured, status FROM cardnet_payments WHERE reference = ANY($1::text[])`, [topups.map((t) => paymentReference(t.id))],
  )).rows.map((p) => [p.reference, p]));
  const rows = topups.map((t) => ({ ...t, captured: network.get(paymentReference(t.id))?.captured, network: network.get(paymentReference(t.id))?.status }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const told = ops.filter((o) => o.status === 'succeeded');
  const lost = told.filter((o) => byId.get(fromPublicId('top', o.id!) ?? '')?.status !== 'succeeded');
  if (lost.length) v.push(`${lost.length} card top-ups the customer was told succeeded are not succeeded (e.g. ${lost[0]!.id})`);
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length;
  const twice = count((r) => Number(r.posted) > 1);
  if (twice) v.push(`${twice} card top-ups credited more than once`);
  const uncredited = count((r) => r.status === 'succeeded' && Number(r.posted) !== 1);
  if (uncredited) v.push(`${uncredited} succeeded card top-ups whose wallet credit is not posted once`);
  const chargedNotCredited = count((r) => r.status !== 'succeeded' && Number(r.captured ?? 0) > 0);
  if (chargedNotCredited) v.push(`${chargedNotCredited} cards charged for top-ups that did not succeed`);
  const creditedNotCharged = count((r) => r.status === 'succeeded' && Number(r.captured ?? 0) !== Number(r.amount));
  if (creditedNotCharged) v.push(`${creditedNotCharged} wallets credited for top-ups the card was not charged for (or charged another amount)`);
  const heldOpen = count((r) => (r.status === 'failed' || r.status === 'canceled') && r.network === 'authorized');
  if (heldOpen) v.push(`${heldOpen} ended top-ups whose authorisation still holds the customer's card`);
  const processing = count((r) => r.status === 'processing');
  if (processing) v.push(`${processing} card top-ups still processing after recovery`);
  const stale = count((r) => r.status === 'requires_action' && r.expired);
  if (stale) v.push(`${stale} card top-ups awaiting a challenge past its expiry`);
}

/** Every mail and merchant webhook Konpay committed to send arrived at least once, and only Konpay's. */
async function verifyDeliveries(pool: pg.Pool, v: string[], since: Date, received: Received): Promise<void> {
  const mails = (await pool.query<{ id: string }>(`SELECT id FROM outbox WHERE topic = 'notify.email' AND created_at >= $1`, [since])).rows;
  const mailed = new Set([...received.emails].map((id) => id.slice(1, id.indexOf('@'))));
  const missingMail = mails.filter((m) => !mailed.has(m.id));
  if (missingMail.length) v.push(`${missingMail.length} of ${mails.length} e-mails committed never reached the mail server`);
  const events = (await pool.query<{ id: string }>(`SELECT id FROM webhook_events WHERE created_at >= $1`, [since])).rows;
  const missingEvents = events.filter((e) => !received.webhookEvents.has(toPublicId('evt', e.id)));
  if (missingEvents.length) v.push(`${missingEvents.length} of ${events.length} merchant webhook events never reached the endpoint`);
  if (received.badWebhookSignatures) v.push(`${received.badWebhookSignatures} webhook requests with a bad signature`);
}
