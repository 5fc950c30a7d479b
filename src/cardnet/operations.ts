/**
 * Capture, void and refund, each keyed by the caller's reference. The checks run on the
 * locked payment row, and the table's CHECKs (captured ≤ amount, refunded ≤ captured)
 * stand behind them, so concurrent refunds cannot together exceed what was captured.
 */
import { withTransaction } from '../db/tx.js';
import type { CardnetDeps } from './deps.js';
import { DAY_MS, paymentView, requestDigest, type PaymentView } from './payments.js';
import { findOperation, findPayment, findPaymentByReference, insertOperation, updatePayment, type OperationKind } from './repo/payments.js';
import { findToken } from './repo/tokens.js';

export interface OperationInput {
  kind: Exclude<OperationKind, 'chargeback'>;
  /** The caller's id for this operation; a retry reuses it. */
  reference: string;
  paymentReference: string;
  /** Capture: defaults to the authorised amount. Refund: required. Void: ignored. */
  amount: number | undefined;
}

export type OperationResult =
  | { kind: 'ok'; payment: PaymentView; replayed: boolean }
  | { kind: 'payment_not_found' }
  | { kind: 'reference_reused' }
  | { kind: 'invalid_state'; status: string }
  | { kind: 'amount_too_large'; max: number };

export async function operate(deps: CardnetDeps, input: OperationInput): Promise<OperationResult> {
  const digest = requestDigest(input.kind, [input.reference, input.paymentReference, input.amount ?? null]);
  return withTransaction(deps.pool, async (tx): Promise<OperationResult> => {
    const payment = await findPaymentByReference(tx, input.paymentReference, true);
    if (!payment) return { kind: 'payment_not_found' };
    const prior = await findOperation(tx, input.reference);
    if (prior) {
      if (!prior.requestDigest.equals(digest) || prior.paymentId !== payment.id) return { kind: 'reference_reused' };
      return { kind: 'ok', payment: paymentView(payment), replayed: true };
    }
    const now = deps.clock.now();
    let next = { status: payment.status, captured: payment.captured, refunded: payment.refunded, chargebackDueAt: payment.chargebackDueAt, at: now };
    let amount = 0;
    if (input.kind === 'capture') {
      if (payment.status !== 'authorized') return { kind: 'invalid_state', status: payment.status };
      amount = input.amount ?? payment.amount;
      if (amount > payment.amount) return { kind: 'amount_too_large', max: payment.amount };
      const card = await findToken(tx, payment.tokenId);
      // The chargeback test card's holder disputes the charge; the network says so a day later.
      const chargebackDueAt = card?.profile === 'chargeback' ? new Date(now.getTime() + DAY_MS) : null;
      next = { ...next, status: 'captured', captured: amount, chargebackDueAt };
    } else if (input.kind === 'void') {
      if (payment.status !== 'authorized') return { kind: 'invalid_state', status: payment.status };
      next = { ...next, status: 'voided' };
    } else {
      if (payment.status !== 'captured') return { kind: 'invalid_state', status: payment.status };
      amount = input.amount ?? 0;
      const max = payment.captured - payment.refunded;
      if (amount > max) return { kind: 'amount_too_large', max };
      next = { ...next, refunded: payment.refunded + amount };
    }
    await updatePayment(tx, payment.id, next);
    await insertOperation(tx, { reference: input.reference, requestDigest: digest, paymentId: payment.id, kind: input.kind, amount, createdAt: now });
    const updated = await findPayment(tx, payment.id);
    return { kind: 'ok', payment: paymentView(updated ?? payment), replayed: false };
  });
}
