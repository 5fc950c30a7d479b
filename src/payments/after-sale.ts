/**
 * After the sale: a same-day cancellation or a refund (WAL-7), each a transfer from the
 * merchant's payable shard that took the payment back to the wallet, on the locked
 * payment row, so concurrent refunds can never together exceed what was paid (the
 * table's CHECK stands behind the service's check). Only a terminal of the store that
 * took the payment may do either; to any other the payment does not exist.
 */
import type { Queryable } from '../db/pool.js';
import { findUser } from '../identity/repo/users.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { jstDate } from '../shared/jst.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { balanceOf, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { findTransfer } from '../wallet/ledger/repo.js';
import { notifyMovement } from '../wallet/notices.js';
import type { PaymentsDeps } from './deps.js';
import { addRefunded, findPayment, insertRefund, markCanceled, type PaymentRow } from './repo.js';
import { paymentEventData } from './views.js';

export type CancelResult =
  | { kind: 'canceled'; payment: PaymentRow }
  | { kind: 'not_found' }
  | { kind: 'refused'; why: 'not_same_day' | 'already_canceled' | 'refunded' };

export type RefundResult =
  | { kind: 'refunded'; payment: PaymentRow; refundId: string }
  | { kind: 'not_found' }
  | { kind: 'refused'; why: 'exceeds_remaining' | 'payment_canceled'; remaining: number };

async function ownPayment(q: Queryable, terminal: TerminalIdentity, paymentId: string): Promise<PaymentRow | undefined> {
  const p = await findPayment(q, paymentId, { lock: true });
  return p && p.store_id === terminal.storeId ? p : undefined;
}

/** Moves `amount` back from the payable shard the payment credited; returns the transfer id. */
async function giveBack(deps: PaymentsDeps, q: Queryable, p: PaymentRow, amount: number, kind: 'payment_cancel' | 'refund', description: string, now: Date): Promise<string> {
  const original = (await findTransfer(q, p.transfer_id))!;
  // Lock order as at the till: the account, then the wallet.
  const user = (await findUser(q, p.user_id, { lock: true }))!;
  const wallet = await lockWallet(q, p.user_id, now);
  const id = newUuid();
  const moved = await createTransfer(q, {
    phase: 'single', id, debitAccountId: original.credit_account_id, creditAccountId: wallet.id, amount, kind, reversesId: p.transfer_id,
    metadata: { payment: toPublicId('pay', p.id), store: toPublicId('sto', p.store_id), description },
  }, now);
  // Payable accounts may go below zero (the merchant then owes us); only a bug refuses.
  if (moved.kind !== 'created') throw new Error(`${kind} refused by the ledger: ${moved.kind}`);
  await notifyMovement(q, deps, user, { kind, amount, balance: balanceOf(wallet) + amount, description, at: now });
  return id;
}

export async function cancelPayment(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, paymentId: string): Promise<CancelResult> {
  const now = deps.clock.now();
  const p = await ownPayment(q, terminal, paymentId);
  if (!p) return { kind: 'not_found' };
  if (p.status === 'canceled') return { kind: 'refused', why: 'already_canceled' };
  if (p.business_date !== jstDate(now)) return { kind: 'refused', why: 'not_same_day' };
  if (p.refunded > 0) return { kind: 'refused', why: 'refunded' };
  const transferId = await giveBack(deps, q, p, p.amount, 'payment_cancel', `Canceled: order ${p.order_id}`, now);
  await markCanceled(q, p.id, transferId, now);
  const after: PaymentRow = { ...p, status: 'canceled', canceled_at: now, cancel_transfer_id: transferId };
  await deps.merchantEvents?.emit(q, { merchantId: p.merchant_id, type: 'payment.canceled', data: paymentEventData(after), now });
  return { kind: 'canceled', payment: after };
}

export async function refundPayment(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, paymentId: string, input: { amount: number; reason?: string | undefined }): Promise<RefundResult> {
  const now = deps.clock.now();
  const p = await ownPayment(q, terminal, paymentId);
  if (!p) return { kind: 'not_found' };
  const remaining = p.amount - p.refunded;
  if (p.status === 'canceled') return { kind: 'refused', why: 'payment_canceled', remaining: 0 };
  if (input.amount > remaining) return { kind: 'refused', why: 'exceeds_remaining', remaining };
  const description = input.reason ? `Refund: ${input.reason}` : `Refund: order ${p.order_id}`;
  const transferId = await giveBack(deps, q, p, input.amount, 'refund', description, now);
  const refundId = newUuid();
  await insertRefund(q, {
    id: refundId, payment_id: p.id, store_id: p.store_id, terminal_id: terminal.id, amount: input.amount, reason: input.reason ?? null,
    transfer_id: transferId, business_date: jstDate(now), created_at: now,
  });
  await addRefunded(q, p.id, input.amount);
  const after: PaymentRow = { ...p, refunded: p.refunded + input.amount };
  await deps.merchantEvents?.emit(q, { merchantId: p.merchant_id, type: 'payment.refunded', data: { ...paymentEventData(after), refund: { id: toPublicId('rfd', refundId), amount: input.amount } }, now });
  return { kind: 'refunded', payment: after, refundId };
}
